"""The warehouse → one static, self-contained HTML dashboard (``cchc dashboard``).

Query → frames → figures → HTML, each step a small pure function; the only I/O is
reading the DuckDB file (read-only) at the start and writing the HTML file at the end.
Plotly's JavaScript is inlined once, so the file opens with no server and no network.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from cchc.errors import StepFailed

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import plotly.graph_objects as go

NO_DATA_VI = "Chưa có số liệu"
NO_DATA_EN = "No data yet"

CHART_COMPARISON = "chart-comparison"
CHART_HISTORY = "chart-history"
CHART_RULES = "chart-rules"
TABLE_RULES = "table-rules"
CHART_TARGETS = "chart-targets"

STATUS_STYLE = {  # attainment_status → (Vietnamese label, colour)
    "met": ("Đạt", "#2e7d32"),
    "not met yet": ("Chưa đạt", "#e65100"),
    "no actual yet": ("Chưa có số thực hiện", "#9e9e9e"),
}


@dataclass(frozen=True)
class DashboardSummary:
    out_file: Path
    bytes_written: int
    charts_drawn: tuple[str, ...]  # ids of charts with data
    charts_empty: tuple[str, ...]  # ids shown as "Chưa có số liệu"
    comparison_period_key: str | None
    history_indicator_code: str | None
    rule_findings: int
    targets: int


@dataclass(frozen=True)
class Frames:
    """Everything the dashboard draws, as read from the warehouse."""

    comparison: pd.DataFrame
    history: pd.DataFrame
    agency_quality: pd.DataFrame
    rule_results: pd.DataFrame
    targets: pd.DataFrame
    missing_tables: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------- formatting


def format_value(value: float | None, unit_code: str | None = None) -> str:
    """A number as Vietnamese reports write it: '1.855', '92,09', '45,44%'; '—' if none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value)
    if number.is_integer():
        text = f"{int(number):,}".replace(",", ".")
    else:
        text = f"{number:,.2f}".rstrip("0").rstrip(".")
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{text}%" if unit_code == "percent" else text


def _value_labels(values: pd.Series, units: pd.Series | None = None) -> list[str]:
    """The text drawn on bars and points: each value as the reports write it."""
    unit_list = [None] * len(values) if units is None else units.tolist()
    return [format_value(v, u) for v, u in zip(values.tolist(), unit_list, strict=True)]


def _short(text: str | None, limit: int = 60) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- queries

_COMPARISON_COLUMNS = (
    "province_2025_key, province_name_vi, province_name_en, period_key, period_label_vi, "
    "period_label_en, indicator_code, indicator_name_vi, indicator_name_en, display_order, "
    "unit_code, value_numeric, province_rank, provinces_compared, basis_level"
)
_HISTORY_COLUMNS = (
    "indicator_code, indicator_name_vi, indicator_name_en, unit_code, province_key, "
    "province_name_vi, era, province_2025_key, province_2025_name_vi, period_key, "
    "period_label_vi, period_label_en, period_type, nominal_start_date, nominal_end_date, "
    "value_numeric, basis, merger_date"
)
_TARGET_COLUMNS = (
    "file_path, source_line, plan_section, indicator_code, indicator_name_vi, "
    "indicator_name_en, target_year, comparator, target_value, target_text, actual_value, "
    "actual_period_key, gap_to_target, attainment_status, unit_code"
)

# What each chart reads: the dbt reporting model made for it (models/marts/reporting/),
# or the public quality table, in the order it is drawn. Nothing is computed here.
_QUERIES: dict[str, tuple[tuple[str, ...], str]] = {
    "comparison": (
        ("marts.rpt_dashboard_comparison",),
        f"select {_COMPARISON_COLUMNS} from marts.rpt_dashboard_comparison order by chart_order",
    ),
    "history": (
        ("marts.rpt_dashboard_history",),
        f"select {_HISTORY_COLUMNS} from marts.rpt_dashboard_history order by chart_order",
    ),
    "agency_quality": (
        ("quality.agency_report_quality",),
        """
        select agency_key, agency_name_vi, period_key, period_label_vi, rules_checked,
               rules_passed, rules_broken, errors, share_passed
        from quality.agency_report_quality
        order by rules_broken desc, agency_name_vi, period_key
        """,
    ),
    "rule_results": (
        ("quality.rule_results",),
        """
        select rule_id, severity, message_vi, message_en, file_path, source_lines,
               agency_name_vi, period_label_vi, review_status
        from quality.rule_results
        order by case severity when 'error' then 0 when 'warning' then 1 else 2 end,
                 file_path nulls last, rule_id, source_lines
        """,
    ),
    "targets": (
        ("marts.rpt_dashboard_targets",),
        f"select {_TARGET_COLUMNS} from marts.rpt_dashboard_targets order by chart_order",
    ),
}


def _existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
    ).fetchall()
    return {name for (name,) in rows}


def read_frames(warehouse: Path) -> Frames:
    """Read what the dashboard draws; a table the warehouse lacks gives an empty frame."""
    import pandas as pd

    if not warehouse.exists():
        raise StepFailed(f"no warehouse at {warehouse} — run `cchc run` first")
    frames: dict[str, pd.DataFrame] = {}
    missing: set[str] = set()
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            existing = _existing_tables(con)
            for name, (tables, sql) in _QUERIES.items():
                absent = [t for t in tables if t not in existing]
                missing.update(absent)
                frames[name] = pd.DataFrame() if absent else con.execute(sql).df()
    except duckdb.Error as exc:
        raise StepFailed(f"cannot read the warehouse {warehouse}: {exc}") from exc
    return Frames(**frames, missing_tables=tuple(sorted(missing)))


# ---------------------------------------------------------------- frames → figures


def choose_history_indicator(history: pd.DataFrame, preferred: str | None = None) -> str | None:
    """The indicator whose history to draw: the preferred one if it has data, else the
    one with the most (province, period) points, ties to the code."""
    if history.empty:
        return None
    codes = set(history["indicator_code"])
    if preferred in codes:
        return preferred
    points = history.groupby("indicator_code").size().reset_index(name="n")
    points = points.sort_values(["n", "indicator_code"], ascending=[False, True])
    return str(points.iloc[0]["indicator_code"])


def _base_layout(fig: go.Figure, title_vi: str, title_en: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": f"{html.escape(title_vi)}<br><sup>{html.escape(title_en)}</sup>"},
        template="plotly_white",
        height=height,
        margin={"l": 20, "r": 60, "t": 90, "b": 40},
        font={"family": "Arial, 'Noto Sans', sans-serif", "size": 12},
    )
    return fig


def comparison_figure(comparison: pd.DataFrame) -> go.Figure | None:
    """One horizontal bar chart per headline indicator: the 34 provinces' values."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    if comparison.empty:
        return None
    indicators = comparison[["indicator_code", "indicator_name_vi"]].drop_duplicates()
    bar_px = 30 * comparison["province_name_vi"].nunique() + 40  # one subplot's plot area
    gap_px = 70  # room for the next subplot's title and the x-axis ticks
    height = 110 + len(indicators) * (bar_px + gap_px)
    fig = make_subplots(
        rows=len(indicators),
        cols=1,
        subplot_titles=[_short(name, 110) for name in indicators["indicator_name_vi"]],
        vertical_spacing=gap_px / height,
    )
    for row, code in enumerate(indicators["indicator_code"], start=1):
        part = comparison[comparison["indicator_code"] == code]
        fig.add_trace(
            go.Bar(
                x=part["value_numeric"].tolist(),
                y=part["province_name_vi"].tolist(),
                orientation="h",
                text=_value_labels(part["value_numeric"], part["unit_code"]),
                textposition="outside",
                cliponaxis=False,
                name=code,
                marker_color="#1565c0",
                customdata=part[["province_name_en", "indicator_name_en"]].values.tolist(),
                hovertemplate="%{y} (%{customdata[0]})<br>%{customdata[1]}: %{text}<extra></extra>",
                showlegend=False,
            ),
            row=row,
            col=1,
        )
        top = max(float(part["value_numeric"].max()), 0.0)
        fig.update_xaxes(range=[0, top * 1.15 or 1], row=row, col=1)
    fig.update_yaxes(automargin=True)
    fig.update_annotations(font_size=13, xanchor="left", x=0)
    period = comparison.iloc[0]
    return _base_layout(
        fig,
        f"So sánh các tỉnh — {period['period_label_vi']}",
        f"Province comparison, headline indicators — {period['period_label_en']}",
        height=height,
    )


def _merger_date(history: pd.DataFrame) -> datetime | None:
    """The day the 2025 merger took effect, as rpt_dashboard_history gives it."""
    import pandas as pd

    if "merger_date" not in history or history["merger_date"].isna().all():
        return None
    return pd.Timestamp(history["merger_date"].dropna().iloc[0]).to_pydatetime()


def history_figure(history: pd.DataFrame, indicator_code: str | None) -> go.Figure | None:
    """Lines over periods, one per province as it was, grouped by its 2025 unit."""
    import plotly.graph_objects as go

    if history.empty or indicator_code is None:
        return None
    part = history[history["indicator_code"] == indicator_code]
    if part.empty:
        return None
    fig = go.Figure()
    for (p25, key), series in part.groupby(
        ["province_2025_name_vi", "province_key"], sort=True, dropna=False
    ):
        fig.add_trace(
            go.Scatter(
                x=series["nominal_end_date"].tolist(),
                y=series["value_numeric"].tolist(),
                mode="lines+markers+text",
                text=_value_labels(series["value_numeric"], series["unit_code"]),
                textposition="top center",
                name=f"{series['province_name_vi'].iloc[0]} ({key.split('@')[0]})",
                legendgroup=p25,
                legendgrouptitle_text=f"{p25} (từ 1/7/2025)",
                customdata=series[["period_label_vi", "basis"]].values.tolist(),
                hovertemplate=(
                    "%{customdata[0]}: %{text}<br>%{customdata[1]}<extra>%{fullData.name}</extra>"
                ),
            )
        )
    dates = part["nominal_end_date"].astype("datetime64[ns]")
    merger = _merger_date(part)
    if merger is not None and dates.min() < merger <= dates.max():
        day = merger.date().isoformat()
        fig.add_vline(x=day, line_dash="dot", line_color="#555")
        fig.add_annotation(
            x=day,
            y=1,
            yref="paper",
            text=f"Sáp nhập tỉnh {merger.day}/{merger.month}/{merger.year}",
            showarrow=False,
        )
    fig.update_xaxes(title_text="Kỳ báo cáo (ngày cuối kỳ) / period end")
    # the legend names the province even when one line is drawn (plotly hides a lone one)
    fig.update_layout(showlegend=True)
    first = part.iloc[0]
    return _base_layout(
        fig,
        f"Diễn biến theo kỳ: {_short(first['indicator_name_vi'], 90)}",
        f"History per province across the 2025 merger: {_short(first['indicator_name_en'], 90)}",
        height=480,
    )


def rules_figure(agency_quality: pd.DataFrame) -> go.Figure | None:
    """Rules broken (and errors among them) per agency and period."""
    import plotly.graph_objects as go

    if agency_quality.empty:
        return None
    labels = [
        f"{_short(a, 50)} — {p}"
        for a, p in zip(
            agency_quality["agency_name_vi"], agency_quality["period_label_vi"], strict=True
        )
    ]
    fig = go.Figure()
    for column, name, colour in (
        ("rules_broken", "Quy tắc bị vi phạm / rules broken", "#c62828"),
        ("errors", "Trong đó lỗi / of which errors", "#6a1b9a"),
    ):
        fig.add_trace(
            go.Bar(
                x=agency_quality[column].tolist(),
                y=labels,
                orientation="h",
                name=name,
                marker_color=colour,
                text=_value_labels(agency_quality[column]),
                textposition="outside",
                cliponaxis=False,
                customdata=agency_quality[["rules_checked", "share_passed"]].values.tolist(),
                hovertemplate=(
                    "%{y}<br>%{x} / %{customdata[0]} quy tắc<extra>%{fullData.name}</extra>"
                ),
            )
        )
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed"})
    return _base_layout(
        fig,
        "Kết quả kiểm tra quy tắc báo cáo theo cơ quan",
        "Reporting-rule findings per agency and period",
        height=160 + 56 * len(agency_quality),
    )


def targets_figure(targets: pd.DataFrame) -> go.Figure | None:
    """Each plan target: the target as a marker, the latest actual as a bar coloured by
    status, and a hollow marker where there is no actual yet."""
    import plotly.graph_objects as go

    if targets.empty:
        return None
    labels = [
        f"{_short(name, 55)} — {comp} {format_value(value, unit)} ({year}) · dòng {line}"
        for name, comp, value, unit, year, line in zip(
            targets["indicator_name_vi"],
            targets["comparator"],
            targets["target_value"],
            targets["unit_code"],
            targets["target_year"],
            targets["source_line"],
            strict=True,
        )
    ]
    frame = targets.assign(label=labels)
    fig = go.Figure()
    for status, (name_vi, colour) in STATUS_STYLE.items():
        part = frame[frame["attainment_status"] == status]
        if part.empty or status == "no actual yet":
            continue
        fig.add_trace(
            go.Bar(
                x=part["actual_value"].tolist(),
                y=part["label"].tolist(),
                orientation="h",
                name=f"Thực hiện: {name_vi} / actual: {status}",
                marker_color=colour,
                text=_value_labels(part["actual_value"], part["unit_code"]),
                textposition="inside",
                insidetextanchor="end",
                customdata=part[["actual_period_key", "gap_to_target"]].values.tolist(),
                hovertemplate="%{y}<br>thực hiện %{text} (%{customdata[0]})<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=frame["target_value"].tolist(),
            y=frame["label"].tolist(),
            mode="markers",
            name="Mục tiêu / target",
            marker={"symbol": "line-ns-open", "size": 18, "line": {"width": 3}, "color": "#000"},
            hovertemplate="%{y}<br>mục tiêu %{x}<extra></extra>",
        )
    )
    pending = frame[frame["attainment_status"] == "no actual yet"]
    if not pending.empty:
        name_vi, colour = STATUS_STYLE["no actual yet"]
        fig.add_trace(
            go.Scatter(
                x=pending["target_value"].tolist(),
                y=pending["label"].tolist(),
                mode="markers",
                name=f"{name_vi} / no actual yet",
                marker={"symbol": "circle-open", "size": 10, "color": colour},
                hovertemplate="%{y}<br>chưa có số thực hiện<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="overlay",
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": labels},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
    )
    return _base_layout(
        fig,
        "Mục tiêu kế hoạch và số thực hiện",
        "Plan targets vs latest actuals (met / not met yet / no actual yet)",
        height=220 + 24 * len(frame),
    )


# ---------------------------------------------------------------- figures → HTML


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(
        frame.to_json(orient="records", date_format="iso", force_ascii=False, double_precision=15)
    )


def chart_html(chart_id: str, fig: go.Figure | None, data: pd.DataFrame) -> str:
    """The chart (or the no-data note) and, beside it, the warehouse rows it draws."""
    if fig is None:
        return (
            f'<div id="{chart_id}" class="no-data">{NO_DATA_VI} '
            f'<span class="en">{NO_DATA_EN}</span></div>'
        )
    plot = fig.to_html(
        include_plotlyjs=False,
        full_html=False,
        div_id=chart_id,
        config={"displaylogo": False, "responsive": True},
    )
    payload = json.dumps(_records(data), ensure_ascii=False).replace("<", "\\u003c")
    return f'{plot}\n<script type="application/json" id="{chart_id}-data">{payload}</script>'


def rules_table_html(rule_results: pd.DataFrame) -> str:
    if rule_results.empty:
        return (
            f'<div id="{TABLE_RULES}" class="no-data">{NO_DATA_VI} '
            f'<span class="en">{NO_DATA_EN}</span></div>'
        )

    def cell(value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        return html.escape(str(value))

    rows = "\n".join(
        f'<tr class="sev-{cell(r.severity)}"><td>{cell(r.severity)}</td>'
        f"<td>{cell(r.message_vi)}<div class='en'>{cell(r.message_en)}</div></td>"
        f"<td>{cell(r.agency_name_vi)}<div class='en'>{cell(r.period_label_vi)}</div></td>"
        f"<td>{cell(r.file_path)}</td><td>{cell(r.source_lines)}</td>"
        f"<td><code>{cell(r.rule_id)}</code></td></tr>"
        for r in rule_results.itertuples(index=False)
    )
    return (
        f'<table id="{TABLE_RULES}"><thead><tr>'
        "<th>Mức độ<div class='en'>severity</div></th>"
        "<th>Nội dung<div class='en'>finding</div></th>"
        "<th>Cơ quan, kỳ<div class='en'>agency, period</div></th>"
        "<th>Tệp<div class='en'>file</div></th>"
        "<th>Dòng<div class='en'>lines</div></th>"
        "<th>Quy tắc<div class='en'>rule</div></th>"
        f"</tr></thead><tbody>\n{rows}\n</tbody></table>"
    )


_CSS = """
body{font-family:Arial,'Noto Sans',sans-serif;margin:0 auto;max-width:1200px;padding:16px;
color:#222}
h1{font-size:24px;margin-bottom:0}h2{font-size:19px;margin:32px 0 4px}
.en{font-size:0.8em;color:#666;font-weight:normal}
.no-data{padding:24px;border:1px dashed #aaa;color:#555;background:#fafafa}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}tr.sev-error td:first-child{color:#c62828;font-weight:bold}
tr.sev-warning td:first-child{color:#e65100}
"""


def _section(title_vi: str, title_en: str, body: str, note: str = "") -> str:
    note_html = f'<p class="note">{note}</p>' if note else ""
    return (
        f"<section><h2>{html.escape(title_vi)} "
        f'<span class="en">{html.escape(title_en)}</span></h2>{note_html}\n{body}\n</section>'
    )


def page_html(sections: list[str], generated_at: str, warehouse_name: str) -> str:
    from plotly.offline import get_plotlyjs

    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Báo cáo CCHC — bảng tổng hợp</title>"
        f"<style>{_CSS}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        "<h1>Cải cách hành chính — bảng tổng hợp số liệu "
        '<span class="en">Administrative reform (CCHC) dashboard</span></h1>'
        f'<p class="en">Tạo lúc / generated {html.escape(generated_at)} '
        f"từ / from {html.escape(warehouse_name)}</p>\n"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )


def build_page(
    frames: Frames, *, history_indicator: str | None, generated_at: str, warehouse_name: str
) -> tuple[str, dict[str, bool], str | None]:
    """Frames → the page; also which charts had data and which indicator's history."""
    code = choose_history_indicator(frames.history, history_indicator)
    history = frames.history[frames.history["indicator_code"] == code] if code else frames.history
    figures = {
        CHART_COMPARISON: (comparison_figure(frames.comparison), frames.comparison),
        CHART_HISTORY: (history_figure(frames.history, code), history),
        CHART_RULES: (rules_figure(frames.agency_quality), frames.agency_quality),
        CHART_TARGETS: (targets_figure(frames.targets), frames.targets),
    }
    body = {key: chart_html(key, fig, data) for key, (fig, data) in figures.items()}
    missing = (
        "Thiếu bảng / missing tables: " + html.escape(", ".join(frames.missing_tables))
        if frames.missing_tables
        else ""
    )
    sections = [
        _section(
            "1. So sánh các tỉnh (kỳ gần nhất có số liệu)",
            "Cross-province comparison, latest period with data; provinces since the 2025 merger",
            body[CHART_COMPARISON],
            missing,
        ),
        _section(
            "2. Diễn biến chỉ tiêu theo tỉnh qua sáp nhập 2025",
            "An indicator's history per province across the 2025 merger",
            body[CHART_HISTORY],
        ),
        _section(
            "3. Kết quả kiểm tra quy tắc báo cáo",
            "Reporting-rule findings per agency",
            body[CHART_RULES] + "\n" + rules_table_html(frames.rule_results),
        ),
        _section(
            "4. Mục tiêu và số thực hiện",
            "Targets vs actuals",
            body[CHART_TARGETS],
        ),
    ]
    drawn = {key: fig is not None for key, (fig, _) in figures.items()}
    return page_html(sections, generated_at, warehouse_name), drawn, code


# ---------------------------------------------------------------- entry point


def render_dashboard(
    warehouse: Path, out_file: Path, *, history_indicator: str | None = None
) -> DashboardSummary:
    """Read the warehouse (read-only) and write the dashboard as one HTML file."""
    frames = read_frames(warehouse)
    page, drawn, code = build_page(
        frames,
        history_indicator=history_indicator,
        generated_at=datetime.now().isoformat(timespec="seconds"),
        warehouse_name=warehouse.name,
    )
    out_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_file.with_name(out_file.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out_file)  # readers see the old page or the new one
    comparison = frames.comparison
    return DashboardSummary(
        out_file=out_file,
        bytes_written=out_file.stat().st_size,
        charts_drawn=tuple(k for k, ok in drawn.items() if ok),
        charts_empty=tuple(k for k, ok in drawn.items() if not ok),
        comparison_period_key=None if comparison.empty else str(comparison.iloc[0]["period_key"]),
        history_indicator_code=code,
        rule_findings=len(frames.rule_results),
        targets=len(frames.targets),
    )
