"""The one reader of dbt's documentation (cchc.manifest), on tiny manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from cchc import manifest


def _write(tmp_path: Path, nodes: dict) -> Path:
    path = tmp_path / "target" / "manifest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"nodes": nodes}), encoding="utf-8")
    return path


NODES = {
    "model.cchc.dim_x": {
        "resource_type": "model",
        "schema": "marts",
        "name": "dim_x",
        "alias": "dim_x",
        "description": "One row per x.\n  Mỗi dòng là một x.",
        "columns": {
            "x_key": {
                "description": "Key / Khóa.",
                "meta": {"label_vi": "Khóa", "label_en": "Key"},
                "config": {"meta": {"label_vi": "Khóa", "label_en": "Key"}},
            },
            "note": {"description": "", "config": {"meta": {}}},
        },
    },
    "model.cchc.qa_rule_results": {
        "resource_type": "model",
        "schema": "quality",
        "name": "qa_rule_results",
        "alias": "rule_results",
        "description": "One row per finding.",
        "columns": {"rule_id": {"description": "Rule / Quy tắc.", "meta": {"label_vi": "Quy tắc"}}},
    },
    "test.cchc.not_null_dim_x_x_key": {"resource_type": "test", "schema": "marts", "name": "t"},
}


def test_labels_and_comments_by_the_relation_users_see(tmp_path: Path) -> None:
    docs = manifest.from_manifest(_write(tmp_path, NODES))
    assert set(docs.models) == {"marts.dim_x", "quality.rule_results"}  # the alias, no tests
    assert docs.label("marts.dim_x", "x_key") == "Khóa"
    assert docs.label("marts.dim_x", "x_key", "en") == "Key"
    assert docs.label("marts.dim_x", "note") == "note"  # no meta: the column's name
    assert docs.label("quality.rule_results", "rule_id", "en") == "rule_id"
    assert docs.labels("vi")["quality.rule_results"] == {"rule_id": "Quy tắc"}
    assert docs.comments()[("marts", "dim_x")] == (
        "One row per x. Mỗi dòng là một x.",
        {"x_key": "Key / Khóa.", "note": ""},
    )
    with pytest.raises(ValueError, match="language"):
        docs.label("marts.dim_x", "x_key", "fr")


def test_a_broken_manifest_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(manifest.ManifestUnreadable, match="cchc build"):
        manifest.from_manifest(path)
    assert manifest.load_optional(tmp_path / "missing.json").models == {}
    assert manifest.load_optional(None).models == {}


def test_project_without_a_manifest_reads_the_property_files(tmp_path: Path) -> None:
    models = tmp_path / "models" / "marts"
    models.mkdir(parents=True)
    (models / "_marts__models.yml").write_text(
        (ROOT / "models" / "marts" / "_marts__models.yml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    docs = manifest.load_project(tmp_path)
    assert docs.label("marts.fct_indicator_value", "value_numeric") == "Giá trị theo đơn vị chuẩn"
    assert docs.label("marts.dim_province", "province_code", "en").startswith("Official code")
    _write(tmp_path, NODES)  # once built, the manifest wins
    assert set(manifest.load_project(tmp_path).models) == {"marts.dim_x", "quality.rule_results"}
