"""How a report writes its period (DOCUMENTS.md, "How the period is written").

Pure functions: a period and a style give the reporting period's phrase, the next
period's plan phrase, the whole subject line, and the file-name form.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

ROMAN = ("I", "II", "III", "IV")

STYLES = {
    "quarter": ("quy_roman", "quy_arabic", "quy_slash", "quy_roman_slash", "q_dash", "shared_year"),
    "half_year": ("6_thang_dau", "sau_thang", "06_thang", "6T"),
    "nine_months": ("9_thang_dau", "09_thang", "9T"),
    "year": ("nam_plan", "ca_nam", "tong_ket_nam"),
}
CASES = ("as_written", "upper", "no_diacritics")
FILE_FORMS = {
    "quarter": ("Q{n}.{y}", "quy-{n}-{y}", "Q{n}_{y}", "QUY {r}-{y}"),
    "half_year": ("6T-{y}", "6-thang-{y}", "6thang_{y}"),
    "nine_months": ("9T-{y}", "9-thang-{y}"),
    "year": ("nam_{y}", "{y}", "nam-{y}"),
}


@dataclass(frozen=True)
class Period:
    period_type: str  # quarter, half_year, nine_months, year
    year: int
    number: int  # the quarter; 1 for the other types (as the product's dim_period)

    @property
    def end(self) -> dt.date:
        month = {"quarter": 3 * self.number, "half_year": 6, "nine_months": 9, "year": 12}
        last = month[self.period_type]
        following = dt.date(self.year + (last == 12), last % 12 + 1, 1)
        return following - dt.timedelta(days=1)


def period_phrase(period: Period, style: str) -> str:
    """The reporting period as the subject line writes it."""
    y, n = period.year, period.number
    phrases = {
        "quy_roman": f"quý {ROMAN[n - 1]} năm {y}",
        "quy_arabic": f"quý {n} năm {y}",
        "quy_slash": f"Quý {n}/{y}",
        "quy_roman_slash": f"quý {ROMAN[n - 1]}/{y}",
        "q_dash": f"Q{n}-{y}",
        "shared_year": f"quý {ROMAN[n - 1]}",
        "6_thang_dau": f"6 tháng đầu năm {y}",
        "sau_thang": f"sáu tháng đầu năm {y}",
        "06_thang": f"06 tháng năm {y}",
        "6T": f"6T/{y}",
        "9_thang_dau": f"9 tháng đầu năm {y}",
        "09_thang": f"09 tháng năm {y}",
        "9T": f"9T-{y}",
        "nam_plan": f"năm {y}",
        "ca_nam": f"cả năm {y}",
        "tong_ket_nam": f"tổng kết năm {y}",
    }
    return phrases[style]


def plan_phrase(period: Period, style: str) -> str:
    """The next period's plan ("phương hướng, nhiệm vụ …"), which is not the period."""
    y, n = period.year, period.number
    if period.period_type == "quarter":
        nxt, year = (n + 1, y) if n < 4 else (1, y + 1)
        if style == "shared_year":
            return f"quý {ROMAN[nxt - 1]} năm {year}"
        return period_phrase(
            Period("quarter", year, nxt), style if style != "q_dash" else "quy_roman"
        )
    if period.period_type == "half_year":
        return f"6 tháng cuối năm {y}"
    if period.period_type == "nine_months":
        return f"quý IV năm {y}"
    return f"năm {y + 1}"


def subject_line(period: Period, style: str, *, with_plan: bool) -> str:
    """The subject (trích yếu) under "BÁO CÁO"; a year report always names next year."""
    head = "Kết quả thực hiện công tác cải cách hành chính"
    phrase = period_phrase(period, style)
    if with_plan or style in ("shared_year", "nam_plan"):
        return f"{head} {phrase}, phương hướng, nhiệm vụ {plan_phrase(period, style)}"
    return f"{head} {phrase}"


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def apply_case(text: str, case: str) -> str:
    if case == "upper":
        return text.upper()
    if case == "no_diacritics":
        return strip_diacritics(text)
    return text


def file_form(period: Period, form_no: int) -> str:
    forms = FILE_FORMS[period.period_type]
    form = forms[form_no % len(forms)]
    return form.format(n=period.number, y=period.year, r=ROMAN[period.number - 1])


def report_date(period: Period, day: int) -> dt.date:
    """A date in the period's last month (reports are due by the 20th)."""
    return dt.date(period.end.year, period.end.month, day)
