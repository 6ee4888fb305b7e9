"""The rows → one self-contained HTML page (pure: text in, text out).

The page embeds the rows as JSON and draws them in the browser for the era, province
and period the officer chooses (dashboard.js), with plotly.js inlined once: no server,
no network, nothing loaded from elsewhere.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from importlib import resources
from typing import Any

from cchc.dashboard.fmt import format_date_words

TITLE = "Bảng tổng hợp tình hình báo cáo cải cách hành chính"


def _asset(name: str) -> str:
    return resources.files("cchc.dashboard").joinpath(name).read_text(encoding="utf-8")


def _json_for_script(payload: Any) -> str:
    """JSON safe inside <script>: no '</' can close the element early."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _section(part_id: str, title: str, intro: str, *inner: str) -> str:
    return (
        f'<section class="part" id="part-{part_id}"><h2>{html.escape(title)}</h2>'
        f"<p>{html.escape(intro)}</p>{''.join(inner)}</section>"
    )


def build_page(payload: dict[str, Any], plotly_js: str, generated_at: datetime) -> str:
    """The whole page. ``payload`` holds the parts' rows (see data.PARTS), the letters
    and the links; ``plotly_js`` is plotly.js itself, inlined."""
    links = payload.get("links", {})
    link_html = "".join(
        f'<a href="{html.escape(href)}">{html.escape(label)}</a>'
        for label, href in (
            ("Báo cáo chất lượng theo cơ quan", links.get("agency_pages")),
            ("Kết quả kiểm tra chi tiết (Data Docs)", links.get("quality_docs")),
        )
        if href
    )
    body = "".join(
        [
            '<div class="choices">',
            '<label for="choose-era">Giai đoạn<select id="choose-era"></select></label>',
            '<label for="choose-province">Tỉnh, thành phố<select id="choose-province">'
            "</select></label>",
            '<label for="choose-period">Kỳ báo cáo<select id="choose-period"></select></label>',
            '<span class="no-data">• có số liệu</span>',
            "</div>",
            '<h2 id="chosen"></h2><p id="chosen-note"></p>',
            '<div id="summary"></div>',
            _section(
                "coverage",
                "Tình hình gửi báo cáo",
                "Mỗi cơ quan phải báo cáo trong kỳ (theo danh sách cơ quan báo cáo): đã gửi, "
                "gửi muộn hay chưa gửi.",
                '<div id="coverage"></div>',
            ),
            _section(
                "set-aside",
                "Báo cáo không đọc được hoặc bị gác lại",
                "Các tệp chương trình chưa đọc được hoặc tạm gác lại trong lần chạy gần nhất, "
                "với lý do và việc cần làm.",
                '<div id="set-aside"></div>',
            ),
            _section(
                "findings",
                "Các phát hiện về số liệu báo cáo",
                "Theo từng cơ quan: quy tắc bị vi phạm, số đã báo cáo, số đúng ra phải là, "
                "tệp và dòng của số liệu.",
                '<div id="findings"></div>',
            ),
            _section(
                "comparison",
                "So sánh các tỉnh trong kỳ",
                "Các chỉ tiêu chính của tỉnh đã chọn (tô đỏ trên biểu đồ) so với các tỉnh "
                "khác có số liệu, với cơ sở số liệu, số cơ quan đã gửi và nguồn.",
                '<div id="comparison-table"></div><div id="chart-comparison"></div>',
            ),
            _section(
                "history",
                "Diễn biến chỉ tiêu qua các kỳ (qua sáp nhập tỉnh 2025)",
                "Mỗi đường là một tỉnh như khi báo cáo; các tỉnh cũ được nhóm theo tỉnh mới "
                "từ 1/7/2025.",
                '<label for="choose-indicator">Chỉ tiêu <select id="choose-indicator">'
                "</select></label>",
                '<div id="chart-history"></div><div id="history-table"></div>',
            ),
            _section(
                "targets",
                "Mục tiêu kế hoạch và kết quả thực hiện",
                "Mục tiêu trong văn bản kế hoạch và số thực hiện gần nhất.",
                '<div id="targets"></div>',
            ),
            _section(
                "letters",
                "Công văn đề nghị rà soát, bổ sung số liệu",
                "Công văn gửi từng cơ quan có phát hiện hoặc còn thiếu báo cáo.",
                '<div id="letters"></div>',
            ),
        ]
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="vi"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(TITLE)}</title>",
            f"<style>{_asset('dashboard.css')}</style>",
            f'<script type="text/javascript">{plotly_js}</script>',
            "</head><body>",
            f"<header><h1>{html.escape(TITLE)}</h1>{link_html}</header>",
            f"<main>{body}</main>",
            "<footer>Số liệu lấy từ kho dữ liệu, cập nhật "
            f"{html.escape(format_date_words(generated_at))}. Mỗi số liệu ghi kèm tệp và dòng "
            "của báo cáo gốc.</footer>",
            f'<script type="application/json" id="dashboard-data">{_json_for_script(payload)}'
            "</script>",
            f"<script>{_asset('dashboard.js')}</script>",
            "</body></html>",
        ]
    )
