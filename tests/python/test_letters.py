"""Reply letters (cchc/letters.py, cchc/letters_docx.py): one .docx per agency and period
with findings or missing items, in the administrative format, written by `cchc export`.

A finding and a missing item are planted into a copy of the session warehouse's
marts.rpt_letter_items (what the letters read); the written .docx is opened and its
parts and the planted figures asserted."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import docx
import duckdb
import pytest
from conftest import Built, cchc

from cchc.export import Reuse
from cchc.letters import LetterItem, format_number_vi, letters_from_rows, write_letters
from cchc.letters_docx import FINDINGS_HEADERS

# an agency the standard structure does not expect (its Sở Tư pháp now has a real letter:
# the report it did not send), so the planted letter is the only one at its path
PLANTED_AGENCY = "Ban Dân tộc tỉnh Tuyên Quang"
PLANTED_FILE = "planted/bao-cao-cchc-stp-6t-2022.docx"
TQ_PROVINCE = "08@1900-01-01"
HALF_2022 = "half_year-2022-1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1855.0, "1.855"),
        (65454, "65.454"),
        (83.33333333333333, "83,33"),
        (0.9913, "0,99"),
        (100.0, "100"),
        (1234567.5, "1.234.567,5"),
        (-2.0, "-2"),
        (None, "—"),
    ],
)
def test_numbers_are_written_the_vietnamese_way(value, expected: str) -> None:
    assert format_number_vi(value) == expected


def _row(**overrides):
    base = {name: None for name in LetterItem.__dataclass_fields__}
    base.update(
        letter_key="k1",
        province_key=TQ_PROVINCE,
        province_name_vi="Tuyên Quang",
        province_title_vi="Tỉnh Tuyên Quang",
        period_key=HALF_2022,
        period_label_vi="6 tháng đầu năm 2022",
        due_date=dt.date(2022, 6, 20),
        agency_key="a1",
        agency_name_vi=PLANTED_AGENCY,
        item_kind="finding",
        rule_id="ratio.x",
        rule_text_vi="Tỷ lệ = tử số / mẫu số",
    )
    base.update(overrides)
    return base


def test_rows_are_grouped_into_one_letter_per_key() -> None:
    rows = [
        _row(),
        _row(item_kind="missing_item"),
        _row(letter_key="k2", agency_key=None, agency_name_vi="UBND", item_kind="missing_report"),
    ]
    first, second = letters_from_rows(rows)
    assert (len(first.findings), len(first.missing)) == (1, 1)
    assert first.relative_path == f"tuyen-quang/{HALF_2022}/ban-dan-toc-tinh-tuyen-quang.docx"
    assert second.agency_key is None and len(second.missing) == 1


@pytest.fixture(scope="module")
def planted(built: Built, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the session warehouse with one more letter planted, exported by the
    real `cchc export`."""
    tmp = tmp_path_factory.mktemp("letters")
    warehouse = tmp / "cchc.duckdb"
    shutil.copyfile(built.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        columns = [
            c
            for (c,) in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = 'rpt_letter_items' "
                "order by ordinal_position"
            ).fetchall()
        ]
        common = _row(
            letter_key=f"{TQ_PROVINCE} | {HALF_2022} | planted",
            agency_key="planted",
            rule_family="ratio",
            rule_family_vi="Tỷ lệ so với tử số và mẫu số",
            severity="error",
            severity_vi="Lỗi",
        )
        finding = {
            **common,
            "evaluation_key": "planted finding",
            "item_order": 1,
            "rule_id": "ratio.bnv_3_3_1",
            "rule_text_vi": "Tỷ lệ hồ sơ giải quyết đúng hạn = số hồ sơ đúng hạn / số hồ sơ",
            "indicator_code": "bnv_3_3_1",
            "bnv_code": "3.3.1",
            "indicator_name_vi": "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
            "value_type": "percent",
            "reported_value": 56.5,
            "expected_value": 99.13,
            "file_path": PLANTED_FILE,
            "source_lines": "table 2 row 14",
            "message_vi": "Tỷ lệ ghi 56,5 nhưng 1.129 / 1.139 = 99,13%",
        }
        missing = {
            **common,
            "evaluation_key": "planted missing",
            "item_order": 2,
            "item_kind": "missing_item",
            "rule_id": "required.bnv_1_1",
            "rule_family": "required",
            "rule_text_vi": "Chỉ tiêu và báo cáo bắt buộc",
            "bnv_code": "1.1",
            "indicator_name_vi": "Số văn bản chỉ đạo CCHC",
            "file_path": PLANTED_FILE,
            "message_vi": "Báo cáo không có số liệu của mục 1.1",
        }
        for row in (finding, missing):
            con.execute(
                f"insert into marts.rpt_letter_items ({', '.join(columns)}) "
                f"values ({', '.join('?' for _ in columns)})",
                [row.get(c) for c in columns],
            )
        con.execute("checkpoint")
    out = tmp / "out"
    result = cchc("export", "--warehouse", str(warehouse), env={"CCHC_OUTPUT_DIR": str(out)})
    assert result.returncode == 0, result.stderr + result.stdout
    letters = out / "exports" / "letters"
    return {"warehouse": warehouse, "letters": letters, "result": result}


def _index(letters: Path) -> list[dict[str, str]]:
    with (letters / "index.csv").open(encoding="utf-8-sig", newline="") as fp:
        return list(csv.DictReader(fp))


def _planted_letter(planted: dict) -> docx.document.Document:
    path = planted["letters"] / "tuyen-quang" / HALF_2022 / "ban-dan-toc-tinh-tuyen-quang.docx"
    assert path.exists(), sorted(p.name for p in planted["letters"].rglob("*.docx"))
    return docx.Document(str(path))


def test_the_letter_has_the_parts_of_an_administrative_document(planted) -> None:
    document = _planted_letter(planted)
    head = document.tables[0].rows[0].cells
    left = [p.text for p in head[0].paragraphs]
    right = [p.text for p in head[1].paragraphs]
    assert left[0] == "UBND TỈNH TUYÊN QUANG"
    sender = head[0].paragraphs[1]
    assert sender.text == "SỞ NỘI VỤ" and sender.runs[0].bold and sender.runs[0].underline
    assert left[2].startswith("Số:") and left[2].endswith("/SNV-CCHC")
    assert left[3] == "V/v rà soát, bổ sung số liệu báo cáo CCHC 6 tháng đầu năm 2022"
    assert right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right[1] == "Độc lập - Tự do - Hạnh phúc"
    place = right[-1]
    assert place.startswith("Tuyên Quang, ngày") and place.endswith(f"năm {dt.date.today().year}")
    assert head[1].paragraphs[-1].runs[0].italic
    texts = [p.text for p in document.paragraphs]
    assert f"Kính gửi: {PLANTED_AGENCY}." in texts
    body = "\n".join(texts)
    assert "6 tháng đầu năm 2022" in body and PLANTED_FILE in body
    assert "1. Số liệu cần rà soát, chỉnh sửa" in texts and "2. Nội dung còn thiếu" in texts
    assert any(t.endswith("./.") for t in texts)
    signature = document.tables[-1].rows[0].cells
    assert signature[0].paragraphs[0].text == "Nơi nhận:"
    assert "- Như trên;" in [p.text for p in signature[0].paragraphs]
    assert "KT. GIÁM ĐỐC" in signature[1].text
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 1) == 3.0
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_the_planted_finding_is_listed_with_its_figures_and_source(planted) -> None:
    document = _planted_letter(planted)
    findings = document.tables[1]
    assert [c.text for c in findings.rows[0].cells] == list(FINDINGS_HEADERS)
    assert len(findings.rows) == 2
    number, what, reported, expected, source = (c.text for c in findings.rows[1].cells)
    assert number == "1"
    assert "Chỉ tiêu 3.3.1 “Tỷ lệ hồ sơ TTHC giải quyết đúng hạn”" in what
    assert "1.129 / 1.139 = 99,13%" in what  # the rule's figures, as the finding says
    assert "Quy tắc: Tỷ lệ hồ sơ giải quyết đúng hạn = số hồ sơ đúng hạn / số hồ sơ" in what
    assert (reported, expected) == ("56,5%", "99,13%")
    assert source == f"Tệp {PLANTED_FILE}, dòng table 2 row 14"
    missing = [p.text for p in document.paragraphs if p.text.startswith("- ")]
    assert any("Chỉ tiêu 1.1" in m and "Báo cáo không có số liệu" in m for m in missing)


def test_every_agency_with_open_findings_or_missing_reports_gets_a_letter(
    built: Built, planted
) -> None:
    index = _index(planted["letters"])
    expected = built.scalar("select count(distinct letter_key) from marts.rpt_letter_items") + 1
    assert len(index) == expected
    assert len({row["file"] for row in index}) == len(index)
    for row in index:
        assert (planted["letters"] / row["file"]).exists()
        assert len(row["content_hash"]) == 64
    planted_row = next(r for r in index if r["agency_name_vi"] == PLANTED_AGENCY)
    assert (planted_row["findings"], planted_row["missing_items"]) == ("1", "1")
    with_findings = {
        name
        for (name,) in built.query(
            "select distinct agency_name_vi from quality.rule_results "
            "where review_status = 'open' and agency_key is not null"
        )
    }
    assert with_findings <= {row["agency_name_vi"] for row in index}
    # a report never sent: a letter to the agency the seed expects it from
    not_sent = built.query(
        "select agency_name_vi from quality.report_coverage where coverage_status = 'missing'"
    )
    assert {name for (name,) in not_sent} <= {row["agency_name_vi"] for row in index}
    assert "letters in letters/" in planted["result"].stdout


def test_unchanged_letters_are_not_written_again(planted, tmp_path: Path) -> None:
    letters = planted["letters"]
    before = {p: p.stat().st_mtime_ns for p in letters.rglob("*.docx")}
    today = dt.date.today()
    reuse = Reuse.of(tmp_path / "next", letters)
    written = write_letters(planted["warehouse"], tmp_path / "next", today=today, reuse=reuse)
    assert (reuse.written, reuse.reused) == (0, len(before))
    assert {p.name for p in written} == {p.name for p in before}
    assert {p: p.stat().st_mtime_ns for p in letters.rglob("*.docx")} == before
    # a new year dates the letters anew
    reuse = Reuse.of(tmp_path / "later", letters)
    write_letters(
        planted["warehouse"], tmp_path / "later", today=dt.date(today.year + 1, 1, 2), reuse=reuse
    )
    assert reuse.written == len(before)


def test_no_letters_option(built: Built, tmp_path: Path) -> None:
    warehouse = tmp_path / "cchc.duckdb"
    shutil.copyfile(built.warehouse, warehouse)
    out = tmp_path / "out"
    result = cchc(
        "export", "--no-letters", "--warehouse", str(warehouse), env={"CCHC_OUTPUT_DIR": str(out)}
    )
    assert result.returncode == 0, result.stderr
    assert not list((out / "exports").glob("letters/**/*.docx"))
    assert "letters in letters/" not in result.stdout
