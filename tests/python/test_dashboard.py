"""`render_dashboard`: one self-contained HTML file, rendered in a real headless Chromium.

The page is built from the shared sample warehouse, opened as a file:// URL with no
network, and the DOM Chromium dumps after running the page's JavaScript is checked: every
chart is drawn by plotly (its SVG exists inside the chart's id) and the SVG text carries the
warehouse's numbers, queried here from the warehouse rather than written into the test.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cchc import dashboard
from cchc.dashboard import (
    CHART_COMPARISON,
    CHART_HISTORY,
    CHART_RULES,
    CHART_TARGETS,
    TABLE_RULES,
    format_value,
    render_dashboard,
)

CHART_IDS = (CHART_COMPARISON, CHART_HISTORY, CHART_RULES, CHART_TARGETS)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=5000",
)


# ---------------------------------------------------------------- fixtures


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; installed with apt-get when missing (CI runs as root)."""
    found = _find_chromium()
    if found:
        return found
    if os.geteuid() != 0:
        pytest.fail("chromium is not installed and apt-get needs root: apt-get install chromium")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr[-2000:]}"
    found = _find_chromium()
    assert found, "apt-get installed chromium but it is not on PATH"
    return found


def _run_chromium(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / f"profile-{time.monotonic_ns()}"  # a fresh profile for every run
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def page(built, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("dashboard") / "reports" / "dashboard.html"
    started = time.monotonic()
    summary = render_dashboard(built.warehouse, out)
    seconds = time.monotonic() - started
    print(f"\ndashboard: {summary.bytes_written} bytes in {seconds:.2f} s → {out}")
    return summary


@pytest.fixture(scope="module")
def rendered(page, chromium: str, tmp_path_factory: pytest.TempPathFactory):
    """The DOM after Chromium ran the page's scripts, and its chart parts."""
    tmp = tmp_path_factory.mktemp("chromium")
    started = time.monotonic()
    done = _run_chromium(chromium, tmp, "--dump-dom", page.out_file.resolve().as_uri())
    print(f"\nchromium --dump-dom: {time.monotonic() - started:.2f} s")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "</html>" in dom, "Chromium dumped no document"
    parser = ChartParser()
    parser.feed(dom)
    return dom, parser.charts


class ChartParser(HTMLParser):
    """For each element whose id starts with 'chart-': the classes inside it and the text
    of its SVG <text> elements (what plotly actually drew)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charts: dict[str, dict[str, list[str]]] = {}
        self._current: str | None = None
        self._depth = 0
        self._in_text = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        chart_id = values.get("id") or ""
        if self._current is None and tag == "div" and chart_id.startswith("chart-"):
            self._current, self._depth = chart_id, 0
            self.charts[chart_id] = {"classes": [], "texts": []}
        if self._current is None:
            return
        if tag == "div":
            self._depth += 1
        if tag == "text":
            self._in_text += 1
            self.charts[self._current]["texts"].append("")
        self.charts[self._current]["classes"].extend((values.get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if self._current is None:
            return
        if tag == "text":
            self._in_text -= 1
        if tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None and self._in_text:
            self.charts[self._current]["texts"][-1] += data


def _texts(rendered, chart_id: str) -> list[str]:
    return [t.strip() for t in rendered[1][chart_id]["texts"]]


# ---------------------------------------------------------------- the file itself


def test_the_file_is_self_contained(page) -> None:
    text = page.out_file.read_text(encoding="utf-8")
    assert page.bytes_written == page.out_file.stat().st_size
    scripts = re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE)
    assert not [s for s in scripts if "src=" in s.lower()], "a script is loaded from elsewhere"
    assert not re.search(r"<(?:link|img|iframe)\b[^>]*(?:href|src)\s*=\s*[\"']?https?:", text)
    assert text.count("Plotly.newPlot(") == len(CHART_IDS)
    # plotly.js inlined exactly once: its version banner appears once
    assert len(re.findall(r"plotly\.js v\d+\.\d+\.\d+", text)) == 1
    assert page.charts_drawn == CHART_IDS and page.charts_empty == ()


def test_each_chart_embeds_the_numbers_it_draws(page, built) -> None:
    text = page.out_file.read_text(encoding="utf-8")

    def embedded(chart_id: str) -> list[dict]:
        match = re.search(
            rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>', text, re.S
        )
        assert match, f"{chart_id} embeds no data"
        return json.loads(match.group(1))

    comparison = embedded(CHART_COMPARISON)
    expected = built.query(
        "select province_2025_key, indicator_code, value_numeric "
        "from marts.mart_province_comparison where period_key = ? and value_numeric is not null",
        [page.comparison_period_key],
    )
    assert sorted(
        (r["province_2025_key"], r["indicator_code"], r["value_numeric"]) for r in comparison
    ) == sorted(expected)
    quality = embedded(CHART_RULES)
    assert sum(r["rules_broken"] for r in quality) == built.scalar(
        "select sum(rules_broken) from quality.agency_report_quality"
    )
    targets = embedded(CHART_TARGETS)
    assert len(targets) == built.scalar(
        "select count(*) from marts.mart_target_attainment where target_value is not null"
    )
    history = embedded(CHART_HISTORY)
    assert {r["indicator_code"] for r in history} == {page.history_indicator_code}


def test_charts_read_the_reporting_models(page, built) -> None:
    """Each chart's rows are its rpt_dashboard_* model's rows, in chart_order."""
    text = page.out_file.read_text(encoding="utf-8")
    for chart_id, model, key in (
        (CHART_COMPARISON, "rpt_dashboard_comparison", "province_2025_key"),
        (CHART_TARGETS, "rpt_dashboard_targets", "source_line"),
    ):
        match = re.search(
            rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>', text, re.S
        )
        assert match, chart_id
        drawn = [row[key] for row in json.loads(match.group(1))]
        expected = [
            v for (v,) in built.query(f"select {key} from marts.{model} order by chart_order")
        ]
        assert drawn == expected, chart_id


def test_comparison_uses_the_latest_period_with_data(page, built) -> None:
    latest = built.scalar(
        """
        select c.period_key from marts.mart_province_comparison c
        join marts.dim_period p using (period_key)
        where c.value_numeric is not null and p.period_type <> 'plan'
        order by p.nominal_end_date desc, p.nominal_start_date limit 1
        """
    )
    assert page.comparison_period_key == latest


# ---------------------------------------------------------------- rendered in Chromium


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_plotly_drew_each_chart(rendered, chart_id: str) -> None:
    charts = rendered[1]
    assert chart_id in charts, f"no element with id {chart_id} in the rendered page"
    classes = set(charts[chart_id]["classes"])
    assert {"plot-container", "main-svg"} <= classes, f"{chart_id} was not drawn"
    assert _texts(rendered, chart_id), f"{chart_id} has no SVG text"


def test_comparison_bars_carry_the_warehouse_values(rendered, page, built) -> None:
    rows = built.query(
        """
        select c.value_numeric, i.unit_code, c.province_name_vi
        from marts.mart_province_comparison c
        left join marts.dim_indicator i using (indicator_code)
        where c.period_key = ? and c.value_numeric is not null
        """,
        [page.comparison_period_key],
    )
    assert rows
    texts = _texts(rendered, CHART_COMPARISON)
    for value, unit, _ in rows:
        assert format_value(value, unit) in texts, (value, unit, texts)
    # provinces as they are since the 2025 merger (the 34), never the 63
    for _, _, province in rows:
        assert province in texts
    old_only = built.query(
        "select name_vi from marts.dim_province where era = '63' and name_vi not in "
        "(select name_vi from marts.dim_province where era = '34')"
    )
    assert not {name for (name,) in old_only} & set(texts)


def test_history_lines_carry_the_warehouse_values(rendered, page, built) -> None:
    rows = built.query(
        """
        select m.value_numeric, m.unit_code, p25.name_vi
        from marts.mart_province_indicator m
        join marts.dim_period p using (period_key)
        join marts.dim_province p25 on p25.province_key = m.province_2025_key
        where m.indicator_code = ? and m.value_numeric is not null and p.period_type <> 'plan'
        """,
        [page.history_indicator_code],
    )
    assert len(rows) >= 2
    texts = _texts(rendered, CHART_HISTORY)
    for value, unit, _ in rows:
        assert format_value(value, unit) in texts
    legend = " ".join(texts)
    for _, _, province_2025 in rows:
        assert province_2025 in legend  # lines grouped under the 2025 unit's name


def test_rule_chart_and_table_carry_the_findings(rendered, built) -> None:
    dom = rendered[0]
    texts = _texts(rendered, CHART_RULES)
    broken = built.query("select rules_broken, errors from quality.agency_report_quality")
    for rules_broken, errors in broken:
        assert format_value(rules_broken) in texts
        assert format_value(errors) in texts
    table = re.search(rf'<table id="{TABLE_RULES}".*?</table>', dom, re.S)
    assert table
    body = table.group(0)
    findings = built.query(
        "select message_vi, severity, file_path, source_lines from quality.rule_results"
    )
    assert body.count("<tr") == len(findings) + 1  # + the header
    from html import escape

    for message, severity, file_path, lines in findings:
        assert escape(message, quote=False) in body
        assert severity in body
        if file_path:
            assert file_path in body and escape(lines, quote=False) in body


def test_targets_chart_marks_each_status(rendered, built) -> None:
    texts = _texts(rendered, CHART_TARGETS)
    actuals = built.query(
        "select t.actual_value, i.unit_code from marts.mart_target_attainment t "
        "left join marts.dim_indicator i using (indicator_code) where t.actual_value is not null"
    )
    for value, unit in actuals:
        assert format_value(value, unit) in texts
    legend = " ".join(texts)
    statuses = {
        s
        for (s,) in built.query(
            "select distinct attainment_status from marts.mart_target_attainment"
        )
    }
    for status in statuses:
        assert status in legend  # each status drawn has its legend entry
    assert "Mục tiêu" in legend


def test_screenshot_is_not_blank(page, chromium: str, tmp_path: Path) -> None:
    shot = tmp_path / "dashboard.png"
    done = _run_chromium(
        chromium,
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        page.out_file.resolve().as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, f"screenshot is {len(data)} bytes: blank?"


# ---------------------------------------------------------------- pure parts


def test_format_value_writes_numbers_the_vietnamese_way() -> None:
    assert format_value(1855.0) == "1.855"
    assert format_value(92.094862, "percent") == "92,09%"
    assert format_value(23.6, "percent") == "23,6%"
    assert format_value(1234567.891) == "1.234.567,89"
    assert format_value(0.0, "percent") == "0%"
    assert format_value(None) == "—"
    assert format_value(math.nan) == "—"


def test_empty_warehouse_gives_notes_not_empty_charts(tmp_path: Path) -> None:
    warehouse = tmp_path / "empty.duckdb"
    duckdb.connect(str(warehouse)).close()
    out = tmp_path / "dashboard.html"
    summary = render_dashboard(warehouse, out)
    text = out.read_text(encoding="utf-8")
    assert summary.charts_drawn == () and set(summary.charts_empty) == set(CHART_IDS)
    for chart_id in (*CHART_IDS, TABLE_RULES):
        assert re.search(rf'id="{chart_id}" class="no-data">Chưa có số liệu', text)
    assert "Plotly.newPlot(" not in text


def test_history_indicator_choice() -> None:
    history = pd.DataFrame({"indicator_code": ["a", "b", "b", "c", "c"]})
    assert dashboard.choose_history_indicator(history) == "b"
    assert dashboard.choose_history_indicator(history, "c") == "c"
    assert dashboard.choose_history_indicator(history, "zzz") == "b"
    assert dashboard.choose_history_indicator(history.iloc[0:0]) is None


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    from cchc.errors import StepFailed

    with pytest.raises(StepFailed, match="no warehouse"):
        render_dashboard(tmp_path / "nope.duckdb", tmp_path / "d.html")
    assert not (tmp_path / "nope.duckdb").exists()  # read-only: nothing created


def test_history_marks_the_merger_when_the_series_spans_it() -> None:
    history = pd.DataFrame(
        {
            "indicator_code": ["x", "x", "x"],
            "indicator_name_vi": ["Tỷ lệ"] * 3,
            "indicator_name_en": ["Share"] * 3,
            "unit_code": ["percent"] * 3,
            "province_key": ["02@1900-01-01", "08@1900-01-01", "08@2025-07-01"],
            "province_name_vi": ["Hà Giang", "Tuyên Quang", "Tuyên Quang"],
            "province_2025_name_vi": ["Tuyên Quang"] * 3,
            "period_label_vi": ["Năm 2024", "Năm 2024", "Năm 2025"],
            "basis": ["province_report"] * 3,
            "nominal_end_date": pd.to_datetime(["2024-12-31", "2024-12-31", "2025-12-31"]),
            "value_numeric": [40.0, 50.0, 45.5],
            "merger_date": pd.to_datetime(["2025-07-01"] * 3),
        }
    )
    fig = dashboard.history_figure(history, "x")
    assert fig is not None
    assert len(fig.data) == 3  # one line per province as it was
    assert {t.legendgroup for t in fig.data} == {"Tuyên Quang"}
    assert [s.x0 for s in fig.layout.shapes] == ["2025-07-01"]  # the frame's merger_date
    assert [a.text for a in fig.layout.annotations] == ["Sáp nhập tỉnh 1/7/2025"]
    assert dashboard.history_figure(history.iloc[0:2], "x").layout.shapes == ()
    # no merger date (an older warehouse): no marker rather than a guessed one
    undated = history.drop(columns=["merger_date"])
    assert dashboard.history_figure(undated, "x").layout.shapes == ()


def test_unreadable_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    from cchc.errors import StepFailed

    not_duckdb = tmp_path / "bad.duckdb"
    not_duckdb.write_text("not a database", encoding="utf-8")
    with pytest.raises(StepFailed, match="cannot read the warehouse"):
        render_dashboard(not_duckdb, tmp_path / "d.html")
    assert not (tmp_path / "d.html").exists()
