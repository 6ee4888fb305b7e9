"""The ``cchc`` command: thin — it parses options, calls the steps, and turns named
errors into a one-line reason on stderr with a non-zero exit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cchc import settings as settings_module
from cchc.errors import StepFailed

app = typer.Typer(
    name="cchc",
    help=(
        "CCHC indicator warehouse: read administrative-reform reports into a checked "
        "DuckDB star schema.\n\nExample: cchc run --reports data/reports"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="DuckDB warehouse file (env CCHC_WAREHOUSE; default warehouse/cchc.duckdb).",
        dir_okay=False,
    ),
]
ReportsOption = Annotated[
    Path | None,
    typer.Option(
        "--reports",
        help="Folder of reports (env CCHC_REPORTS; default data/reports).",
        file_okay=False,
    ),
]

RereadOption = Annotated[
    bool,
    typer.Option(
        "--reread",
        help="Read every loaded document again from its archived bytes, into fresh rows "
        "for the same document (not a new version), whatever reader wrote it.",
    ),
]


def _now() -> datetime:
    return datetime.now()


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)


def _guard(step: Callable[[], None]) -> None:
    try:
        step()
    except StepFailed as exc:
        _fail(str(exc))


# ---------------------------------------------------------------- steps


def do_ingest(cfg: settings_module.Settings, *, strict: bool, reread: bool = False) -> None:
    from ingest.errors import ManifestError
    from ingest.folder import ingest_folder, report_files
    from ingest.limits import LimitSettingError

    if not cfg.reports_dir.is_dir():
        raise StepFailed(
            f"reports folder {cfg.reports_dir} does not exist — pass --reports DIR or set "
            "CCHC_REPORTS"
        )
    total = sum(1 for _ in report_files(cfg.reports_dir))
    with Progress(
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)

        def advance(path: Path) -> None:
            progress.update(task, advance=1, description=path.name)

        try:
            summary = ingest_folder(
                cfg.reports_dir,
                cfg.warehouse,
                seeds_dir=cfg.seeds_dir,
                now=_now,
                on_file=advance,
                archive_dir=cfg.archive_dir,
                reread=reread,
            )
        except ManifestError as exc:
            raise StepFailed(f"manifest: {exc}") from exc
        except LimitSettingError as exc:
            raise StepFailed(f"reading limits: {exc}") from exc
    out.print(
        f"ingest: {summary.files_seen} files, {summary.documents_loaded} loaded, "
        f"{summary.documents_unchanged} unchanged, {summary.documents_reread} re-read, "
        f"{summary.files_failed} failed; "
        f"{summary.appendix_rows_loaded} table rows, {summary.narrative_facts_loaded} "
        f"stated figures → {cfg.warehouse}"
    )
    for failure in summary.failures:
        err.print(f"[yellow]not loaded:[/yellow] {failure}", highlight=False, soft_wrap=True)
    if strict and summary.files_failed:
        raise StepFailed(
            f"{summary.files_failed} file(s) could not be loaded (--strict); see raw.ingest_errors"
        )


def do_build(cfg: settings_module.Settings) -> None:
    from cchc.dbt import run_dbt

    if not cfg.warehouse.exists():
        raise StepFailed(f"no warehouse at {cfg.warehouse} — run `cchc ingest` first")
    with err.status("dbt build (staging → intermediate → marts)…"):
        outcome = run_dbt(cfg.project_dir, cfg.warehouse, ["build"])
    if outcome.failed:
        raise StepFailed(f"dbt build: {outcome.failed} node(s) failed — first: {outcome.errors[0]}")
    out.print(
        f"build: {outcome.passed} models, seeds and tests passed, {outcome.warned} warned "
        f"→ {cfg.warehouse}"
    )


def do_check(cfg: settings_module.Settings) -> None:
    from quality.check import check_warehouse
    from quality.gx_runner import GxEvaluationError, GxRunnerError

    if not cfg.warehouse.exists():
        raise StepFailed(f"no warehouse at {cfg.warehouse} — run `cchc build` first")
    run_id = uuid.uuid4().hex
    with err.status("Great Expectations suites…"):
        try:
            summary = check_warehouse(
                cfg.warehouse, docs_dir=cfg.quality_docs_dir, run_id=run_id, at=_now()
            )
        except GxEvaluationError as exc:
            raise StepFailed(f"an expectation could not be evaluated: {exc}") from exc
        except GxRunnerError as exc:
            raise StepFailed(f"Great Expectations could not run: {exc}") from exc
    out.print(
        f"check: {len(summary.outcomes)} expectations, "
        f"{len(summary.integrity_failures)} integrity failures, "
        f"{summary.findings} reporting-rule findings in quality.rule_results; Data Docs → "
        f"{cfg.quality_docs_dir / 'index.html'}"
    )
    if summary.integrity_failures:
        first = summary.integrity_failures[0]
        raise StepFailed(
            f"pipeline integrity failed: {first.suite_name} {first.expectation_type} "
            f"({first.unexpected_count} unexpected) — see quality.expectation_results"
        )


def do_export(cfg: settings_module.Settings) -> None:
    from cchc.export import export_warehouse

    if not cfg.warehouse.exists():
        raise StepFailed(f"no warehouse at {cfg.warehouse} — run `cchc build` first")
    with err.status("export marts and quality tables…"):
        summary = export_warehouse(cfg.warehouse, cfg.exports_dir, project_dir=cfg.project_dir)
    out.print(
        f"export: {len(summary.tables)} tables, {summary.rows} rows → {cfg.exports_dir} "
        f"(parquet/, csv/, {summary.workbook.name}, {len(summary.forms)} filled forms in "
        f"forms/, {summary.duckdb1_copy.name} for DuckDB 1.x)"
    )


def do_dashboard(cfg: settings_module.Settings) -> None:
    from cchc.dashboard import render_dashboard

    out_file = (cfg.output_dir or cfg.project_dir) / "reports" / "dashboard.html"
    with err.status("dashboard…"):
        summary = render_dashboard(cfg.warehouse, out_file)
    out.print(
        f"dashboard: {len(summary.charts_drawn)} charts, {len(summary.charts_empty)} without "
        f"data → {summary.out_file}"
    )


# ---------------------------------------------------------------- commands


@app.command()
def ingest(
    warehouse: WarehouseOption = None,
    reports: ReportsOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit non-zero if any file could not be loaded.")
    ] = False,
    reread: RereadOption = False,
) -> None:
    """Read every report under the reports folder into raw.* of the warehouse.

    A file that cannot be read or placed goes to raw.ingest_errors and the run goes on.
    The same file twice adds nothing; a document an older reader read is read again
    from its archived bytes. Example: cchc ingest --reports data/reports
    """
    cfg = settings_module.resolve(warehouse, reports)
    _guard(lambda: do_ingest(cfg, strict=strict, reread=reread))


@app.command()
def build(warehouse: WarehouseOption = None) -> None:
    """Run dbt build: seeds, staging → intermediate → marts, and dbt's tests.

    Example: cchc build --warehouse warehouse/cchc.duckdb
    """
    cfg = settings_module.resolve(warehouse)
    _guard(lambda: do_build(cfg))


@app.command()
def check(warehouse: WarehouseOption = None) -> None:
    """Run the Great Expectations suites; results → quality.*, Data Docs → reports/quality/.

    Exits non-zero only when pipeline integrity fails, never for findings about reports.
    Example: cchc check
    """
    cfg = settings_module.resolve(warehouse)
    _guard(lambda: do_check(cfg))


@app.command()
def export(warehouse: WarehouseOption = None) -> None:
    """Write marts and quality tables to exports/ as Parquet, CSV (UTF-8 BOM) and XLSX,
    and a copy of the warehouse that tools embedding DuckDB 1.x can open.

    Example: cchc export
    """
    cfg = settings_module.resolve(warehouse)
    _guard(lambda: do_export(cfg))


@app.command()
def dashboard(warehouse: WarehouseOption = None) -> None:
    """Draw the dashboard: one static HTML file, reports/dashboard.html, that opens with no
    server and no internet (provinces compared, an indicator's history across the 2025
    merger, rule findings per agency, targets against actuals). Example: cchc dashboard
    """
    cfg = settings_module.resolve(warehouse)
    _guard(lambda: do_dashboard(cfg))


@app.command()
def run(
    warehouse: WarehouseOption = None, reports: ReportsOption = None, reread: RereadOption = False
) -> None:
    """The nightly job: ingest, build, check, export, dashboard — built aside, then swapped in.

    The live warehouse is copied aside, every step runs on the copy, and only when all
    steps succeed is the copy moved into place (the previous file is kept as
    <warehouse>.previous for `cchc rollback`). A failed or killed run leaves the live
    warehouse as it was. Each run is logged in quality.pipeline_runs (and in
    <warehouse>.runs.jsonl, failed runs included).

    Exit codes: 0 done; 1 a step failed (reason on stderr, live warehouse unchanged);
    2 the command line was wrong.
    Example: cchc run --reports data/reports
    """
    from cchc import nightly

    cfg = settings_module.resolve(warehouse, reports)

    def on(step: Callable[[settings_module.Settings], None]) -> nightly.StepFunction:
        return lambda aside: step(replace(cfg, warehouse=aside))

    steps = (
        nightly.Step("ingest", on(lambda staged: do_ingest(staged, strict=False, reread=reread))),
        nightly.Step("build", on(do_build)),
        nightly.Step("check", on(do_check)),
        nightly.Step("export", on(do_export)),
        nightly.Step("dashboard", on(do_dashboard)),
    )
    try:
        outcome = nightly.run_nightly(cfg.warehouse, steps, now=_now)
    except StepFailed as exc:
        _fail(str(exc))
    out.print(f"run: done in {outcome.seconds:.1f} s → {cfg.warehouse}")


@app.command()
def publish(
    postgres: Annotated[
        str,
        typer.Option(
            "--postgres",
            help="PostgreSQL URL, e.g. postgresql://cchc@db.local:5432/bi (password from "
            "~/.pgpass or PGPASSWORD).",
        ),
    ],
    warehouse: WarehouseOption = None,
) -> None:
    """Put the marts and quality tables, with their column comments, into PostgreSQL for
    BI tools (Metabase, Superset, Power BI), in one transaction, and grant the read-only
    role cchc_analyst. Example: cchc publish --postgres postgresql://cchc@localhost/bi
    """
    cfg = settings_module.resolve(warehouse)

    def step() -> None:
        from cchc.publish import publish as publish_tables

        with err.status("publish to PostgreSQL…"):
            summary = publish_tables(
                cfg.warehouse, postgres, manifest=cfg.project_dir / "target" / "manifest.json"
            )
        out.print(
            f"publish: {len(summary.tables)} tables, {summary.rows} rows, "
            f"{summary.comments} comments → {summary.target} ({summary.seconds} s)"
        )

    _guard(step)


@app.command()
def rollback(warehouse: WarehouseOption = None) -> None:
    """Put the previous warehouse back (the one the last `cchc run` replaced).

    The current file is kept as <warehouse>.rolled-back. Example: cchc rollback
    """
    from cchc import nightly

    cfg = settings_module.resolve(warehouse)
    _guard(lambda: nightly.rollback(cfg.warehouse))
    out.print(f"rollback: {cfg.warehouse} is the previous warehouse again")


if __name__ == "__main__":  # pragma: no cover
    app()
