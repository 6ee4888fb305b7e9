"""`cchc run` end to end on the bundled sample reports, through the real entry point."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from conftest import Built, cchc

SCHEMAS = ("raw", "staging", "intermediate", "marts", "quality")


def test_run_populates_every_schema(built: Built) -> None:
    counts = dict(
        built.query("select table_schema, count(*) from information_schema.tables group by 1")
    )
    for schema in SCHEMAS:
        assert counts.get(schema, 0) > 0, f"schema {schema} is empty: {counts}"
    assert not [s for s in counts if s.startswith("main_")]


def test_run_loads_all_five_sample_reports(built: Built) -> None:
    assert built.scalar("select count(*) from raw.documents") == 5
    assert built.scalar("select count(*) from raw.ingest_errors where severity = 'error'") == 0


def test_every_table_figure_reaches_the_fact_table(built: Built) -> None:
    raw_cells = built.scalar(
        "select count(*) from raw.appendix_rows where table_kind in ('indicators', 'crosstab')"
    )
    stated = built.scalar("select count(*) from raw.narrative_facts")
    facts = built.scalar("select count(*) from marts.fct_indicator_value")
    assert raw_cells > 500
    assert facts == raw_cells + stated


def test_phu_luc_08_counts_are_read_as_thousands(built: Built) -> None:
    value = built.scalar(
        """
        select value_numeric from marts.fct_indicator_value
        where raw_value_text = '65.454' and stt = '5.4.1'
        """
    )
    assert value == 65454


def test_run_publishes_data_docs_and_exports(built: Built) -> None:
    docs = built.output_dir / "reports" / "quality" / "index.html"
    assert docs.exists()
    exports = built.output_dir / "exports"
    assert (exports / "parquet" / "marts.fct_indicator_value.parquet").exists()
    csv_bytes = (exports / "csv" / "marts.fct_indicator_value.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf"), "CSV must carry a BOM so Excel reads UTF-8"
    assert "Sở Thông tin và Truyền thông".encode() in csv_bytes
    assert (exports / "cchc_marts.xlsx").exists()
    with duckdb.connect() as con:
        con.execute("attach ? as copy (read_only)", [str(exports / "cchc_duckdb1.duckdb")])
        [(tags,)] = con.execute(
            "select tags from duckdb_databases() where database_name = 'copy'"
        ).fetchall()
        assert tags["storage_version"].startswith("v1.4.0")
        assert con.execute("select count(*) from copy.marts.fct_indicator_value").fetchone()[0]


def test_check_results_are_kept(built: Built) -> None:
    assert built.scalar("select count(*) from quality.expectation_results") > 0
    assert (
        built.scalar(
            "select count(*) from quality.expectation_results where exception_message is not null"
        )
        == 0
    )


def test_everything_a_run_writes_lives_beside_its_warehouse(built: Built) -> None:
    """The run's copy, its outputs and dbt's target and logs are the warehouse's own; the
    output folder links into the run that is live."""
    run_dir = built.warehouse.resolve().parent
    assert built.warehouse.is_symlink() and run_dir.parent.name == "runs"
    state = built.warehouse.with_name("cchc.duckdb.d")
    assert run_dir.parent.parent == state
    assert (state / "dbt" / "target" / "run_results.json").exists()
    assert (state / "dbt" / "logs" / "dbt.log").exists()
    for name in ("exports", "reports"):
        assert (built.output_dir / name).is_symlink()
        assert (built.output_dir / name).resolve() == run_dir / name
    assert not (built.warehouse.parent / ".building").exists()
    assert not list(run_dir.glob("*.wal")) and not list(run_dir.glob("*.tmp"))


def test_a_failed_run_leaves_the_live_warehouse_unchanged(
    built: Built, tmp_path: Path, reports_copy: Path
) -> None:
    live = tmp_path / "warehouse" / "cchc.duckdb"
    live.parent.mkdir()
    shutil.copyfile(built.warehouse.resolve(), live)
    before = live.read_bytes()
    (reports_copy / "manifest.csv").write_text("file,colour\nx.txt,red\n", encoding="utf-8")
    failed = cchc(
        "run",
        "--warehouse",
        str(live),
        "--reports",
        str(reports_copy),
        env={"CCHC_OUTPUT_DIR": str(tmp_path / "out")},
    )
    assert failed.returncode != 0
    assert "manifest" in failed.stderr
    assert "unchanged" in failed.stderr
    assert live.read_bytes() == before


def test_every_rule_break_in_the_samples_and_no_false_alarm(built: Built) -> None:
    found = built.query(
        """
        select rule_id, coalesce(file_path, '-'), coalesce(indicator_code, '-')
        from quality.rule_results where rule_id <> 'required.expected_reporters' order by all
        """
    )
    assert found == [
        # 003 l.221 "02/02 Quyết định" vs l.293 "03/03", same item and quarter
        ("consistency.text_vs_text", "003_2b11a7ce68afaa58.txt", "bnv_2_2_1"),
        # 002 l.263 "01/01/2023 đến hết 13/3/2022"
        ("consistency.window_order", "002_04942a727d49f9a1.txt", "ext_1_gov_tasks_total"),
        ("narrative.agrees_with_table", "000_1bbab62c8031cf52.txt", "bnv_7_6_3_1"),  # 44 ≠ 43
        ("narrative.agrees_with_table", "000_1bbab62c8031cf52.txt", "bnv_7_6_3_2"),  # 42 ≠ 43
        # l.385 "582 dịch vụ công" on the national portal vs Phụ lục 08's 578 (l.694)
        ("narrative.agrees_with_table", "000_1bbab62c8031cf52.txt", "bnv_7_6_3_2"),
        ("ratio.bnv_1_2", "002_04942a727d49f9a1.txt", "bnv_1_2"),  # 100% but 10 of 12
        ("ratio.bnv_3_3_1", "000_1bbab62c8031cf52.txt", "bnv_3_3_1"),  # 56 (%) but 56/56
        ("ratio.bnv_7_6_3", "000_1bbab62c8031cf52.txt", "bnv_7_6_3"),  # 43 (%) but 43/43
        ("sum.procedures_by_level", "003_2b11a7ce68afaa58.txt", "bnv_3_1_4"),  # 1.855 ≠ 1.857
        ("unit.count_with_percent_unit", "000_1bbab62c8031cf52.txt", "bnv_1_4_1"),
        ("unit.doubtful_unit", "002_04942a727d49f9a1.txt", "ext_4_depts_restructured_rate"),
        ("unit.matches_indicator", "001_bbdb728f27fe408d.txt", "bnv_7_6_4_1"),
        ("unit.matches_indicator", "001_bbdb728f27fe408d.txt", "bnv_7_6_4_2"),
        # no unit finding for 002 l.383's "0 Người" under a yes/no item: a match doubt,
        # in review (test_a_count_under_a_code_item_is_a_match_doubt_not_a_unit_finding)
        ("unit.percent_in_count", "000_1bbab62c8031cf52.txt", "bnv_7_6_2_1"),  # '100%' count
    ]


def test_missing_reports_are_findings_about_the_expected_agency(built: Built) -> None:
    # every province period the samples report for expects its People's Committee, office
    # and the 15 standard departments of 2022/2023 (seed standard_agencies); one reported
    per_period = built.query(
        """
        select province_code, period_key, count(*) filter (where coverage_status = 'missing'),
            count(*), count(agency_key)
        from quality.report_coverage group by all order by all
        """
    )
    assert per_period == [
        ("02", "quarter-2023-1", 17, 18, 18),
        ("08", "half_year-2022-1", 17, 18, 18),
        ("08", "quarter-2023-1", 17, 18, 18),
        ("94", "year-2023-1", 17, 18, 18),
    ]
    # each finding names its agency, so grouping by agency keeps them
    [(findings, keyed, in_quality)] = built.query(
        """
        select count(*), count(agency_key), count(*) filter (where agency_key in (
            select agency_key from quality.agency_report_quality where rules_broken > 0))
        from quality.rule_results where rule_id = 'required.expected_reporters'
        """
    )
    assert findings == keyed == in_quality == 68
    assert (
        built.scalar(
            """
        select name_vi from marts.dim_agency a join quality.report_coverage c using (agency_key)
        where c.province_code = '02' and c.period_key = 'quarter-2023-1'
          and a.role_key = 'so ke hoach va dau tu'
        """
        )
        == "Sở Kế hoạch và Đầu tư"
    )


def test_the_582_against_578_contradiction_of_000_is_found(built: Built) -> None:
    [(stated, tabled, lines, vi)] = built.query(
        """
        select reported_value, expected_value, source_lines, message_vi
        from quality.rule_results
        where file_path = '000_1bbab62c8031cf52.txt' and reported_value = 582
        """
    )
    assert (stated, tabled, lines) == (582, 578, "385, 694")
    assert "582" in vi and "578" in vi


def test_a_count_under_a_code_item_is_a_match_doubt_not_a_unit_finding(built: Built) -> None:
    [(reason,)] = built.query(
        """
        select unmatched_reason from marts.mart_unmatched_rows
        where file_path = '002_04942a727d49f9a1.txt' and source_line = '383'
        """
    )
    assert "ext_5_competitive_leader_selection" in reason and "review" in reason


def test_every_value_bearing_table_row_is_matched(built: Built) -> None:
    unmatched = built.query(
        """
        select file_path, source_line, raw_indicator_text from marts.fct_indicator_value
        where source_kind = 'table' and not is_empty and indicator_code is null
        """
    )
    # but the one whose unit ('Người') says it is not the yes/no item its words name
    assert unmatched == [
        (
            "002_04942a727d49f9a1.txt",
            "383",
            "Thực hiện tuyển chọn, bổ nhiệm lãnh đạo trực thuộc qua thi tuyển",
        )
    ]
    form_rows = built.scalar(
        """
        select count(*) from marts.fct_indicator_value
        where file_path like '000%' and match_method = 'bnv_code'
        """
    )
    assert form_rows == 152  # every row of Phụ lục 02 but the one matched by its alias


def test_the_form_item_3_1_4_of_the_tuyen_quang_department(built: Built) -> None:
    assert (
        built.scalar(
            """
        select fact.value_numeric
        from marts.fct_indicator_value_current as fact
        inner join marts.dim_indicator as indicator using (indicator_key)
        inner join marts.dim_agency as agency using (agency_key)
        inner join marts.dim_period as period using (period_key)
        where indicator.bnv_code = '3.1.4' and agency.full_name_vi =
            'Sở Thông tin và Truyền thông tỉnh Tuyên Quang' and period.label_vi =
            '6 tháng đầu năm 2022' and fact.scope = 'agency'
        """
        )
        == 45
    )


def test_province_figures_rest_on_a_stated_basis_and_recompute_ratios(built: Built) -> None:
    rows = dict(
        (code, (round(value, 2), basis))
        for code, value, basis in built.query(
            """
            select indicator_code, value_numeric, basis from marts.mart_province_indicator
            where province_key = '08@1900-01-01' and period_key = 'half_year-2022-1'
            """
        )
    )
    # Phụ lục 08: the sector's province-wide dossiers, re-computed 15.444 / 65.454
    assert rows["bnv_7_6_4"] == (23.6, "recomputed: sector_report")
    assert rows["bnv_7_6_4_1"] == (65454.0, "sector_report")


def test_comparison_is_by_the_province_as_it_is_after_the_merger(built: Built) -> None:
    provinces = {
        name
        for (name,) in built.query(
            "select distinct province_name_vi from marts.mart_province_comparison"
        )
    }
    assert provinces == {"Tuyên Quang", "Cần Thơ"}  # Hà Giang → Tuyên Quang, Sóc Trăng → Cần Thơ


def test_comparison_says_what_each_figure_rests_on(built: Built) -> None:
    # today's Tuyên Quang, quarter I/2023: old Tuyên Quang's own figures beside one Hà
    # Giang office's, each labelled, none ranked (1 of the 2 former provinces)
    rows = built.query(
        """
        select indicator_code, comparison_basis, units_summed, units_expected,
            agencies_expected, province_rank, basis_note_en
        from marts.mart_province_comparison
        where province_2025_key = '08@2025-07-01' and period_key = 'quarter-2023-1'
        order by indicator_code
        """
    )
    bases = {code: basis for code, basis, *_ in rows}
    assert bases["bnv_3_1_4"] == "province_figure"  # 003, the province's own report
    assert bases["bnv_7_6_4"] == "one_agency"  # 002, Hà Giang's provincial office
    assert all(units == 1 and of == 2 and rank is None for _, _, units, of, _, rank, _ in rows)
    assert all(expected == 36 for *_, expected, _, _ in rows)  # 18 in each former province
    note = dict((code, note) for code, *_, note in rows)["bnv_7_6_4"]
    assert note.startswith("one agency's figure: 1 of 2 former provinces")
    assert "Hà Giang: one agency's figure, 1/18 agencies" in note
    # Hà Giang's quarter I/2023 "province" is one office
    assert set(
        built.query(
            """
            select comparison_basis, agencies_contributing, agencies_expected
            from marts.mart_province_indicator
            where province_key = '02@1900-01-01' and period_key = 'quarter-2023-1'
            """
        )
    ) == {("one_agency", 1, 18)}


def test_plan_targets_against_the_latest_actuals(built: Built) -> None:
    [(comparator, target, actual, status, section)] = built.query(
        """
        select comparator, target_value, actual_value, attainment_status, plan_section
        from marts.mart_target_attainment
        where indicator_code = 'bnv_7_6_5' and target_year = 2025
        """
    )
    assert (comparator, target, actual, status) == (">=", 80.0, 100.0, "met")
    assert section == "2.2 a)"


def test_the_provinces_text_figures_reach_the_warehouse(built: Built) -> None:
    """003 has no appendix: its procedures, dossiers, feedback, tasks and budget figures
    are stated in sentences and matched to their indicators. A value can be stated twice
    for different things (1.855 procedures in total, 1.855 services on the provincial
    system), so the pairs are checked, not a value → indicator map."""
    stated = set(
        built.query(
            """
            select raw_value_text, indicator_code from marts.fct_indicator_value
            where file_path = '003_2b11a7ce68afaa58.txt' and source_kind = 'narrative'
              and indicator_code is not null
            """
        )
    )
    assert ("1.855", "bnv_3_1_4") in stated  # procedures in total
    assert ("1.855", "ext_7_public_services_total") in stated  # services on the system
    assert ("59.393", "ext_3_dossiers_received_total") in stated  # dossiers received
    assert ("4.104", "ext_3_dossiers_in_progress") in stated
    assert ("16", "bnv_3_3_4_1") in stated  # feedback received
    assert ("47", "ext_1_gov_tasks_total") in stated  # tasks the Government assigned
    assert ("3.712.264", "bnv_6_1_1") in stated  # investment capital planned (million VND)
    assert ("1.547.813", "bnv_6_1_2") in stated  # … disbursed
    # l.370: '208 TTHC sửa đổi, bổ sung, thay thế' are amended, not abolished (3.1.3)
    assert ("208", "ext_3_procedures_amended") in stated
    assert ("208", "bnv_3_1_3") not in stated


def test_look_alikes_sharing_a_long_start_are_not_matched(built: Built) -> None:
    """000 l.363: the 2 % of documents sent electronically 'và song song với văn bản giấy'
    is not the fully electronic share 7.5.2; it stays unmatched with the reason."""
    rows = built.query(
        """
        select facts.indicator_code, unmatched.unmatched_reason
        from marts.fct_indicator_value as facts
        left join marts.mart_unmatched_rows as unmatched
            using (document_id, source_kind, source_ref)
        where facts.file_path = '000_1bbab62c8031cf52.txt' and facts.source_line = '363'
          and facts.raw_value_text = '2%'
        """
    )
    assert len(rows) == 1
    indicator_code, reason = rows[0]
    assert indicator_code is None
    assert "song song voi van ban giay" in reason
