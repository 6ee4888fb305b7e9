"""Layout vocabulary of the generator: how reports word and arrange what the seeds mean.

These are facts about writing (DOCUMENTS.md: letterheads, symbols, the 2025 merger of
departments; GLOSSARY.md: header words), not meaning the product reads from seeds, so
they live here. Agency names themselves come from ``seeds/agency_names.csv``.
"""

from __future__ import annotations

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")

# The 2025 merger (DOCUMENTS.md): departments that exist only before it, only after it.
DEPARTMENTS_BEFORE_2025_ONLY = frozenset(
    {
        "Sở Kế hoạch và Đầu tư",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Tài nguyên và Môi trường",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Giao thông vận tải",
        "Sở Thông tin và Truyền thông",
        "Ban Dân tộc",
        "Sở Văn hóa - Thể thao và Du lịch",
    }
)
DEPARTMENTS_AFTER_2025_ONLY = frozenset(
    {"Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo", "Sở Văn hóa - Thể thao"}
)
# The symbol an issuer signs with (DOCUMENTS.md, "File names").
SYMBOLS = {
    "Sở Nội vụ": "SNV",
    "Sở Tư pháp": "STP",
    "Sở Tài chính": "STC",
    "Sở Y tế": "SYT",
    "Sở Xây dựng": "SXD",
    "Sở Khoa học và Công nghệ": "SKHCN",
    "Sở Tài nguyên và Môi trường": "STNMT",
    "Sở Giao thông vận tải": "SGTVT",
    "Sở Công Thương": "SCT",
    "Sở Văn hóa - Thể thao và Du lịch": "SVHTTDL",
    "Sở Nông nghiệp và Môi trường": "SNNMT",
    "Sở Kế hoạch và Đầu tư": "SKHĐT",
    "Sở Thông tin và Truyền thông": "STTTT",
    "Sở Giáo dục và Đào tạo": "SGDĐT",
    "Sở Lao động - Thương binh và Xã hội": "SLĐTBXH",
    "Sở Nông nghiệp và Phát triển nông thôn": "SNNPTNT",
}

# Syllables of made-up commune and district names (real names are not in the seeds).
PLACE_WORDS = (
    "Tân",
    "An",
    "Phú",
    "Hòa",
    "Bình",
    "Thạnh",
    "Long",
    "Mỹ",
    "Xuân",
    "Hưng",
    "Đông",
    "Yên",
    "Thuận",
    "Phước",
    "Quang",
    "Minh",
    "Sơn",
    "Lộc",
    "Trung",
    "Vĩnh",
)

# Header words of the table's columns (GLOSSARY.md; the samples' and the form's words).
STT_HEADERS = ("STT", "Số TT", "TT")
INDICATOR_HEADERS = ("Chỉ tiêu", "Nội dung", "Nội dung chỉ tiêu", "Tên chỉ tiêu")
UNIT_HEADERS = ("Đơn vị tính", "ĐVT")
VALUE_HEADERS = (
    "Số liệu",
    "Kết quả",
    "Số lượng",
    "Kết quả thực hiện",
    "Số liệu của kỳ báo cáo",
    "Thực hiện",
    "Kỳ báo cáo",
    "",  # no header word at all: the column is known by its figures
)
NO_HEADER = "(none)"  # how the truth names the value header that is empty
# The rows of a cross-tab of dossiers by sector (the report 000 body table's layout).
SECTORS = (
    "Lĩnh vực Hộ tịch",
    "Lĩnh vực Đất đai",
    "Lĩnh vực Xây dựng",
    "Lĩnh vực Tư pháp",
    "Lĩnh vực Giáo dục và Đào tạo",
    "Lĩnh vực Y tế",
    "Lĩnh vực Công thương",
)
SECTOR_HEADERS = ("Lĩnh vực", "Tên lĩnh vực")
# A cross-tab's column headers are measures: catalog indicators, written by their names.
CROSSTAB_MEASURES = (
    "ext_3_dossiers_received_total",
    "ext_3_dossiers_resolved_total",
    "ext_3_dossiers_resolved_late",
)
NOTE_HEADER = "Ghi chú"

BODY_SENTENCES = (
    "Công tác cải cách hành chính tiếp tục được quan tâm chỉ đạo, triển khai đồng bộ.",
    "Việc kiểm soát thủ tục hành chính được thực hiện nghiêm túc, đúng quy định.",
    "Công tác tuyên truyền cải cách hành chính được đẩy mạnh bằng nhiều hình thức.",
    "Đơn vị tiếp tục rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền.",
)
