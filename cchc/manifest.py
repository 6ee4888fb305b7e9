"""The one reader of dbt's documentation for the read side.

dbt writes every model's description and every column's description and ``meta``
(``label_vi``, ``label_en``) into ``target/manifest.json``. The officers' workbook, the
exports, the PostgreSQL publish and the dashboard take their labels and comments from
here, loaded once. Before a first build there is no manifest: :func:`load_project` then
reads the same facts from the property files (``models/**/_*.yml``).

A column without ``meta`` labels is labelled with its own name; nothing is parsed out of
descriptions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.errors import StepFailed

LANGUAGES = ("vi", "en")


class ManifestUnreadable(StepFailed):
    """target/manifest.json exists but cannot be read."""


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    description: str = ""
    label_vi: str | None = None
    label_en: str | None = None

    def label(self, language: str = "vi") -> str:
        """The label in ``language`` ('vi' or 'en'); the column name when there is none."""
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r}: expected one of {LANGUAGES}")
        return (self.label_vi if language == "vi" else self.label_en) or self.name


@dataclass(frozen=True)
class ModelDoc:
    schema: str
    name: str  # the relation's name in the warehouse (the model's alias, if it has one)
    description: str = ""
    columns: Mapping[str, ColumnDoc] = field(default_factory=dict)

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Docs:
    """Model and column documentation by relation (``"schema.table"``)."""

    models: Mapping[str, ModelDoc] = field(default_factory=dict)

    def column(self, relation: str, column: str) -> ColumnDoc:
        model = self.models.get(relation)
        found = model.columns.get(column) if model else None
        return found or ColumnDoc(column)

    def label(self, relation: str, column: str, language: str = "vi") -> str:
        return self.column(relation, column).label(language)

    def labels(self, language: str = "vi") -> dict[str, dict[str, str]]:
        """``"schema.table"`` → {column: label}, for every documented column."""
        return {
            relation: {name: doc.label(language) for name, doc in model.columns.items()}
            for relation, model in self.models.items()
            if model.columns
        }

    def comments(self) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
        """(schema, table) → (model description, {column: description}) for comments."""
        return {
            (model.schema, model.name): (
                model.description,
                {name: doc.description for name, doc in model.columns.items()},
            )
            for model in self.models.values()
        }


def _meta(column: Mapping[str, Any]) -> Mapping[str, Any]:
    """A column's meta: dbt ≥ 1.10 keeps it under config.meta, older YAML beside it."""
    config = column.get("config") or {}
    return {**(column.get("meta") or {}), **(config.get("meta") or {})}


def _column(name: str, column: Mapping[str, Any]) -> ColumnDoc:
    meta = _meta(column)
    return ColumnDoc(
        name=name,
        description=" ".join((column.get("description") or "").split()),
        label_vi=(str(meta["label_vi"]).strip() or None) if meta.get("label_vi") else None,
        label_en=(str(meta["label_en"]).strip() or None) if meta.get("label_en") else None,
    )


def _model(schema: str, name: str, description: str | None, columns: Iterable) -> ModelDoc:
    docs = {column_name: _column(column_name, column) for column_name, column in columns}
    return ModelDoc(schema, name, " ".join((description or "").split()), docs)


def from_manifest(path: Path) -> Docs:
    """The documentation of every model in dbt's ``target/manifest.json``."""
    try:
        nodes = json.loads(Path(path).read_text(encoding="utf-8"))["nodes"]
    except (OSError, ValueError, KeyError) as exc:
        raise ManifestUnreadable(
            f"cannot read dbt manifest {path} ({exc}) — run `cchc build` to write it again"
        ) from exc
    models: dict[str, ModelDoc] = {}
    for node in nodes.values():
        if node.get("resource_type") != "model":
            continue
        model = _model(
            node["schema"],
            node.get("alias") or node["name"],
            node.get("description"),
            (node.get("columns") or {}).items(),
        )
        models[model.relation] = model
    return Docs(models)


def from_yaml(paths: Iterable[Path], *, schema: str | None = None) -> Docs:
    """The same documentation from dbt property files, for when nothing has been built.
    The schema is ``schema`` or the file's first folder under ``models/`` (this project
    names schemas after those folders); a model's ``config.alias`` names its relation."""
    import yaml  # installed with dbt-core

    models: dict[str, ModelDoc] = {}
    for path in paths:
        path = Path(path)
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in document.get("models") or []:
            config = entry.get("config") or {}
            model = _model(
                config.get("schema") or schema or _schema_of(path),
                config.get("alias") or entry["name"],
                entry.get("description"),
                ((c["name"], c) for c in entry.get("columns") or [] if c.get("name")),
            )
            models[model.relation] = model
    return Docs(models)


def _schema_of(path: Path) -> str:
    parts = path.resolve().parts
    if "models" in parts:
        index = len(parts) - 1 - parts[::-1].index("models")
        if index + 2 < len(parts):
            return parts[index + 1]
    return path.parent.name


def manifest_path(project_dir: Path) -> Path:
    return Path(project_dir) / "target" / "manifest.json"


def load_project(project_dir: Path, manifest: Path | None = None) -> Docs:
    """The project's documentation: the manifest of the build (``manifest``, where the
    build wrote it; else the project's target/), else the property files."""
    manifest = Path(manifest) if manifest is not None else manifest_path(project_dir)
    if manifest.exists():
        return from_manifest(manifest)
    return from_yaml(sorted((Path(project_dir) / "models").glob("**/_*.yml")))


def load_optional(manifest: Path | None) -> Docs:
    """The manifest's documentation, or none when there is no manifest."""
    if manifest is None or not Path(manifest).exists():
        return Docs()
    return from_manifest(manifest)
