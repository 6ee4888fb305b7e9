"""Run Great Expectations suites against the DuckDB warehouse and flatten the results.

The public surface is small and free of GX types, so callers (``cchc check``) never import
great_expectations themselves:

* :class:`ExpectationSpec` / :class:`SuiteSpec` describe what to check;
* :func:`run_suites` builds a throw-away (ephemeral) GX context, validates every suite in one
  checkpoint, optionally writes Data Docs, and returns one :class:`ExpectationOutcome` per
  expectation, in the order the specs were given;
* :class:`GxEvaluationError` is raised when GX could not evaluate an expectation (missing
  table or column, SQL error, ...). Such a result is never returned as a plain failure.

``import great_expectations`` costs 5-7 s, so it happens inside :func:`run_suites` only.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from great_expectations.core.batch_definition import BatchDefinition
    from great_expectations.core.expectation_validation_result import (
        ExpectationValidationResult,
    )
    from great_expectations.data_context import EphemeralDataContext
    from great_expectations.datasource.fluent import SQLDatasource
    from great_expectations.expectations.expectation import Expectation

SuiteKind = Literal["integrity", "rules"]
SUITE_KINDS: tuple[str, ...] = ("integrity", "rules")

#: How many unexpected values / rows an outcome keeps as a sample.
SAMPLE_SIZE = 20
#: Name of the Data Docs site written to ``docs_dir``.
DOCS_SITE_NAME = "cchc_quality"
UNEXPECTED_ROWS_EXPECTATION = "unexpected_rows_expectation"

_DATASOURCE_NAME = "warehouse"
_BATCH_DEFINITION_NAME = "whole_table"
_CHECKPOINT_NAME = "cchc_check"
# Schema and table names are written into SQL unquoted (see _add_table_assets), so only plain
# identifiers are accepted. dbt model and schema names already are.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class GxRunnerError(RuntimeError):
    """Base class for errors raised by the GX runner."""


class SuiteSpecError(GxRunnerError, ValueError):
    """A suite or expectation spec is invalid (bad identifier, unknown expectation, ...)."""


class GxEvaluationError(GxRunnerError):
    """GX could not evaluate one or more expectations, so the run has no trustworthy verdict.

    ``outcomes`` holds whatever was collected (those that could not be evaluated carry an
    ``exception_message``); it is empty when the run stopped before validating (e.g. a table
    that does not exist).
    """

    def __init__(self, message: str, outcomes: Iterable[ExpectationOutcome] = ()) -> None:
        super().__init__(message)
        self.outcomes: tuple[ExpectationOutcome, ...] = tuple(outcomes)


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation, as GX 1.x names it (``expect_column_values_to_be_unique``, ...).

    ``kwargs`` are the expectation's GX 1.x arguments (``{"column": "id"}``); ``meta`` is free
    form (``{"rule_id": ..., "description": ...}``) and is copied to the GX expectation and to
    the outcome. For ``unexpected_rows_expectation`` a string ``meta["description"]`` is also
    used as the text Data Docs shows instead of the raw SQL.

    ``unexpected_rows_query`` (GX 1.24): ``{batch}`` becomes ``(SELECT * FROM schema.table
    WHERE true) AS subselect``, unless the query text contains the word JOIN, in which case it
    becomes the bare ``(SELECT ...)``. So alias ``{batch}`` yourself only in a query with a
    JOIN; ``... from {batch} as f where ...`` without a JOIN is a syntax error. Other tables
    can be named directly (``raw.appendix_rows``). Literal braces must be doubled.
    """

    expectation_type: str
    kwargs: dict[str, Any] = field(hash=False)
    meta: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.expectation_type, str) or not self.expectation_type.strip():
            raise SuiteSpecError(f"expectation_type must be a non-empty string, got {self!r}")
        if not isinstance(self.kwargs, Mapping) or not isinstance(self.meta, Mapping):
            raise SuiteSpecError(f"kwargs and meta must be mappings, got {self!r}")

    @property
    def gx_type(self) -> str:
        """The name GX registers the expectation under (all lower case, so
        ``expect_column_pair_values_A_to_be_greater_than_B`` is accepted too)."""
        return self.expectation_type.strip().lower()


@dataclass(frozen=True)
class SuiteSpec:
    """A named group of expectations on one warehouse table (``schema.table``)."""

    name: str
    schema: str
    table: str
    kind: SuiteKind
    expectations: tuple[ExpectationSpec, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.expectations, tuple):
            object.__setattr__(self, "expectations", tuple(self.expectations))
        if not isinstance(self.name, str) or not self.name.strip():
            raise SuiteSpecError(f"suite name must be a non-empty string, got {self.name!r}")
        if self.kind not in SUITE_KINDS:
            raise SuiteSpecError(f"suite {self.name!r}: kind must be one of {SUITE_KINDS}")
        for part in (self.schema, self.table):
            if not isinstance(part, str) or not _IDENTIFIER.fullmatch(part):
                raise SuiteSpecError(f"suite {self.name!r}: {part!r} is not a plain SQL identifier")
        for spec in self.expectations:
            if not isinstance(spec, ExpectationSpec):
                raise SuiteSpecError(f"suite {self.name!r}: {spec!r} is not an ExpectationSpec")

    @property
    def qualified_table(self) -> str:
        return f"{self.schema}.{self.table}"


@dataclass(frozen=True)
class ExpectationOutcome:
    """The flattened result of one expectation.

    ``unexpected_count`` / ``element_count`` are None when the expectation type does not
    report them (aggregate expectations report ``observed_value_json`` instead; for
    ``unexpected_rows_expectation`` the unexpected count is the number of rows the query
    returned). ``unexpected_sample_json`` is a JSON list of up to ``SAMPLE_SIZE`` unexpected
    values (column expectations) or rows (``unexpected_rows_expectation``), or None.
    """

    suite_name: str
    kind: SuiteKind
    schema: str
    table: str
    expectation_type: str
    kwargs_json: str
    success: bool
    unexpected_count: int | None
    element_count: int | None
    unexpected_sample_json: str | None
    exception_message: str | None
    meta_json: str
    observed_value_json: str | None = None


def run_suites(
    warehouse: Path,
    suites: Sequence[SuiteSpec],
    *,
    docs_dir: Path | None,
    run_name: str,
) -> list[ExpectationOutcome]:
    """Validate ``suites`` against the DuckDB file ``warehouse`` (opened read-only).

    Builds an ephemeral GX context (nothing is written to the repository), one SQL datasource
    on the warehouse, one table asset per distinct suite table and one validation definition
    per suite, and runs them all in one checkpoint named after ``run_name``. When ``docs_dir``
    is given, Data Docs are written there (``docs_dir/index.html``).

    Returns one outcome per expectation, suite by suite, in spec order.

    Raises:
        FileNotFoundError: ``warehouse`` does not exist.
        SuiteSpecError: duplicate suite names, an unknown expectation type or bad kwargs, or
            two equivalent expectations in one suite.
        GxEvaluationError: a suite's table cannot be read, or any expectation result carries
            ``exception_info`` with ``raised_exception`` (the outcomes are attached).
        GxRunnerError: the warehouse cannot be opened, or Data Docs were not written.
    """
    suites = tuple(suites)
    _check_unique_names(suites)
    warehouse = Path(warehouse).resolve()
    if not warehouse.is_file():
        raise FileNotFoundError(f"DuckDB warehouse not found: {warehouse}")
    if not suites:
        return []

    import great_expectations as gx  # deliberately lazy: 5-7 s

    from quality.duckdb_dialect import (
        enable_duckdb_persisted_connection,
        release_duckdb_compile_hooks_at_exit,
        rollback_duckdb_transaction_on_error,
    )

    enable_duckdb_persisted_connection()
    release_duckdb_compile_hooks_at_exit()

    context = _ephemeral_context(docs_dir)
    try:
        datasource = context.data_sources.add_sql(
            name=_DATASOURCE_NAME,
            connection_string=f"duckdb:///{warehouse}",
            kwargs={"connect_args": {"read_only": True}},
        )
    except Exception as exc:
        raise GxRunnerError(f"cannot open {warehouse} read-only: {exc}") from exc

    try:
        rollback_duckdb_transaction_on_error(datasource.get_execution_engine().engine)
        batch_definitions = _add_table_assets(datasource, suites)
        # (GX expectation id, suite, spec) in spec order; GX does not keep the order.
        planned: list[tuple[str, SuiteSpec, ExpectationSpec]] = []
        validation_definitions = []
        for suite in suites:
            gx_suite = context.suites.add(
                gx.ExpectationSuite(
                    name=suite.name, meta={"kind": suite.kind, "table": suite.qualified_table}
                )
            )
            for spec in suite.expectations:
                added = gx_suite.add_expectation(_to_gx_expectation(spec, suite))
                if not added.id or added.id in {planned_id for planned_id, _, _ in planned}:
                    raise SuiteSpecError(
                        f"suite {suite.name!r}: duplicate expectation {spec.expectation_type} "
                        f"{_to_json(spec.kwargs)} (GX keeps only one of equivalent expectations)"
                    )
                planned.append((added.id, suite, spec))
            validation_definitions.append(
                context.validation_definitions.add(
                    gx.ValidationDefinition(
                        name=suite.name,
                        data=batch_definitions[suite.qualified_table],
                        suite=gx_suite,
                    )
                )
            )

        results = _run_checkpoint(context, validation_definitions, docs_dir, run_name)
        outcomes = _collect_outcomes(results, planned, batch_definitions)
    finally:
        _close_datasource(context, datasource)

    broken = [o for o in outcomes if o.exception_message is not None]
    if broken:
        details = "; ".join(
            f"{o.suite_name}: {o.expectation_type} {o.kwargs_json}: {o.exception_message}"
            for o in broken
        )
        raise GxEvaluationError(
            f"{len(broken)} expectation(s) could not be evaluated: {details}", outcomes
        )
    if docs_dir is not None and not (docs_dir / "index.html").is_file():
        raise GxRunnerError(f"Data Docs were not written to {docs_dir}")
    return outcomes


def _check_unique_names(suites: Sequence[SuiteSpec]) -> None:
    seen: set[str] = set()
    for suite in suites:
        if not isinstance(suite, SuiteSpec):
            raise SuiteSpecError(f"{suite!r} is not a SuiteSpec")
        if suite.name in seen:
            raise SuiteSpecError(f"duplicate suite name {suite.name!r}")
        seen.add(suite.name)


def _ephemeral_context(docs_dir: Path | None) -> EphemeralDataContext:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites: dict[str, Any] = {}
    if docs_dir is not None:
        docs_dir.mkdir(parents=True, exist_ok=True)
        sites[DOCS_SITE_NAME] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _add_table_assets(
    datasource: SQLDatasource, suites: Sequence[SuiteSpec]
) -> dict[str, BatchDefinition]:
    """One table asset (and whole-table batch definition) per distinct ``schema.table``.

    The table is given to GX as the unquoted dotted name ``schema.table`` rather than through
    ``schema_name``: that argument is deprecated since GX 1.14, and with duckdb-engine 0.17 on
    SQLAlchemy 2.1 column reflection fails (``pg_catalog.pg_collation`` does not exist in
    DuckDB), so GX falls back to ``SELECT * FROM <table_name> LIMIT 1`` to learn the columns,
    a query that drops ``schema_name``. GX wraps an unquoted name in
    ``quoted_name(..., quote=False)``, so the dotted name reaches SQL as written.
    """
    batch_definitions: dict[str, BatchDefinition] = {}
    errors: list[str] = []
    for suite in suites:
        qualified = suite.qualified_table
        if qualified in batch_definitions:
            continue
        try:
            asset = datasource.add_table_asset(name=qualified, table_name=qualified)
        except Exception as exc:
            errors.append(f"suite {suite.name!r}: table {qualified} cannot be read: {exc}")
            continue
        batch_definitions[qualified] = asset.add_batch_definition_whole_table(
            name=_BATCH_DEFINITION_NAME
        )
    if errors:
        raise GxEvaluationError("; ".join(errors))
    return batch_definitions


def _to_gx_expectation(spec: ExpectationSpec, suite: SuiteSpec) -> Expectation:
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    description = spec.meta.get("description")
    if spec.gx_type != UNEXPECTED_ROWS_EXPECTATION or not isinstance(description, str):
        description = None
    try:
        return ExpectationConfiguration(
            type=spec.gx_type,
            kwargs=dict(spec.kwargs),
            meta=dict(spec.meta),
            description=description,
        ).to_domain_obj()
    except Exception as exc:
        raise SuiteSpecError(
            f"suite {suite.name!r}: invalid expectation {spec.expectation_type} "
            f"{_to_json(spec.kwargs)}: {exc}"
        ) from exc


def _run_checkpoint(
    context: EphemeralDataContext,
    validation_definitions: list[Any],
    docs_dir: Path | None,
    run_name: str,
) -> dict[str, list[ExpectationValidationResult]]:
    """Run all validation definitions in one checkpoint; results keyed by suite name."""
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.core.run_identifier import RunIdentifier

    actions = []
    if docs_dir is not None:
        actions.append(UpdateDataDocsAction(name="update_data_docs", site_names=[DOCS_SITE_NAME]))
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=_CHECKPOINT_NAME,
            validation_definitions=validation_definitions,
            actions=actions,
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE},
        )
    )
    run_id = RunIdentifier(run_name=run_name, run_time=datetime.now(UTC))
    try:
        result = checkpoint.run(run_id=run_id)
    except Exception as exc:
        raise GxRunnerError(f"GX checkpoint run failed: {exc}") from exc
    by_suite: dict[str, list[ExpectationValidationResult]] = {}
    for suite_result in result.run_results.values():
        by_suite.setdefault(suite_result.suite_name, []).extend(suite_result.results)
    return by_suite


def _collect_outcomes(
    results: dict[str, list[ExpectationValidationResult]],
    planned: Sequence[tuple[str, SuiteSpec, ExpectationSpec]],
    batch_definitions: Mapping[str, BatchDefinition],
) -> list[ExpectationOutcome]:
    """Map GX results back to the planned expectations by id and return them in plan order."""
    by_id = {expectation_id: (suite, spec) for expectation_id, suite, spec in planned}
    outcome_by_id: dict[str, ExpectationOutcome] = {}
    for suite_name, suite_results in results.items():
        for result in suite_results:
            expectation_id = result.expectation_config.id
            if expectation_id not in by_id or expectation_id in outcome_by_id:
                raise GxRunnerError(
                    f"suite {suite_name!r}: unexpected GX result for "
                    f"{result.expectation_config.type} (id {expectation_id!r})"
                )
            suite, spec = by_id[expectation_id]
            outcome_by_id[expectation_id] = _to_outcome(
                result, suite, spec, batch_definitions[suite.qualified_table]
            )

    outcomes = [outcome_by_id[i] for i, _, _ in planned if i in outcome_by_id]
    missing = [
        f"{suite.name}: {spec.expectation_type} {_to_json(spec.kwargs)}"
        for i, suite, spec in planned
        if i not in outcome_by_id
    ]
    if missing:
        raise GxEvaluationError(
            f"GX returned no result for {len(missing)} expectation(s): {'; '.join(missing)}",
            outcomes,
        )
    return outcomes


def _to_outcome(
    result: ExpectationValidationResult,
    suite: SuiteSpec,
    spec: ExpectationSpec,
    batch_definition: BatchDefinition,
) -> ExpectationOutcome:
    details: Mapping[str, Any] = result.result or {}
    exception_message = _raised_exception_message(result.exception_info)
    success = bool(result.success) and exception_message is None
    observed = details.get("observed_value")

    if spec.gx_type == UNEXPECTED_ROWS_EXPECTATION:
        unexpected_count = _as_int(observed)
        element_count = None
        sample = None
        if exception_message is None and not success:
            query = spec.kwargs.get("unexpected_rows_query")
            if isinstance(query, str):
                sample = _unexpected_rows_sample(batch_definition, query)
    else:
        unexpected_count = _as_int(details.get("unexpected_count"))
        element_count = _as_int(details.get("element_count"))
        sample = details.get("partial_unexpected_list")
        if sample is not None:
            sample = list(sample)[:SAMPLE_SIZE]

    return ExpectationOutcome(
        suite_name=suite.name,
        kind=suite.kind,
        schema=suite.schema,
        table=suite.table,
        expectation_type=spec.expectation_type,
        kwargs_json=_to_json(spec.kwargs),
        success=success,
        unexpected_count=unexpected_count,
        element_count=element_count,
        unexpected_sample_json=None if sample is None else _to_json(sample),
        exception_message=exception_message,
        meta_json=_to_json(spec.meta),
        observed_value_json=None if observed is None else _to_json(observed),
    )


def _raised_exception_message(exception_info: Any) -> str | None:
    """The message(s) of exceptions GX caught while evaluating, or None if there were none.

    GX stores either one ``{"raised_exception": ..., "exception_message": ...}`` dict or, when
    a metric failed, a dict keyed by metric id whose values have that shape. An entry that has
    a message or traceback but no ``raised_exception`` flag counts as raised.
    """
    if not exception_info:
        return None
    if "raised_exception" in exception_info:
        entries = [exception_info]
    else:
        entries = [v for v in exception_info.values() if isinstance(v, Mapping)]
    messages: list[str] = []
    for entry in entries:
        flagged = entry.get("raised_exception")
        has_details = bool(entry.get("exception_message") or entry.get("exception_traceback"))
        if flagged or (flagged is None and has_details):
            messages.append(str(entry.get("exception_message") or "unknown error"))
    return "; ".join(dict.fromkeys(messages)) or None


def _unexpected_rows_sample(batch_definition: BatchDefinition, query: str) -> list[dict]:
    """Up to SAMPLE_SIZE rows returned by a failed UnexpectedRowsExpectation's query.

    The checkpoint runs with result_format SUMMARY, under which GX reports only the row count
    of an UnexpectedRowsExpectation. This re-runs the query the way the documented
    ``ValidationDefinition.get_unexpected_rows()`` does (same ``{batch}`` substitution), but
    capped at GX's 200 rows instead of fetching all. ``Batch.compute_metrics`` always draws a
    tqdm progress bar on stderr; it is swallowed here.
    """
    from great_expectations.metrics.metric_results import MetricErrorResult
    from great_expectations.metrics.query.batch_table import QueryBatchTable

    try:
        with contextlib.redirect_stderr(io.StringIO()):
            metric = batch_definition.get_batch().compute_metrics(
                QueryBatchTable(query=query, fetch_all=False)
            )
    except Exception as exc:
        raise GxEvaluationError(f"could not fetch unexpected rows for {query!r}: {exc}") from exc
    if isinstance(metric, MetricErrorResult):
        raise GxEvaluationError(
            f"could not fetch unexpected rows for {query!r}: {metric.value.exception_message}"
        )
    return list(metric.value)[:SAMPLE_SIZE]


def _close_datasource(context: EphemeralDataContext, datasource: SQLDatasource) -> None:
    """Release the DuckDB file and every DuckDB object GX still holds.

    GX's ``SqlAlchemyExecutionEngine.close()`` only disposes the engine; the connection that
    :func:`~quality.duckdb_dialect.enable_duckdb_persisted_connection` keeps open stays in the
    engine's ``_connection``. GX's module-level project manager keeps the ephemeral context
    (and so the datasource, engine and connection) alive until the interpreter exits, and
    DuckDB's nanobind bindings then report every DuckDB object still alive as "leaked" on
    stderr. So: close the kept connection, dispose both engines, and drop the datasource from
    the context.
    """
    from quality.duckdb_dialect import close_persisted_connection

    with contextlib.suppress(Exception):
        close_persisted_connection(datasource.get_execution_engine())
    with contextlib.suppress(Exception):
        datasource.get_engine().dispose()
    with contextlib.suppress(Exception):
        context.data_sources.delete(datasource.name)


def _as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _to_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
