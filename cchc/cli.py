"""The ``cchc`` command: thin — it parses options, calls the steps, and turns named
errors into a one-line reason on stderr with a non-zero exit."""

from __future__ import annotations

import os
import shutil
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
        # a bar is for a person at a terminal; cron's mail gets nothing on success
        disable=not err.is_terminal,
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
        outcome = run_dbt(
            cfg.project_dir,
            cfg.warehouse,
            # unit tests prove the SQL, not the night's data: `make test` runs them
            # (tests/python/test_dbt_unit_tests.py); the data tests stay the build's gate
            ["build", "--exclude-resource-type", "unit_test"],
            target_path=cfg.dbt_target_dir,
            log_path=cfg.dbt_log_dir,
        )
    if outcome.failed:
        raise StepFailed(f"dbt build: {outcome.failed} node(s) failed — first: {outcome.errors[0]}")
    out.print(
        f"build: {outcome.passed} models, seeds and tests passed, {outcome.warned} warned "
        f"→ {cfg.warehouse}"
    )


def build_through_stable_path(cfg: settings_module.Settings) -> None:
    """`dbt build` of ``cfg.warehouse`` through the warehouse's one build path (a link,
    cchc.dbt.stable_build_path): dbt re-parses the whole project when the profile's path
    changes, and every run folder is new — through the link an unchanged project skips
    parsing, for `cchc run` and `cchc build` alike (DuckDB follows the link: its WAL and
    temp files stay beside the real file)."""
    from cchc.dbt import stable_build_path
    from cchc.nightly import relink

    link = stable_build_path(cfg.warehouse_state_dir, cfg.warehouse.name)
    link.parent.mkdir(parents=True, exist_ok=True)
    relink(link, cfg.warehouse.resolve())
    try:
        # dbt's target and logs stay the warehouse's own (not the link's name's)
        do_build(replace(cfg, warehouse=link, state_dir=cfg.warehouse_state_dir))
    finally:
        link.unlink(missing_ok=True)


def build_and_keep_manifest(staged: settings_module.Settings) -> None:
    """The nightly run's build (through the stable path); the manifest then goes with the
    build it describes, into the run's folder (`cchc publish` reads the live run's)."""
    build_through_stable_path(staged)
    shutil.copy2(staged.dbt_target_dir / "manifest.json", staged.warehouse.parent)


def do_check(cfg: settings_module.Settings) -> None:
    from quality.check import check_warehouse
    from quality.gx_runner import GxEvaluationError, GxRunnerError

    if not cfg.warehouse.exists():
        raise StepFailed(f"no warehouse at {cfg.warehouse} — run `cchc build` first")
    run_id = uuid.uuid4().hex
    with err.status("Great Expectations suites…"):
        try:
            summary = check_warehouse(
                cfg.warehouse,
                docs_dir=cfg.quality_docs_dir,
                run_id=run_id,
                at=_now(),
                docs_assets=cfg.project_dir / ".vendor" / "datadocs",
            )
        except GxEvaluationError as exc:
            raise StepFailed(f"an expectation could not be evaluated: {exc}") from exc
        except GxRunnerError as exc:
            raise StepFailed(f"Great Expectations could not run: {exc}") from exc
    out.print(
        f"check: {len(summary.outcomes)} expectations, "
        f"{len(summary.integrity_failures)} integrity failures, "
        f"{summary.findings} reporting-rule findings in quality.rule_results; Data Docs → "
        f"{cfg.quality_docs_dir / 'index.html'}, {summary.agency_pages} agency pages in "
        f"{cfg.quality_docs_dir / 'co-quan'}"
    )
    if summary.docs is not None and not summary.docs.assets_bundled:
        err.print(
            "[yellow]note:[/yellow] Data Docs without their styles (no internet asset kept): "
            "run `make install` to fetch them",
            highlight=False,
        )
    if summary.integrity_failures:
        first = summary.integrity_failures[0]
        raise StepFailed(
            f"pipeline integrity failed: {first.suite_name} {first.expectation_type} "
            f"({first.unexpected_count} unexpected) — see quality.expectation_results"
        )


def do_export(cfg: settings_module.Settings, *, letters: bool = True) -> None:
    from cchc.export import export_warehouse

    if not cfg.warehouse.exists():
        raise StepFailed(f"no warehouse at {cfg.warehouse} — run `cchc build` first")
    # a nightly run writes into its own folder: unchanged forms and letters come from
    # the live run's exports; a plain `cchc export` rewrites its exports/ in place
    previous = cfg.state_dir / "current" / "exports" if cfg.state_dir else cfg.exports_dir
    with err.status("export marts and quality tables…"):
        summary = export_warehouse(
            cfg.warehouse,
            cfg.exports_dir,
            project_dir=cfg.project_dir,
            manifest=_build_manifest(cfg),
            letters=letters,
            previous_exports=previous,
        )
    letters_text = f", {len(summary.letters)} letters in letters/" if letters else ""
    out.print(
        f"export: {len(summary.tables)} tables, {summary.rows} rows → {cfg.exports_dir} "
        f"(parquet/, csv/, {summary.workbook.name}, {len(summary.forms)} filled forms in "
        f"forms/{letters_text} — {summary.written} written, {summary.reused} unchanged; "
        f"{summary.duckdb1_copy.name} for DuckDB 1.x)"
    )


def do_dashboard(cfg: settings_module.Settings) -> None:
    from cchc.dashboard import render_dashboard

    out_file = cfg.dashboard_file
    with err.status("dashboard…"):
        summary = render_dashboard(
            cfg.warehouse,
            out_file,
            letters_index=cfg.exports_dir / "letters" / "index.csv",
            quality_dir=cfg.quality_docs_dir,
        )
    drawn = len(summary.rows) - len(summary.parts_empty)
    out.print(
        f"dashboard: {drawn} parts with data, {len(summary.parts_empty)} without, "
        f"{summary.letters} letters linked → {summary.out_file}"
    )


def _build_manifest(cfg: settings_module.Settings) -> Path:
    """dbt's manifest of the build this warehouse was made by: the one `cchc build` has
    just written for it (a nightly run's copy included), else the live run's."""
    built = cfg.dbt_target_dir / "manifest.json"
    return built if built.exists() else _live_manifest(cfg)


def _live_manifest(cfg: settings_module.Settings) -> Path:
    """dbt's manifest of the build that is live (kept in its run folder), else the one
    in this warehouse's dbt target, else the project's."""
    from cchc.nightly import NightlyPaths

    current = NightlyPaths(cfg.warehouse).current_link / "manifest.json"
    for candidate in (current, cfg.dbt_target_dir / "manifest.json"):
        if candidate.exists():
            return candidate
    return cfg.project_dir / "target" / "manifest.json"


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
    from cchc.nightly import NightlyPaths
    from cchc.runlock import warehouse_lock

    cfg = settings_module.resolve(warehouse)

    def locked_build() -> None:
        if not cfg.warehouse.exists():
            raise StepFailed(f"no warehouse at {cfg.warehouse} — run `cchc ingest` first")
        # the build path is the nightly run's too: one holder at a time
        lock = NightlyPaths(cfg.warehouse).lock_file
        with warehouse_lock(lock, wait_seconds=0, command="cchc build"):
            build_through_stable_path(cfg)

    _guard(locked_build)


@app.command()
def check(warehouse: WarehouseOption = None) -> None:
    """Run the Great Expectations suites; results → quality.*, Data Docs → reports/quality/.

    Exits non-zero only when pipeline integrity fails, never for findings about reports.
    Example: cchc check
    """
    cfg = settings_module.resolve(warehouse)
    _guard(lambda: do_check(cfg))


@app.command()
def export(
    warehouse: WarehouseOption = None,
    letters: Annotated[
        bool,
        typer.Option(
            "--letters/--no-letters",
            help="Also write the reply letters (one .docx per agency with findings or "
            "missing items, under exports/letters/<province>/<period>/, with "
            "exports/letters/index.csv). Default: on.",
        ),
    ] = True,
) -> None:
    """Write marts and quality tables to exports/ as Parquet, CSV (UTF-8 BOM) and the
    officers' workbook, the filled forms, the reply letters to agencies, and a copy of
    the warehouse that tools embedding DuckDB 1.x can open. Forms and letters whose
    content has not changed are not written again (content hash in their index.csv).

    Example: cchc export --no-letters
    """
    cfg = settings_module.resolve(warehouse)
    _guard(lambda: do_export(cfg, letters=letters))


@app.command()
def dashboard(warehouse: WarehouseOption = None) -> None:
    """Draw the officers' dashboard: one static HTML file, reports/dashboard.html, that
    opens with no server and no internet. In Vietnamese: choose the era, province and
    period; who has sent, sent late or not sent; reports set aside; each agency's
    findings with file and line; the province comparison; history across the 2025 merger.
    Example: cchc dashboard
    """
    cfg = settings_module.resolve(warehouse)
    _guard(lambda: do_dashboard(cfg))


WaitOption = Annotated[
    float,
    typer.Option(
        "--wait",
        min=0,
        help="Seconds to wait for another run holding this warehouse's lock, or a "
        "program holding the live warehouse for writing, before refusing (default 0: "
        "refuse at once, naming the holder).",
    ),
]


def _lock(wait: float, command: str) -> Callable[[object], object]:
    from cchc.runlock import warehouse_lock

    return lambda paths: warehouse_lock(paths.lock_file, wait_seconds=wait, command=command)


@app.command()
def run(
    warehouse: WarehouseOption = None,
    reports: ReportsOption = None,
    wait: WaitOption = 0.0,
    reread: RereadOption = False,
) -> None:
    """The nightly job: ingest, build, check, export, dashboard — built aside, verified,
    then switched in together with its exports and dashboard.

    One run per warehouse at a time (lock <warehouse>.lock; a second run waits --wait
    seconds, then refuses naming the holder). Each run builds a copy of the live
    warehouse and its outputs in its own folder <warehouse>.d/runs/<run>/; the copy is
    checkpointed, opened read-only and checked (tables, counts, the check's integrity
    results), and only then one link switch makes it live — the warehouse file and the
    exports/ and reports/ links in the output folder all point through it. The run it
    replaced is kept as <warehouse>.previous (checksum recorded) for `cchc rollback`. A
    failed or killed run leaves the live warehouse, its outputs and .previous as they
    were; the next run deletes its leftovers. Each run is logged in quality.pipeline_runs
    and <warehouse>.runs.jsonl (failed runs too).

    Exit codes: 0 done; 1 a step failed or the run was refused (reason on stderr, live
    warehouse unchanged); 2 the command line was wrong.
    Example: cchc run --reports data/reports --wait 600
    """
    from cchc import guards, nightly

    cfg = settings_module.resolve(warehouse, reports)
    state_dir = nightly.NightlyPaths(cfg.warehouse).state_dir

    def on(step: Callable[[settings_module.Settings], None]) -> nightly.StepFunction:
        # every step works on the run's copy and writes its outputs beside it
        return lambda aside: step(
            replace(cfg, warehouse=aside, output_dir=aside.parent, state_dir=state_dir)
        )

    steps = (
        nightly.Step("ingest", on(lambda staged: do_ingest(staged, strict=False, reread=reread))),
        nightly.Step("build", on(build_and_keep_manifest)),
        nightly.Step("check", on(do_check)),
        nightly.Step("export", on(do_export)),
        nightly.Step("dashboard", on(do_dashboard)),
    )

    def not_held(paths: nightly.NightlyPaths) -> None:
        guards.live_not_held_for_writing(paths.live, wait_seconds=wait)

    def room(paths: nightly.NightlyPaths) -> None:
        needed = guards.space_needed(
            paths.live,
            nightly.linked_run(paths.current_link),
            settings_module.free_space_headroom_mb(),
        )
        guards.enough_free_space(paths.runs_dir, needed)

    try:
        outcome = nightly.run_nightly(
            cfg.warehouse,
            steps,
            output_dir=cfg.outputs_root,
            now=_now,
            lock=_lock(wait, "cchc run"),
            preflight=(room, not_held),
            verify=lambda aside: guards.verify_build(aside, live=cfg.warehouse),
            fault=nightly.fault_from_env(os.environ.get("CCHC_FAULT")),
            on_leftover=lambda name: err.print(
                f"[yellow]removed a killed run's leftovers:[/yellow] {name}", highlight=False
            ),
        )
    except StepFailed as exc:
        _fail(str(exc))
    out.print(
        f"run: done in {outcome.seconds:.1f} s → {cfg.warehouse} "
        f"(run {outcome.record.run_id}; exports and reports in {cfg.outputs_root})"
    )


@app.command()
def publish(
    postgres: Annotated[
        str,
        typer.Option(
            "--postgres",
            help="Where to publish, without a password: a URL such as "
            "postgresql://cchc@db.local:5432/bi, or service=NAME for an entry of the "
            "PostgreSQL service file. A URL holding a password is refused.",
        ),
    ],
    warehouse: WarehouseOption = None,
    password_prompt: Annotated[
        bool,
        typer.Option(
            "--password-prompt",
            help="Ask for the password on the terminal (without echo).",
        ),
    ] = False,
) -> None:
    """Put the marts and quality tables, with their column comments, into PostgreSQL for
    BI tools (Metabase, Superset, Power BI), in one transaction, and grant the read-only
    role cchc_analyst.

    The password comes from libpq's own means: the PGPASSWORD variable, ~/.pgpass (or
    the file PGPASSFILE names), a service file (PGSERVICE, or service=NAME as
    --postgres), or a prompt: --password-prompt, or on a terminal when the server asks
    for a password none of those gave. Nothing printed shows it.

    Example: PGPASSFILE=~/.pgpass cchc publish --postgres postgresql://cchc@localhost/bi
    """
    import getpass
    import sys

    from cchc.secrets import redact

    cfg = settings_module.resolve(warehouse)
    password: str | None = None

    def ask() -> str:
        if not sys.stdin.isatty():
            raise StepFailed(
                "--password-prompt needs a terminal — without one, give the password "
                "through PGPASSWORD, ~/.pgpass (PGPASSFILE) or a service file (PGSERVICE)"
            )
        return getpass.getpass("PostgreSQL password: ")

    def attempt() -> None:
        from cchc.publish import publish as publish_tables

        with err.status("publish to PostgreSQL…"):
            summary = publish_tables(
                cfg.warehouse,
                postgres,
                manifest=_live_manifest(cfg),
                password=password,
            )
        out.print(
            f"publish: {len(summary.tables)} tables, {summary.rows} rows, "
            f"{summary.comments} comments → {summary.target} ({summary.seconds} s)"
        )

    def step() -> None:
        nonlocal password
        from cchc.publish import PasswordNeeded

        if password_prompt:
            password = ask()
        try:
            attempt()
        except PasswordNeeded:
            if password is not None or not sys.stdin.isatty():
                raise
            password = ask()  # libpq found no password: ask once, as psql does
            attempt()

    try:
        step()
    except StepFailed as exc:
        _fail(redact(str(exc), (password,)))


@app.command()
def rollback(warehouse: WarehouseOption = None, wait: WaitOption = 0.0) -> None:
    """Put the previous warehouse back (the one the last `cchc run` replaced), with its
    exports and dashboard, after checking that it opens and matches its recorded
    SHA-256; refuses otherwise. The replaced run becomes <warehouse>.previous, so a
    second rollback swaps back. Takes the same lock as `cchc run`.
    Example: cchc rollback
    """
    from cchc import nightly

    cfg = settings_module.resolve(warehouse)
    _guard(
        lambda: nightly.rollback(
            cfg.warehouse, output_dir=cfg.outputs_root, lock=_lock(wait, "cchc rollback")
        )
    )
    out.print(
        f"rollback: {cfg.warehouse} is the previous warehouse again, with its exports and "
        f"reports; the one it replaced is now {cfg.warehouse.name}.previous (roll back "
        "again to return to it)"
    )


if __name__ == "__main__":  # pragma: no cover
    app()
