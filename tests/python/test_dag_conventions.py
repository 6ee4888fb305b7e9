"""The DAG conventions that matter, checked over the manifest of `dbt parse`.

The same rules dbt Labs' dbt-project-evaluator applies (docs/DAG_CONVENTIONS.md says how
to run the evaluator itself); the layers, folders and prefixes come from its vars in
dbt_project.yml, so the evaluator and this test read one set of conventions. Each check is
a pure function from a manifest (a dict) to a list of violations; the planted-violation
tests prove each one flags what it should, so none can pass vacuously.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import pytest
import yaml

from ingest import load
from ingest.raw_tables import RAW_TABLES

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")

Manifest = dict[str, Any]

# Which layer may read which: a model reads its own layer or an earlier one, never a
# later one (quality rules read marts; reporting reads marts and quality findings).
LAYER_ORDER = ("staging", "intermediate", "marts", "quality", "reporting")
# Layers an exposure (dashboard, workbook, form, publish) may read.
EXPOSABLE_LAYERS = frozenset({"marts", "reporting", "quality"})
GRAPH_TYPES = frozenset({"model", "seed", "source", "snapshot"})
# Known exceptions, each with its reason (none today: every source is ingest's raw data,
# fresh after every nightly ingest).
FRESHNESS_EXCEPTIONS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Conventions:
    folders: dict[str, str]  # layer → folder name
    prefixes: dict[str, tuple[str, ...]]  # layer → name prefixes
    primary_key_tests: tuple[tuple[str, ...], ...]  # sets of test names that key a model

    @classmethod
    def from_project(cls, project: dict[str, Any]) -> Conventions:
        evaluator = project["vars"]["dbt_project_evaluator"]
        layers = evaluator["model_types"]
        return cls(
            folders={layer: evaluator[f"{layer}_folder_name"] for layer in layers},
            prefixes={layer: tuple(evaluator[f"{layer}_prefixes"]) for layer in layers},
            primary_key_tests=tuple(
                tuple(name.split(".")[-1].removeprefix("test_") for name in test_set)
                for test_set in evaluator["primary_key_test_macros"]
            ),
        )


# -- reading the manifest ------------------------------------------------------------------


def _models(manifest: Manifest) -> dict[str, dict[str, Any]]:
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == _project(manifest)
    }


def _project(manifest: Manifest) -> str:
    return manifest["metadata"].get("project_name") or "cchc"


def _parents(manifest: Manifest) -> dict[str, set[str]]:
    """Direct parents of every model, seed and snapshot (tests and exposures left out)."""
    parents: dict[str, set[str]] = {}
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] in GRAPH_TYPES:
            parents[uid] = set(node.get("depends_on", {}).get("nodes", []))
    return parents


def _name(uid: str) -> str:
    return ".".join(uid.split(".")[2:])


def folder_layer(path: str, conv: Conventions) -> str | None:
    """The layer of the folder nearest the file (models/marts/reporting/x → reporting)."""
    by_folder = {folder: layer for layer, folder in conv.folders.items()}
    for part in reversed(PurePosixPath(path).parent.parts):
        if part in by_folder:
            return by_folder[part]
    return None


def prefix_layer(name: str, conv: Conventions) -> str | None:
    for layer, prefixes in conv.prefixes.items():
        if name.startswith(prefixes):
            return layer
    return None


def _layer(node: dict[str, Any], conv: Conventions) -> str | None:
    return folder_layer(node["original_file_path"], conv)


# -- the checks ----------------------------------------------------------------------------


def prefix_folder_violations(manifest: Manifest, conv: Conventions) -> list[str]:
    """A model's prefix names the layer of its folder; staging sits in staging/<source>/."""
    out = []
    sources = manifest["sources"]
    for node in _models(manifest).values():
        path, name = node["original_file_path"], node["name"]
        folder, prefix = folder_layer(path, conv), prefix_layer(name, conv)
        if folder is None or prefix != folder:
            out.append(
                f"{path}: prefix of {name} says {prefix or 'no layer'}, folder says "
                f"{folder or 'no layer'} (expected {conv.prefixes.get(folder or '', '?')})"
            )
        if folder == "staging":
            parent_dirs = PurePosixPath(path).parent.parts
            for parent in node["depends_on"]["nodes"]:
                if parent in sources and sources[parent]["source_name"] not in parent_dirs:
                    out.append(
                        f"{path}: reads source {sources[parent]['source_name']} but is not "
                        f"in models/{conv.folders['staging']}/"
                        f"{sources[parent]['source_name']}/"
                    )
    return out


def source_reader_violations(manifest: Manifest, conv: Conventions) -> list[str]:
    """Only staging reads sources; staging reads only sources (and seeds)."""
    out = []
    for node in _models(manifest).values():
        layer = _layer(node, conv)
        parents = node["depends_on"]["nodes"]
        if layer != "staging":
            out += [
                f"{node['name']} ({layer}) reads source {_name(p)}"
                for p in parents
                if p.startswith("source.")
            ]
        else:
            out += [
                f"staging model {node['name']} reads model {_name(p)}"
                for p in parents
                if p.startswith("model.")
            ]
    return out


def layer_order_violations(manifest: Manifest, conv: Conventions) -> list[str]:
    """No model reads a model of a later layer (LAYER_ORDER)."""
    models = _models(manifest)
    out = []
    for node in models.values():
        layer = _layer(node, conv)
        for parent in node["depends_on"]["nodes"]:
            if parent not in models or layer not in LAYER_ORDER:
                continue
            parent_layer = _layer(models[parent], conv)
            if parent_layer in LAYER_ORDER and (
                LAYER_ORDER.index(parent_layer) > LAYER_ORDER.index(layer)
            ):
                out.append(f"{node['name']} ({layer}) reads {_name(parent)} ({parent_layer})")
    return out


def source_model_join_violations(manifest: Manifest) -> list[str]:
    """No model joins a source to a model."""
    out = []
    for node in _models(manifest).values():
        parents = node["depends_on"]["nodes"]
        if any(p.startswith("source.") for p in parents) and any(
            p.startswith("model.") for p in parents
        ):
            out.append(f"{node['name']} joins a source to a model: {sorted(map(_name, parents))}")
    return out


def undescribed_models(manifest: Manifest) -> list[str]:
    return [
        f"{node['original_file_path']}: {node['name']} has no description"
        for node in _models(manifest).values()
        if not node.get("description", "").strip()
    ]


def untested_primary_keys(manifest: Manifest, conv: Conventions) -> list[str]:
    """Every model's key tested: one set of primary_key_test_macros on one column (unique +
    not_null), or a model-level key test (unique_combination)."""
    tests_by_model: dict[str, dict[str | None, set[str]]] = defaultdict(lambda: defaultdict(set))
    for node in manifest["nodes"].values():
        if (
            node["resource_type"] == "test"
            and node.get("test_metadata")
            and node.get("attached_node")
        ):
            column = node.get("column_name")
            tests_by_model[node["attached_node"]][column].add(node["test_metadata"]["name"])
    out = []
    for uid, node in _models(manifest).items():
        by_column = tests_by_model.get(uid, {})
        keyed = any(
            set(test_set) <= names
            for names in by_column.values()
            for test_set in conv.primary_key_tests
        )
        if not keyed:
            out.append(f"{node['name']} has no primary-key test")
    return out


def uncontracted_public_models(manifest: Manifest) -> list[str]:
    return [
        f"{node['name']} is public but its contract is not enforced"
        for node in _models(manifest).values()
        if node.get("access") == "public" and not node["config"]["contract"]["enforced"]
    ]


def sources_without_freshness(
    manifest: Manifest, exceptions: frozenset[str] = frozenset()
) -> list[str]:
    out = []
    for source in manifest["sources"].values():
        if f"{source['source_name']}.{source['name']}" in exceptions:
            continue
        freshness = source["config"].get("freshness") or source.get("freshness") or {}
        counts = [(freshness.get(k) or {}).get("count") for k in ("warn_after", "error_after")]
        loaded_at = source.get("loaded_at_field") or source.get("loaded_at_query")
        if not any(counts) or not loaded_at:
            out.append(
                f"{source['original_file_path']}: source {source['source_name']}."
                f"{source['name']} has no freshness (warn_after/error_after and "
                "loaded_at_field or loaded_at_query)"
            )
    return out


def rejoin_violations(manifest: Manifest) -> list[str]:
    """A→B→C plus A→C where B feeds nothing but C (the evaluator's rule: a B with other
    children exists to share its logic, and reading both is fine)."""
    parents = _parents(manifest)
    for uid in manifest["sources"]:
        parents.setdefault(uid, set())
    children: dict[str, set[str]] = defaultdict(set)
    for child, ps in parents.items():
        for parent in ps:
            children[parent].add(child)
    out = []
    for c, c_parents in parents.items():
        for b in c_parents:
            if children[b] != {c}:
                continue
            for a in parents.get(b, set()) & c_parents:
                out.append(f"{_name(c)} reads {_name(a)} directly and through {_name(b)}")
    return sorted(out)


def exposure_violations(manifest: Manifest, conv: Conventions) -> list[str]:
    """Every exposure depends on at least one existing node, each a marts-side model."""
    models = _models(manifest)
    out = []
    for exposure in manifest.get("exposures", {}).values():
        needs = exposure.get("depends_on", {}).get("nodes", [])
        if not needs:
            out.append(f"exposure {exposure['name']} depends on nothing")
        for uid in needs:
            if uid not in manifest["nodes"] and uid not in manifest["sources"]:
                out.append(f"exposure {exposure['name']} depends on missing {uid}")
            elif uid not in models or _layer(models[uid], conv) not in EXPOSABLE_LAYERS:
                out.append(
                    f"exposure {exposure['name']} reads {_name(uid)}, not a model of "
                    f"{sorted(EXPOSABLE_LAYERS)}"
                )
    return out


# -- the project's own manifest ------------------------------------------------------------


@pytest.fixture(scope="module")
def conventions() -> Conventions:
    return Conventions.from_project(yaml.safe_load((ROOT / "dbt_project.yml").read_text()))


@dataclass(frozen=True)
class Parsed:
    """A `dbt parse` into a temp target dir; later dbt commands there parse partially."""

    dir: Path

    @property
    def warehouse(self) -> Path:
        return self.dir / "cchc.duckdb"

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                str(DBT),
                *args,
                "--target-path",
                str(self.dir / "target"),
                "--log-path",
                str(self.dir),
            ],
            cwd=ROOT,
            env={**os.environ, "CCHC_WAREHOUSE": str(self.warehouse)},
            capture_output=True,
            text=True,
            check=False,
        )


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> Parsed:
    parsed = Parsed(tmp_path_factory.mktemp("dbt_parse"))
    result = parsed.dbt("parse")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return parsed


@pytest.fixture(scope="module")
def manifest(parsed: Parsed) -> Manifest:
    return json.loads((parsed.dir / "target" / "manifest.json").read_text())


def test_conventions_read_the_evaluator_vars(conventions: Conventions) -> None:
    assert conventions.folders["reporting"] == "reporting"
    assert "mart_" in conventions.prefixes["marts"]
    assert ("unique", "not_null") in conventions.primary_key_tests
    assert ("unique_combination",) in conventions.primary_key_tests


def test_the_manifest_has_the_project(manifest: Manifest) -> None:
    assert len(_models(manifest)) >= 20
    assert manifest["sources"]


def test_prefixes_match_folders(manifest: Manifest, conventions: Conventions) -> None:
    assert prefix_folder_violations(manifest, conventions) == []


def test_only_staging_reads_sources(manifest: Manifest, conventions: Conventions) -> None:
    assert source_reader_violations(manifest, conventions) == []


def test_no_model_reads_a_later_layer(manifest: Manifest, conventions: Conventions) -> None:
    assert layer_order_violations(manifest, conventions) == []


def test_no_model_joins_a_source_to_a_model(manifest: Manifest) -> None:
    assert source_model_join_violations(manifest) == []


def test_every_model_is_described(manifest: Manifest) -> None:
    assert undescribed_models(manifest) == []


def test_every_model_has_its_primary_key_tested(
    manifest: Manifest, conventions: Conventions
) -> None:
    assert untested_primary_keys(manifest, conventions) == []


def test_public_models_carry_contracts(manifest: Manifest) -> None:
    assert uncontracted_public_models(manifest) == []


def test_every_source_table_has_freshness(manifest: Manifest) -> None:
    assert sources_without_freshness(manifest, FRESHNESS_EXCEPTIONS) == []
    raw = [s for s in manifest["sources"].values() if s["source_name"] == "raw"]
    # one source table per raw table ingest declares (ingest.raw_tables)
    assert len(raw) == len(RAW_TABLES)
    assert all(s["loaded_at_query"] or s["loaded_at_field"] for s in raw)


def test_no_rejoin_of_upstream_concepts(manifest: Manifest) -> None:
    assert rejoin_violations(manifest) == []


def test_exposures_depend_on_existing_marts(manifest: Manifest, conventions: Conventions) -> None:
    if not manifest.get("exposures"):
        pytest.skip("no exposures declared yet")
    assert exposure_violations(manifest, conventions) == []


# -- planted violations: each check flags a fabricated manifest fragment -------------------

_CONV = Conventions(
    folders={
        "staging": "staging",
        "intermediate": "intermediate",
        "marts": "marts",
        "reporting": "reporting",
        "quality": "quality",
    },
    prefixes={
        "staging": ("stg_",),
        "intermediate": ("int_",),
        "marts": ("fct_", "dim_", "mart_"),
        "reporting": ("rpt_",),
        "quality": ("qa_",),
    },
    primary_key_tests=(("unique", "not_null"), ("unique_combination",)),
)


def _model(name: str, folder: str, parents: tuple[str, ...] = (), **extra: Any) -> dict:
    return {
        f"model.cchc.{name}": {
            "resource_type": "model",
            "package_name": "cchc",
            "name": name,
            "original_file_path": f"models/{folder}/{name}.sql",
            "depends_on": {"nodes": list(parents)},
            "description": "One row per thing.",
            "access": "protected",
            "config": {"contract": {"enforced": False}},
            **extra,
        }
    }


def _test(name: str, model: str, column: str | None) -> dict:
    return {
        f"test.cchc.{name}_{model}_{column}": {
            "resource_type": "test",
            "package_name": "cchc",
            "name": name,
            "test_metadata": {"name": name},
            "attached_node": f"model.cchc.{model}",
            "column_name": column,
            "depends_on": {"nodes": [f"model.cchc.{model}"]},
            "original_file_path": "models/x.yml",
        }
    }


_SOURCE = {
    "source.cchc.raw.documents": {
        "resource_type": "source",
        "source_name": "raw",
        "name": "documents",
        "original_file_path": "models/staging/raw/_raw__sources.yml",
        "config": {"freshness": {"warn_after": {"count": 26, "period": "hour"}}},
        "loaded_at_field": "ingested_at",
    }
}


def _manifest(*fragments: dict, sources: dict | None = None, exposures: dict | None = None):
    nodes: dict[str, Any] = {}
    for fragment in fragments:
        nodes |= fragment
    return {
        "metadata": {"project_name": "cchc"},
        "nodes": nodes,
        "sources": _SOURCE if sources is None else sources,
        "exposures": exposures or {},
    }


_GOOD = _manifest(
    _model("stg_raw__documents", "staging/raw", ("source.cchc.raw.documents",)),
    _model("int_documents_placed", "intermediate", ("model.cchc.stg_raw__documents",)),
    _model("fct_documents", "marts", ("model.cchc.int_documents_placed",)),
    _model("rpt_documents", "marts/reporting", ("model.cchc.fct_documents",)),
    _test("unique", "stg_raw__documents", "document_id"),
    _test("not_null", "stg_raw__documents", "document_id"),
    _test("unique_combination", "int_documents_placed", None),
    _test("unique", "fct_documents", "document_id"),
    _test("not_null", "fct_documents", "document_id"),
    _test("unique_combination", "rpt_documents", None),
    exposures={
        "exposure.cchc.dashboard": {
            "name": "dashboard",
            "depends_on": {"nodes": ["model.cchc.rpt_documents"]},
        }
    },
)

_ALL_CHECKS = {
    "prefix": lambda m: prefix_folder_violations(m, _CONV),
    "sources": lambda m: source_reader_violations(m, _CONV),
    "layers": lambda m: layer_order_violations(m, _CONV),
    "join": source_model_join_violations,
    "described": undescribed_models,
    "keys": lambda m: untested_primary_keys(m, _CONV),
    "contracts": uncontracted_public_models,
    "freshness": sources_without_freshness,
    "rejoin": rejoin_violations,
    "exposures": lambda m: exposure_violations(m, _CONV),
}


def test_the_good_fragment_passes_every_check() -> None:
    assert {name: check(_GOOD) for name, check in _ALL_CHECKS.items()} == {
        name: [] for name in _ALL_CHECKS
    }


def _planted(kind: str) -> Manifest:
    """_GOOD with one violation of `kind` planted."""
    m = json.loads(json.dumps(_GOOD))
    nodes = m["nodes"]
    if kind == "prefix":  # a mart in the intermediate folder
        nodes |= _model("mart_x", "intermediate")
    elif kind == "prefix_staging_dir":  # staging model outside staging/<source>/
        nodes |= _model("stg_raw__x", "staging/other", ("source.cchc.raw.documents",))
    elif kind == "sources":
        nodes |= _model("int_x", "intermediate", ("source.cchc.raw.documents",))
    elif kind == "layers":
        nodes |= _model("int_y", "intermediate", ("model.cchc.fct_documents",))
    elif kind == "join":
        nodes |= _model(
            "fct_z", "marts", ("source.cchc.raw.documents", "model.cchc.int_documents_placed")
        )
    elif kind == "described":
        nodes["model.cchc.fct_documents"]["description"] = " "
    elif kind == "keys":  # unique without not_null does not key a model
        del nodes["test.cchc.not_null_fct_documents_document_id"]
    elif kind == "contracts":
        nodes["model.cchc.fct_documents"]["access"] = "public"
    elif kind == "freshness":
        m["sources"]["source.cchc.raw.documents"]["config"] = {"freshness": None}
    elif kind == "rejoin":  # fct_documents reads stg directly and through int_documents_placed
        nodes["model.cchc.fct_documents"]["depends_on"]["nodes"].append(
            "model.cchc.stg_raw__documents"
        )
    elif kind == "exposures":
        m["exposures"]["exposure.cchc.dashboard"]["depends_on"]["nodes"] = [
            "model.cchc.int_documents_placed",
            "model.cchc.gone",
        ]
    return m


@pytest.mark.parametrize(
    ("kind", "check"),
    [(kind, kind) for kind in _ALL_CHECKS] + [("prefix_staging_dir", "prefix")],
)
def test_each_check_flags_a_planted_violation(kind: str, check: str) -> None:
    assert _ALL_CHECKS[check](_planted(kind)), f"{check} did not flag a planted {kind}"


def test_a_rejoin_through_a_shared_model_is_allowed() -> None:
    m = _planted("rejoin")
    m["nodes"] |= _model("dim_other", "marts", ("model.cchc.int_documents_placed",))
    assert rejoin_violations(m) == []


# -- source freshness runs on DuckDB -------------------------------------------------------


def test_source_freshness_warns_when_the_last_ingest_is_older_than_a_night(
    parsed: Parsed,
) -> None:
    finished = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=30)
    with duckdb.connect(str(parsed.warehouse)) as con:
        load.ensure_schema(con)
        load.start_run(con, "old-run", "reports", finished - timedelta(minutes=1))
        counts = dict.fromkeys(
            (
                "files_seen",
                "documents_loaded",
                "documents_unchanged",
                "files_failed",
                "appendix_rows_loaded",
                "narrative_facts_loaded",
            ),
            0,
        )
        load.finish_run(con, "old-run", finished, counts, "ok")
    result = parsed.dbt("source", "freshness", "--select", "source:raw")
    assert result.returncode == 0, result.stdout[-3000:]
    results = json.loads((parsed.dir / "target" / "sources.json").read_text())["results"]
    statuses = {r["unique_id"].removeprefix("source.cchc."): r["status"] for r in results}
    assert statuses == dict.fromkeys(
        (
            "raw.documents",
            "raw.appendix_rows",
            "raw.narrative_facts",
            "raw.ingest_errors",
            "raw.ingest_runs",
            "raw.document_sightings",
        ),
        "warn",
    ), statuses
    loaded = {r["max_loaded_at"][:19] for r in results}
    assert loaded == {finished.isoformat()[:19]}, loaded
