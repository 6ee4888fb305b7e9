"""Reporting rules end to end: one `cchc run` over the planted reports
(tests/fixtures/rules/README.md) proves that Great Expectations reports a planted break of
every family from its dbt evaluation model, that the findings are queryable with the right
numbers and that their correct look-alikes stay quiet. Each family's behaviour in detail
is proven by the dbt unit tests in models/quality/_quality__models.yml, which run in every
`dbt build`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, Built, build_warehouse, cchc

from quality.check import RuleCounts, count_mismatches
from quality.rules import EVALUATIONS, rule_family, rule_suites

FIXTURES = ROOT / "tests" / "fixtures" / "rules"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_warehouse(tmp_path_factory.mktemp("rules"), reports=FIXTURES)
    assert built.result.returncode == 0, built.result.stderr
    return built


def findings(built: Built, rule_id: str, file_path: str | None = None) -> list[tuple]:
    sql = """
        select indicator_code, reported_value, expected_value, message_vi, message_en
        from quality.rule_results where rule_id = ?
    """
    params: list = [rule_id]
    if file_path:
        sql += " and file_path = ?"
        params.append(file_path)
    return built.query(sql + " order by indicator_code", params)


@pytest.mark.parametrize("evaluation", EVALUATIONS)
def test_gx_reports_the_planted_breaks_of_every_family(planted: Built, evaluation: str) -> None:
    [(success, unexpected, exception, sample, meta)] = planted.query(
        """
        select success, unexpected_count, exception_message, unexpected_sample_json, meta_json
        from quality.expectation_results where suite_name = ?
        """,
        [f"rules_{evaluation}"],
    )
    broken = planted.scalar(f"select count(*) from quality.rule_eval_{evaluation} where is_broken")
    assert exception is None
    assert (success, unexpected) == (False, broken) and broken > 0
    assert all(row["is_broken"] for row in json.loads(sample))
    assert json.loads(meta)["rule_family"] == rule_family(evaluation)
    assert (
        planted.scalar(
            "select count(*) from quality.rule_results where rule_family = ?",
            [rule_family(evaluation)],
        )
        >= broken
    )


def test_ratio_break_is_reported_with_its_numbers(planted: Built) -> None:
    [(code, reported, expected, vi, en)] = findings(planted, "ratio.bnv_1_2", "q1_so_noi_vu.txt")
    assert (code, reported, round(expected, 2)) == ("bnv_1_2", 90.0, 83.33)
    assert "10 / 12 = 83.33%" in vi and "10 / 12 = 83.33%" in en


def test_ratio_rounding_zero_over_zero_and_empty_stay_quiet(planted: Built) -> None:
    # 41,67% for 5/12 (rounded at two decimals), 0% for 0/0, an empty ratio of empty parts
    quiet = {"ratio.bnv_3_3_1", "ratio.bnv_3_3_4", "ratio.bnv_1_3_3"}
    rows = planted.query(
        "select rule_id, is_broken from quality.rule_evaluations e "
        "join raw.documents d using (document_id) where d.file_path = 'q1_so_noi_vu.txt'"
    )
    assert not [rule for rule, broken in rows if rule in quiet and broken]
    assert ("ratio.bnv_3_3_1", False) in rows  # checked, not skipped


def test_sum_break_and_incomplete_partition(planted: Built) -> None:
    assert [(r[0], r[1], r[2]) for r in findings(planted, "sum.procedures_by_level")] == [
        ("bnv_3_1_4", 1855.0, 1857.0),  # sample 003: the text's 1.855 vs 1.497 + 243 + 117
        ("bnv_3_1_4", 50.0, 45.0),
    ]
    assert findings(planted, "sum.public_service_units_by_owner") == []  # a part not reported


def test_part_whole_break_and_incomplete_task_partition(planted: Built) -> None:
    [(code, part, whole, _, en)] = findings(planted, "part_whole.civil_servants")
    assert (code, part, whole) == ("bnv_4_2_1", 25.0, 20.0)
    assert "exceeds" in en
    assert findings(planted, "part_whole.assigned_tasks") == []  # 6 + 1 ≤ 10, no 'in progress'


def test_range_breaks_and_reversed_scales(planted: Built) -> None:
    assert [r[:2] for r in findings(planted, "range.percent")] == [("bnv_7_5_2_1", 120.0)]
    assert [r[:2] for r in findings(planted, "range.code")] == [("bnv_7_4", 5.0)]
    decoded = planted.query(
        """
        select indicator_code, value_code, value_label_vi, is_good_code
        from marts.fct_indicator_value
        where file_path = 'q1_so_noi_vu.txt' and indicator_code in ('bnv_1_7', 'bnv_7_5_1_1')
        order by indicator_code
        """
    )
    assert decoded == [("bnv_1_7", 1, "Có", True), ("bnv_7_5_1_1", 1, "Hoàn thành", True)]


def test_unit_of_a_dossier_count_written_as_procedures(planted: Built) -> None:
    rows = findings(planted, "unit.matches_indicator", "q1_so_noi_vu.txt")
    assert [r[:2] for r in rows] == [("bnv_7_6_4_1", 40.0)]


def test_required_items_missing_from_a_template_report(planted: Built) -> None:
    rows = findings(planted, "required.template_items")
    assert [r[0] for r in rows] == ["bnv_1_2", "bnv_1_4"]  # items 2 and 5 (Home Affairs)
    assert all("left empty" in r[4] for r in rows)
    office = findings(planted, "required.template_items", "002_hagiang_office_q1_2023.txt")
    assert office == []


def test_cumulative_figures_going_down(planted: Built) -> None:
    rows = findings(planted, "cumulative.within_year")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("bnv_1_2_1", 8.0, 12.0),
        ("bnv_1_2_2", 6.0, 10.0),
    ]


def test_narrative_disagreeing_with_its_table(planted: Built) -> None:
    [(code, stated, tabled, vi, _)] = findings(planted, "narrative.agrees_with_table")
    assert (code, stated, tabled) == ("bnv_3_1_4", 60.0, 50.0)
    assert "Lời văn" in vi


def test_a_report_contradicting_itself(planted: Built) -> None:
    # the copy of sample 003: "02/02 Quyết định" (l.207-223) vs "03/03" (l.291-295)
    [(code, later, first, en)] = [
        (r[0], r[1], r[2], r[4])
        for r in findings(planted, "consistency.text_vs_text", "003_province_q1_2023.txt")
    ]
    assert (code, later, first) == ("bnv_2_2_1", 3.0, 2.0)
    assert "line 291-295 states 03 but line 207-223" in en
    # the copy of sample 002: a window ending before it starts; its correct windows quiet
    [window] = findings(planted, "consistency.window_order", "002_hagiang_office_q1_2023.txt")
    assert "01/01/2023 đến hết 13/3/2022" in window[3]
    assert findings(planted, "consistency.window_in_period") == []


def test_cross_level_province_figures(planted: Built) -> None:
    rows = findings(planted, "cross_level.province_totals")
    assert [r[:3] for r in rows] == [("bnv_3_1_4", 1800.0, 1855.0)]  # 1.497 agrees: quiet


def test_report_coverage_missing_late_on_time(planted: Built) -> None:
    coverage = dict(
        planted.query(
            "select agency_name_vi || ' ' || period_key, coverage_status "
            "from quality.report_coverage"
        )
    )
    assert coverage["Sở Thông tin và Truyền thông tỉnh Tuyên Quang quarter-2023-1"] == "late"
    assert coverage["Văn phòng Ủy ban nhân dân tỉnh Hà Giang quarter-2023-1"] == "on time"
    assert coverage["Ủy ban nhân dân tỉnh Hà Giang quarter-2023-1"] == "missing"


def test_agency_quality_shares(planted: Built) -> None:
    rows = planted.query(
        "select rules_checked, rules_passed, rules_broken, share_passed "
        "from quality.agency_report_quality"
    )
    assert rows and all(c == p + b and 0 <= s <= 1 for c, p, b, s in rows)


def test_rule_breaks_do_not_fail_check_but_a_broken_warehouse_does(
    planted: Built, tmp_path: Path
) -> None:
    # the planted run itself (exit 0, checked by the fixture) had rule breaks of every family
    [(success, problems)] = planted.query(
        "select success, unexpected_count from quality.expectation_results "
        "where suite_name = 'integrity_rule_findings'"
    )
    assert (success, problems) == (True, 0)
    broken = tmp_path / "broken.duckdb"
    shutil.copy(planted.warehouse, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute(
            "insert into marts.fct_indicator_value select * from marts.fct_indicator_value limit 1"
        )
        # a finding lost after the evaluation: GX's count no longer matches the findings
        con.execute("delete from quality.rule_results where rule_family = 'ratio'")
    result = cchc("check", "--warehouse", str(broken), env={"CCHC_OUTPUT_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "pipeline integrity failed" in result.stderr
    with duckdb.connect(str(broken), read_only=True) as con:
        [(success, sample)] = con.execute(
            "select success, unexpected_sample_json from quality.expectation_results "
            "where suite_name = 'integrity_rule_findings' and check_run_id = ("
            "select check_run_id from quality.expectation_results order by checked_at desc "
            "limit 1)"
        ).fetchall()
    assert success is False
    assert any("rule family ratio" in problem for problem in json.loads(sample))


def test_one_suite_per_family_reads_its_evaluation_model() -> None:
    suites = rule_suites()
    assert [suite.name for suite in suites] == [f"rules_{e}" for e in EVALUATIONS]
    for suite, evaluation in zip(suites, EVALUATIONS, strict=True):
        assert (suite.schema, suite.table, suite.kind) == (
            "quality",
            f"rule_eval_{evaluation}",
            "rules",
        )
        assert (ROOT / "models" / "quality" / f"qa_rule_eval_{evaluation}.sql").is_file()
        [spec] = suite.expectations
        assert spec.kwargs["unexpected_rows_query"] == "select * from {batch} where is_broken"
    # no evaluation model escapes GX, and the union of every check reads each of them
    models = ROOT / "models" / "quality"
    assert {p.stem.removeprefix("qa_rule_eval_") for p in models.glob("qa_rule_eval_*.sql")} == set(
        EVALUATIONS
    )
    union = (models / "qa_rule_evaluations.sql").read_text(encoding="utf-8")
    assert all(f"'{evaluation}'" in union for evaluation in EVALUATIONS)


def test_count_mismatches_name_the_family_and_the_table() -> None:
    families = {"ratio": "ratio", "required": "required", "coverage": "required"}
    gx = {"ratio": 2, "required": 1, "coverage": 3}
    agreeing = RuleCounts({"ratio": 2, "required": 1, "coverage": 3}, {"ratio": 2, "required": 4})
    assert count_mismatches(gx, agreeing, families) == []
    lost = RuleCounts({"ratio": 1, "required": 1, "coverage": 3}, {"ratio": 1, "required": 3})
    assert count_mismatches(gx, lost, families) == [
        "ratio: GX found 2 broken rules, quality.rule_eval_ratio has 1",
        "rule family ratio: GX found 2 broken rules, quality.rule_results has 1",
        "rule family required: GX found 4 broken rules, quality.rule_results has 3",
    ]
