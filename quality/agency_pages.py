"""The quality report an officer can read: one page per agency, in Vietnamese, beside
Great Expectations' Data Docs (``reports/quality/co-quan/``).

agency → report (file, period) → rule (in words, with its severity) → figures (what was
reported, what it should be, the lines). Also, per province and period, who has not
reported and which files were set aside. The rows come from the dashboard's reporting
models (rpt_dashboard_findings, _coverage, _set_aside); this module only lays them out.
Pure but for reading the warehouse (read-only) and writing the pages.
"""

from __future__ import annotations

import hashlib
import html
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from cchc.dashboard.fmt import format_date, format_value

Row = dict[str, Any]
FOLDER = "co-quan"
MODELS = {
    "findings": "marts.rpt_dashboard_findings",
    "coverage": "marts.rpt_dashboard_coverage",
    "set_aside": "marts.rpt_dashboard_set_aside",
}
STYLE = """
body{font-family:Arial,'Noto Sans',sans-serif;margin:24px;color:#212121;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px;margin-bottom:4px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 14px}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eceff1}td.num{text-align:right;white-space:nowrap}
td.source{font-family:monospace;font-size:12px}.error{color:#c62828;font-weight:bold}
.warning{color:#ef6c00;font-weight:bold}.missing{color:#c62828;font-weight:bold}
"""


@dataclass(frozen=True)
class AgencyPages:
    index: Path
    pages: tuple[Path, ...]


def slug(name: str, key: str) -> str:
    """A file name for an agency: its name without diacritics, and a short hash of its
    key (two agencies may share a name across provinces)."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = "".join(c if c.isalnum() else "-" for c in ascii_name).strip("-")
    while "--" in words:
        words = words.replace("--", "-")
    return f"{words[:60]}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def read_rows(warehouse: Path) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        existing = {
            f"{s}.{t}"
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        for part, table in MODELS.items():
            if table not in existing:
                out[part] = []
                continue
            cursor = con.execute(f"select * from {table}")
            names = [d[0] for d in cursor.description]
            out[part] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return out


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _page(title: str, body: Iterable[str], back: str | None) -> str:
    nav = f'<p><a href="{_e(back)}">← Danh sách cơ quan</a></p>' if back else ""
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>{nav}"
        f"<h1>{_e(title)}</h1>{''.join(body)}</body></html>"
    )


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(rows_cells) + "</tr>" for rows_cells in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<td{klass}>{_e(value)}</td>"


def _sort_key(row: Row, *names: str) -> tuple:
    return tuple("" if row.get(n) is None else str(row.get(n)) for n in names)


def _indicator(row: Row) -> str:
    return " ".join(x for x in (row["bnv_code"], row["indicator_name_vi"]) if x)


def _by_province(row: Row) -> tuple:
    return _sort_key(row, "province_name_vi", "period_key")


def agency_page(agency: str, findings: Sequence[Row]) -> str:
    """agency → report → rule → figures."""
    body = []
    errors = sum(1 for f in findings if f["severity"] == "error")
    body.append(
        f"<p>{errors} lỗi, {len(findings) - errors} cảnh báo trong các báo cáo của cơ quan.</p>"
    )
    reports: dict[tuple, list[Row]] = {}
    for f in sorted(findings, key=lambda r: _sort_key(r, "period_key", "file_path")):
        reports.setdefault((f.get("file_path"), f.get("period_label_vi")), []).append(f)
    for (file_path, period), rows in reports.items():
        body.append(f"<h2>Báo cáo {_e(period)} — tệp {_e(file_path or 'không rõ')}</h2>")
        rules: dict[str, list[Row]] = {}
        for r in sorted(rows, key=lambda r: _sort_key(r, "severity_order", "rule_id")):
            rules.setdefault(r["rule_id"], []).append(r)
        for group in rules.values():
            first = group[0]
            body.append(
                f'<h3><span class="{_e(first["severity"])}">{_e(first["severity_label_vi"])}'
                f"</span> — {_e(first['rule_family_label_vi'])}: {_e(first['rule_label_vi'])}</h3>"
            )
            if first.get("what_to_do_vi"):
                body.append(f"<p>Việc cần làm: {_e(first['what_to_do_vi'])}</p>")
            body.append(
                _table(
                    (
                        "Chỉ tiêu",
                        "Số đã báo cáo",
                        "Số đúng ra phải là",
                        "Dòng trong tệp",
                        "Diễn giải",
                        "Rà soát",
                    ),
                    (
                        (
                            _cell(
                                " ".join(x for x in (r["bnv_code"], r["indicator_name_vi"]) if x)
                            ),
                            _cell(format_value(r["reported_value"], r["unit_code"]), "num"),
                            _cell(format_value(r["expected_value"], r["unit_code"]), "num"),
                            _cell(r["source_lines"], "source"),
                            _cell(r["message_vi"]),
                            _cell(r["review_status_label_vi"]),
                        )
                        for r in sorted(group, key=lambda r: _sort_key(r, "source_lines"))
                    ),
                )
            )
    return _page(agency, body, "index.html")


def index_page(
    agencies: Sequence[tuple[str, str, int, int]],
    coverage: Sequence[Row],
    set_aside: Sequence[Row],
) -> str:
    body = [
        "<p>Kết quả kiểm tra số liệu báo cáo cải cách hành chính theo từng cơ quan. "
        'Kết quả kỹ thuật đầy đủ: <a href="../index.html">Data Docs</a>.</p>',
        "<h2>Các cơ quan có phát hiện</h2>",
    ]
    if agencies:
        body.append(
            _table(
                ("Cơ quan", "Lỗi", "Cảnh báo"),
                (
                    (
                        f'<td><a href="{_e(href)}">{_e(name)}</a></td>',
                        _cell(errors, "num"),
                        _cell(warnings, "num"),
                    )
                    for name, href, errors, warnings in agencies
                ),
            )
        )
    else:
        body.append("<p>Không có phát hiện nào.</p>")
    missing = [c for c in coverage if not c["is_sent"]]
    body.append("<h2>Cơ quan chưa gửi báo cáo</h2>")
    body.append(
        _table(
            ("Tỉnh", "Kỳ báo cáo", "Cơ quan", "Hạn gửi", "Việc cần làm"),
            (
                (
                    _cell(c["province_name_vi"]),
                    _cell(c["period_label_vi"]),
                    _cell(c["agency_name_vi"], "missing"),
                    _cell(format_date(c["due_date"])),
                    _cell(c["what_to_do_vi"]),
                )
                for c in sorted(
                    missing, key=lambda r: _sort_key(r, "province_name_vi", "period_key")
                )
            ),
        )
        if missing
        else "<p>Mọi cơ quan phải báo cáo đều đã gửi.</p>"
    )
    body.append("<h2>Báo cáo không đọc được hoặc bị gác lại</h2>")
    body.append(
        _table(
            ("Tệp", "Lý do", "Việc cần làm", "Chi tiết kỹ thuật"),
            (
                (
                    _cell(s["file_path"], "source"),
                    _cell(s["reason_vi"]),
                    _cell(s["what_to_do_vi"]),
                    _cell(s["detail"]),
                )
                for s in sorted(set_aside, key=lambda r: _sort_key(r, "file_path"))
            ),
        )
        if set_aside
        else "<p>Không có báo cáo nào bị gác lại.</p>"
    )
    return _page("Báo cáo chất lượng số liệu theo cơ quan", body, None)


def write_agency_pages(rows: dict[str, list[Row]], site: Path) -> AgencyPages:
    folder = site / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    by_agency: dict[str, list[Row]] = {}
    for finding in rows["findings"]:
        key = finding.get("agency_key") or finding.get("agency_name_vi") or "?"
        by_agency.setdefault(key, []).append(finding)
    listed = []
    pages = []
    for key, findings in sorted(by_agency.items(), key=lambda kv: kv[1][0]["agency_name_vi"]):
        name = findings[0]["agency_name_vi"]
        page = folder / f"{slug(name, key)}.html"
        page.write_text(agency_page(name, findings), encoding="utf-8")
        pages.append(page)
        errors = sum(1 for f in findings if f["severity"] == "error")
        listed.append((name, page.name, errors, len(findings) - errors))
    index = folder / "index.html"
    index.write_text(index_page(listed, rows["coverage"], rows["set_aside"]), encoding="utf-8")
    _link_from_data_docs(site)
    return AgencyPages(index, tuple(pages))


def _link_from_data_docs(site: Path) -> None:
    """A line at the top of every Data Docs page leading to the officers' pages."""
    marker = 'id="cchc-agency-pages"'
    for page in sorted(site.rglob("*.html")):
        if FOLDER in page.relative_to(site).parts:
            continue
        text = page.read_text(encoding="utf-8")
        if marker in text:
            continue
        href = Path(os.path.relpath(site / FOLDER / "index.html", page.parent)).as_posix()
        link = (
            f'<div {marker} style="padding:8px 16px;background:#e3f2fd;font-size:15px">'
            f'<a href="{href}">Báo cáo chất lượng số liệu theo cơ quan (tiếng Việt)</a></div>'
        )
        text = text.replace("<body>", "<body>" + link, 1) if "<body>" in text else link + text
        page.write_text(text, encoding="utf-8")
