"""The officer's dashboard: one self-contained HTML file, driven in a real headless
Chromium (Debian's chromium + chromium-driver, through selenium).

The page is built from the shared sample warehouse and opened as a file:// URL with no
network. The test chooses era, province and period as an officer would, and compares
what the page drew (its DOM, plotly's data) with the warehouse, queried here from the
marts and quality tables rather than written into the test.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from conftest import Built

from cchc.dashboard import format_date, format_number, format_value, render_dashboard
from cchc.dashboard.data import read_letters

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1400,1800",
)
ENGLISH_MONTHS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
TUYEN_QUANG_63 = "08@1900-01-01"
TUYEN_QUANG_34 = "08@2025-07-01"


# ---------------------------------------------------------------- fixtures


def _install_browser() -> None:
    """What `make browser` does, for a pytest run without make."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"],
    ):
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr[-2000:]}"


@pytest.fixture(scope="module")
def page(built: Built, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("dashboard") / "reports" / "dashboard.html"
    started = time.monotonic()
    summary = render_dashboard(built.warehouse, out, quality_dir=out.parent / "quality")
    print(f"\ndashboard: {summary.bytes_written} bytes in {time.monotonic() - started:.2f} s")
    return summary


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        _install_browser()
    os.environ.setdefault("SE_AVOID_STATS", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    started = time.monotonic()
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    print(f"\nchromium started in {time.monotonic() - started:.2f} s")
    try:
        yield browser
    finally:
        browser.quit()


def _open(driver, url: str) -> None:
    """Load the page, unless it is the one already open (choices are made on it)."""
    if driver.current_url.split("#")[0] == url:
        return
    driver.get(url)
    _wait_drawn(driver)


def _wait_drawn(driver, previous: str | None = None) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        drawn = driver.execute_script("return document.body.getAttribute('data-drawn')")
        if drawn and drawn != previous:
            return drawn
        time.sleep(0.05)
    raise AssertionError("the page did not draw")


def _poll(driver, script: str, seconds: float = 10):
    """The script's value once it is not empty (plotly draws its axes asynchronously)."""
    deadline = time.monotonic() + seconds
    while True:
        value = driver.execute_script(script)
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def _choose(driver, select_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    before = driver.execute_script("return document.body.getAttribute('data-drawn')")
    select = Select(driver.find_element(By.ID, select_id))
    if select.first_selected_option.get_attribute("value") == value:
        return
    select.select_by_value(value)
    if select_id != "choose-indicator":
        _wait_drawn(driver, before)


def _choose_all(driver, era: str, province: str, period: str) -> None:
    _choose(driver, "choose-era", era)
    _choose(driver, "choose-province", province)
    _choose(driver, "choose-period", period)
    assert driver.execute_script("return document.body.getAttribute('data-drawn')") == (
        f"{era}|{province}|{period}"
    )


def _rows(driver, table_id: str) -> list[list[str]]:
    return driver.execute_script(
        """
        const t = document.getElementById(arguments[0]);
        if (!t || t.tagName !== 'TABLE') return [];
        return [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()));
        """,
        table_id,
    )


def _column(driver, table_id: str, header: str) -> list[str]:
    headers = driver.execute_script(
        "return [...document.getElementById(arguments[0]).tHead.rows[0].cells]"
        ".map(c => c.innerText.trim())",
        table_id,
    )
    index = headers.index(header)
    return [row[index] for row in _rows(driver, table_id)]


def _coverage_expected(built: Built, era: str, province: str, period: str) -> list[tuple]:
    key = "province_key" if era == "63" else "province_2025_key"
    return built.query(
        f"""
        select c.agency_name_vi, l.label_vi, c.due_date, c.report_date
        from quality.report_coverage c
        join marts.dim_period per using (period_key)
        join marts.dim_province p on p.province_code = c.province_code
            and per.nominal_end_date between p.valid_from
            and coalesce(p.valid_to, date '9999-12-31')
        join raw.code_labels l on l.code_set = 'coverage_status' and l.code = c.coverage_status
        where p.{key} = ? and c.period_key = ?
        order by c.agency_name_vi
        """,
        [province, period],
    )


# ---------------------------------------------------------------- pure parts


def test_numbers_and_dates_are_written_the_vietnamese_way() -> None:
    assert format_number(1855.0) == "1.855"
    assert format_number(1234567.891) == "1.234.567,89"
    assert format_number(-1044.5) == "-1.044,5"
    assert format_value(92.094862, "percent") == "92,09%"
    assert format_value(23.6, "percent") == "23,6%"
    assert format_value(0.0, "percent") == "0%"
    assert format_value(None) == "—" and format_value(math.nan, "percent") == "—"
    assert format_date(date(2023, 3, 5)) == "05/03/2023"
    assert format_date("2023-12-20") == "20/12/2023"
    assert format_date(None) == ""


def test_letters_index_is_read_when_present(tmp_path: Path) -> None:
    letters = tmp_path / "exports" / "letters"
    (letters / "08" / "q1").mkdir(parents=True)
    (letters / "08" / "q1" / "so-noi-vu.docx").write_bytes(b"docx")
    (letters / "index.csv").write_text(
        "province_key,period_key,agency_name_vi,file_path\n"
        f"{TUYEN_QUANG_63},quarter-2023-1,Sở Nội vụ,08/q1/so-noi-vu.docx\n",
        encoding="utf-8",
    )
    [row] = read_letters(letters / "index.csv", tmp_path / "reports")
    assert row["href"] == "../exports/letters/08/q1/so-noi-vu.docx"
    assert row["agency_name_vi"] == "Sở Nội vụ"
    assert read_letters(tmp_path / "none.csv", tmp_path) == []


# ---------------------------------------------------------------- the file itself


def test_the_file_is_self_contained(page) -> None:
    text = page.out_file.read_text(encoding="utf-8")
    assert page.bytes_written == page.out_file.stat().st_size
    scripts = re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE)
    assert not [s for s in scripts if "src=" in s.lower()], "a script is loaded from elsewhere"
    assert not re.search(r"<(?:link|img|iframe)\b[^>]*(?:href|src)\s*=\s*[\"']?https?:", text)
    assert len(re.findall(r"plotly\.js v\d+\.\d+\.\d+", text)) == 1  # inlined once
    assert '<html lang="vi">' in text


def test_the_page_embeds_each_reporting_model_as_it_is(page, built: Built) -> None:
    text = page.out_file.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>', text)
    assert match
    parts = json.loads(match.group(1))["parts"]
    for part, model, key in (
        ("coverage", "rpt_dashboard_coverage", "agency_name_vi"),
        ("findings", "rpt_dashboard_findings", "evaluation_key"),
        ("comparison", "rpt_dashboard_comparison", "value_numeric"),
        ("history", "rpt_dashboard_history", "value_numeric"),
        ("provinces", "rpt_dashboard_provinces", "province_key"),
    ):
        expected = [v for (v,) in built.query(f"select {key} from marts.{model} order by 1")]
        assert sorted(r[key] for r in parts[part]) == expected, part
    assert page.missing_tables == ()
    # every province of both eras can be chosen
    assert built.scalar("select count(*) from marts.dim_province") == len(parts["provinces"])


# ---------------------------------------------------------------- drawn in Chromium


def test_choosing_province_and_period_changes_what_is_drawn(page, built: Built, driver) -> None:
    _open(driver, page.out_file.resolve().as_uri())
    seen = {}
    for era, province, period in (
        ("63", TUYEN_QUANG_63, "half_year-2022-1"),
        ("63", TUYEN_QUANG_63, "quarter-2023-1"),
        ("63", "02@1900-01-01", "quarter-2023-1"),
        ("34", TUYEN_QUANG_34, "quarter-2023-1"),
    ):
        _choose_all(driver, era, province, period)
        drawn = _rows(driver, "table-coverage")
        expected = _coverage_expected(built, era, province, period)
        assert expected, (era, province, period)
        assert sorted((r[0], r[2], r[3], r[4]) for r in drawn) == sorted(
            (agency, label, format_date(due), format_date(sent))
            for agency, label, due, sent in expected
        )
        seen[(era, province, period)] = drawn
    # each choice drew something different
    assert len({json.dumps(v, ensure_ascii=False) for v in seen.values()}) == len(seen)
    # the 34-era unit gathers its predecessors' reporters (Hà Giang's and Tuyên Quang's)
    assert len(seen[("34", TUYEN_QUANG_34, "quarter-2023-1")]) == len(
        seen[("63", TUYEN_QUANG_63, "quarter-2023-1")]
    ) + len(seen[("63", "02@1900-01-01", "quarter-2023-1")])


def test_the_page_writes_numbers_as_python_does(page, driver) -> None:
    _open(driver, page.out_file.resolve().as_uri())
    values = [0.0, 1855.0, 1234567.891, 92.094862, 0.125, -1044.5, 45.0, 1e-7, 99.995, 2.675]
    for unit in (None, "percent"):
        drawn = driver.execute_script(
            "return arguments[0].map(v => window.cchcDashboard.fmtValue(v, arguments[1]))",
            values,
            unit,
        )
        assert drawn == [format_value(v, unit) for v in values]
    assert format_value(0.125) == "0,13" and format_value(-0.125) == "-0,13"


def test_summary_counts_sent_late_and_missing(page, built: Built, driver) -> None:
    _open(driver, page.out_file.resolve().as_uri())
    _choose_all(driver, "34", TUYEN_QUANG_34, "quarter-2023-1")
    statuses = [
        s
        for (s,) in built.query(
            """
            select c.coverage_status from quality.report_coverage c
            where c.period_key = 'quarter-2023-1' and c.province_code in ('08', '02')
            """
        )
    ]

    def card(card_id: str) -> str:
        return driver.execute_script(
            "return document.querySelector(arguments[0] + ' b').innerText", f"#{card_id}"
        )

    assert card("summary-expected") == format_number(len(statuses))
    assert card("summary-missing") == format_number(statuses.count("missing"))
    assert card("summary-late") == format_number(statuses.count("late"))
    assert card("summary-sent") == format_number(
        len([s for s in statuses if s not in ("missing", "late")])
    )


def test_findings_are_in_words_with_figures_and_lines(page, built: Built, driver) -> None:
    _open(driver, page.out_file.resolve().as_uri())
    _choose_all(driver, "63", TUYEN_QUANG_63, "half_year-2022-1")
    findings = built.query(
        """
        select r.rule_id, sev.label_vi, rr.description_vi, r.reported_value, r.expected_value,
               i.unit_code, r.file_path, r.source_lines
        from quality.rule_results r
        join marts.dim_agency a using (agency_key)
        join raw.code_labels sev on sev.code_set = 'severity' and sev.code = r.severity
        join raw.reporting_rules rr on rr.rule_id = r.rule_id
        left join marts.dim_indicator i on i.indicator_code = r.indicator_code
        where a.province_key = ? and r.period_key = 'half_year-2022-1'
          -- a report not sent (17 of the 18 expected here) is the coverage part's row
          and r.rule_id <> 'required.expected_reporters'
        """,
        [TUYEN_QUANG_63],
    )
    assert findings
    drawn = driver.execute_script(
        """
        return [...document.querySelectorAll('#findings tr.finding')].map(r => ({
          rule: r.dataset.rule, cells: [...r.cells].map(c => c.innerText.trim())}));
        """
    )
    assert len(drawn) == len(findings)
    for rule_id, severity_vi, rule_vi, reported, expected, unit, file_path, lines in findings:
        rows = [d["cells"] for d in drawn if d["rule"] == rule_id]
        assert any(
            c[0] == severity_vi
            and rule_vi in c[1]
            and c[3] == format_value(reported, unit)
            and c[4] == format_value(expected, unit)
            and c[6] == f"{file_path}, dòng {lines}"
            for c in rows
        ), (rule_id, rows)
    page_text = driver.find_element("id", "findings").text
    assert "error" not in page_text.split() and "warning" not in page_text.split()
    assert not re.search(r"\b(ratio|narrative|unit|sum)\.[a-z_0-9]+", page_text)


def test_comparison_shows_the_warehouse_values_basis_coverage_and_sources(
    page, built: Built, driver
) -> None:
    _open(driver, page.out_file.resolve().as_uri())
    for era, province, period, sql in (
        (
            "34",
            TUYEN_QUANG_34,
            "quarter-2023-1",
            "select indicator_code, value_numeric, unit_code from marts.mart_province_comparison"
            " where province_2025_key = ? and period_key = ? and value_numeric is not null",
        ),
        (
            "63",
            TUYEN_QUANG_63,
            "half_year-2022-1",
            "select m.indicator_code, m.value_numeric, m.unit_code"
            " from marts.mart_province_indicator m join raw.headline_indicators h"
            " using (indicator_code) where m.province_key = ? and m.period_key = ?"
            " and m.value_numeric is not null",
        ),
    ):
        _choose_all(driver, era, province, period)
        expected = {code: format_value(v, u) for code, v, u in built.query(sql, [province, period])}
        drawn = driver.execute_script(
            """
            return Object.fromEntries([...document.querySelectorAll('#table-comparison tbody tr')]
              .map(r => [r.dataset.indicator, [...r.cells].map(c => c.innerText.trim())]));
            """
        )
        assert {code: cells[1] for code, cells in drawn.items()} == expected
        for cells in drawn.values():
            assert cells[3], "a figure without its basis"
            assert re.fullmatch(r"\d+/\d+ cơ quan", cells[4]), cells[4]  # sent / expected
            assert re.search(r"\.(txt|md|docx|xlsx|pdf), dòng \S+", cells[5]), cells[5]
        # the chart's bars are the same numbers
        bars = driver.execute_script(
            "return document.getElementById('chart-comparison').data.flatMap(t => t.text)"
        )
        assert set(expected.values()) <= set(bars)


def test_comparison_ranks_only_ranked_values_with_the_marts_basis_and_coverage(
    page, built: Built, driver
) -> None:
    values = built.query(
        """
        select c.province_2025_key, c.period_key, c.indicator_code, c.is_ranked,
               c.province_rank, c.provinces_compared, c.agencies_contributing,
               c.agencies_expected, l.label_vi
        from marts.mart_province_comparison c
        join raw.code_labels l on l.code_set = 'comparison_basis' and l.code = c.comparison_basis
        where c.value_numeric is not null
        """
    )
    not_ranked = [v for v in values if not v[3]]
    assert not_ranked, "the samples should hold a value the mart leaves unranked"
    province, period = not_ranked[0][:2]
    _open(driver, page.out_file.resolve().as_uri())
    _choose_all(driver, "34", province, period)
    drawn = driver.execute_script(
        """
        return Object.fromEntries([...document.querySelectorAll('#table-comparison tbody tr')]
          .map(r => [r.dataset.indicator, [...r.cells].map(c => c.innerText.trim())]));
        """
    )
    shown = [v for v in values if v[:2] == (province, period)]
    assert {v[2] for v in shown} == set(drawn)
    for _, _, code, ranked, rank, compared, contributing, expected, label in shown:
        cells = drawn[code]
        assert cells[2] == (f"{rank}/{compared}" if ranked else "—"), (code, cells)
        assert cells[3] == label, (code, cells)
        assert cells[4] == f"{contributing}/{expected} cơ quan", (code, cells)
    assert any(cells[2] == "—" for cells in drawn.values())
    # a ranked value (the 63 as they were) shows its rank among those compared
    ranks = built.query(
        "select indicator_code, province_rank, provinces_compared"
        " from marts.rpt_province_headline_ranks where province_key = ? and period_key = ?",
        [TUYEN_QUANG_63, "half_year-2022-1"],
    )
    assert any(rank is not None for _, rank, _ in ranks)
    _choose_all(driver, "63", TUYEN_QUANG_63, "half_year-2022-1")
    drawn = driver.execute_script(
        """
        return Object.fromEntries([...document.querySelectorAll('#table-comparison tbody tr')]
          .map(r => [r.dataset.indicator, [...r.cells].map(c => c.innerText.trim())]));
        """
    )
    for code, rank, compared in ranks:
        assert drawn[code][2] == (f"{rank}/{compared}" if rank is not None else "—"), code


def test_history_spans_the_merger_and_draws_a_year_at_its_year(page, built: Built, driver) -> None:
    _open(driver, page.out_file.resolve().as_uri())
    _choose_all(driver, "34", TUYEN_QUANG_34, "quarter-2023-1")
    code = driver.execute_script("return window.cchcDashboard.state.indicator")
    expected = built.query(
        """
        select m.province_key, p.period_year, p.label_vi, m.value_numeric, m.unit_code
        from marts.mart_province_indicator m
        join marts.dim_period p using (period_key)
        where m.province_2025_key = ? and m.indicator_code = ? and m.value_numeric is not null
          and p.period_type <> 'plan'
        """,
        [TUYEN_QUANG_34, code],
    )
    assert expected
    traces = driver.execute_script(
        "return document.getElementById('chart-history').data"
        ".map(t => ({name: t.name, x: t.x, text: t.text, labels: t.customdata.map(c => c[0])}))"
    )
    points = [
        (label, x, text)
        for t in traces
        for label, x, text in zip(t["labels"], t["x"], t["text"], strict=True)
    ]
    assert sorted(text for _, _, text in points) == sorted(
        format_value(v, u) for *_, v, u in expected
    )
    years = {label: year for _, year, label, _, _ in expected}
    for label, x, _ in points:
        assert int(x[:4]) == years[label], (label, x)  # 'Năm 2023' sits in 2023
    # lines of the provinces as they were, both predecessors of the 2025 unit when reported
    names = {t["name"] for t in traces}
    predecessors = {
        n
        for (n,) in built.query(
            "select distinct p.name_vi from marts.mart_province_indicator m "
            "join marts.dim_province p using (province_key) "
            "where m.province_2025_key = ? and m.indicator_code = ?",
            [TUYEN_QUANG_34, code],
        )
    }
    assert {n.split(" (")[0] for n in names} == predecessors
    ticks = _poll(
        driver,
        "return [...document.querySelectorAll('#chart-history .xtick text')]"
        ".map(t => t.textContent)",
    )
    assert ticks and not [t for t in ticks if ENGLISH_MONTHS.search(t)], ticks
    sources = _column(driver, "table-history", "Nguồn (tệp, dòng)")
    assert all(", dòng " in s for s in sources), sources


def test_screenshot_is_not_blank(page, driver, tmp_path: Path) -> None:
    """Screenshots of the dashboard; `make screenshots` keeps them in docs/screenshots/."""
    target = Path(os.environ.get("CCHC_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    _open(driver, page.out_file.resolve().as_uri())
    for name, (era, province, period) in {
        "dashboard-34-tuyen-quang-quy-1-2023.png": ("34", TUYEN_QUANG_34, "quarter-2023-1"),
        "dashboard-63-tuyen-quang-6-thang-2022.png": ("63", TUYEN_QUANG_63, "half_year-2022-1"),
    }.items():
        _choose_all(driver, era, province, period)
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1400, min(int(height) + 40, 6000))
        shot = target / name
        driver.save_screenshot(str(shot))
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 50_000, f"{shot} is {len(data)} bytes: blank?"
    driver.set_window_size(1400, 1800)


def test_set_aside_reports_show_the_reason_in_vietnamese(
    built: Built, driver, tmp_path: Path
) -> None:
    """An ingest error of the latest run appears at once (the model is a view over
    staging): a copy of the warehouse with one planted error row."""
    copy = tmp_path / "cchc.duckdb"  # the views name the catalog after the file: keep it
    shutil.copy(built.warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        [(run_id,)] = con.execute(
            "select ingest_run_id from raw.ingest_runs order by started_at desc limit 1"
        ).fetchall()
        con.execute(
            "insert into raw.ingest_errors values (?, 'bao-cao-hong.doc', null, "
            "'unsupported_format', 'error', 'whole file', 'a .docx, .xlsx, .pdf or text file', "
            "'save it as .docx and put it back', ?)",
            [run_id, datetime(2026, 12, 1, 1, 30)],
        )
        label, todo = con.execute(
            "select label_vi, what_to_do_vi from raw.code_labels "
            "where code_set = 'ingest_error_kind' and code = 'unsupported_format'"
        ).fetchone()
    out = tmp_path / "reports" / "dashboard.html"
    summary = render_dashboard(copy, out)
    assert summary.rows["set_aside"] == 1
    _open(driver, out.resolve().as_uri())
    [row] = _rows(driver, "table-unplaced")
    assert row[0] == "bao-cao-hong.doc" and row[3] == label and row[4] == todo
    assert "save it as .docx" in row[5]


def test_letters_of_the_chosen_province_and_period_are_linked(
    built: Built, driver, tmp_path: Path
) -> None:
    letters = tmp_path / "exports" / "letters"
    for province, period in (
        (TUYEN_QUANG_63, "half_year-2022-1"),
        ("02@1900-01-01", "quarter-2023-1"),
    ):
        folder = letters / province.split("@")[0] / period
        folder.mkdir(parents=True)
        (folder / "cong-van.docx").write_bytes(b"docx")
    (letters / "index.csv").write_text(
        "province_key,period_key,agency_name_vi,file_path\n"
        f"{TUYEN_QUANG_63},half_year-2022-1,Sở Thông tin và Truyền thông,"
        "08/half_year-2022-1/cong-van.docx\n"
        "02@1900-01-01,quarter-2023-1,Văn phòng UBND tỉnh Hà Giang,"
        "02/quarter-2023-1/cong-van.docx\n",
        encoding="utf-8",
    )
    out = tmp_path / "reports" / "dashboard.html"
    summary = render_dashboard(built.warehouse, out, letters_index=letters / "index.csv")
    assert summary.letters == 2
    _open(driver, out.resolve().as_uri())
    _choose_all(driver, "63", TUYEN_QUANG_63, "half_year-2022-1")
    links = driver.execute_script(
        "return [...document.querySelectorAll('#letters-list a')]"
        ".map(a => [a.innerText, a.getAttribute('href')])"
    )
    assert links == [
        ["Sở Thông tin và Truyền thông", "../exports/letters/08/half_year-2022-1/cong-van.docx"]
    ]
    _choose_all(driver, "34", TUYEN_QUANG_34, "quarter-2023-1")  # Hà Giang's, under the unit
    links = driver.execute_script(
        "return [...document.querySelectorAll('#letters-list a')].map(a => a.innerText)"
    )
    assert links == ["Văn phòng UBND tỉnh Hà Giang"]


# ---------------------------------------------------------------- errors


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    from cchc.errors import StepFailed

    with pytest.raises(StepFailed, match="no warehouse"):
        render_dashboard(tmp_path / "nope.duckdb", tmp_path / "d.html")
    assert not (tmp_path / "nope.duckdb").exists()  # read-only: nothing created


def test_unreadable_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    from cchc.errors import StepFailed

    not_duckdb = tmp_path / "bad.duckdb"
    not_duckdb.write_text("not a database", encoding="utf-8")
    with pytest.raises(StepFailed, match="cannot read the warehouse"):
        render_dashboard(not_duckdb, tmp_path / "d.html")
    assert not (tmp_path / "d.html").exists()


def test_an_empty_warehouse_gives_notes_not_empty_charts(tmp_path: Path, driver) -> None:
    warehouse = tmp_path / "empty.duckdb"
    duckdb.connect(str(warehouse)).close()
    out = tmp_path / "dashboard.html"
    summary = render_dashboard(warehouse, out)
    assert set(summary.parts_empty) == set(summary.rows)
    _open(driver, out.resolve().as_uri())
    assert "Chưa có" in driver.find_element("id", "coverage").text
