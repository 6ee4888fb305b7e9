"""The reference vocabulary of running text: the words that recognise units, labels,
comparators and what is not a figure.

Matched case-insensitively with both tone placements (``hoá``/``hóa``, see
``ingest.narrative.matching``) and with their diacritics: without them, short words
collide (``số``/``Sở``, ``đạt``/``đất``, ``từ``/``tư``).
"""

from __future__ import annotations

# Units written right after a count in a sentence that seeds/unit_aliases.csv does not
# hold: the count nouns of running text. The seed's aliases of count and amount units are
# units too (``ingest.narrative.units``); a unit that tables also write belongs there.
SENTENCE_UNIT_WORDS: tuple[str, ...] = (
    # procedures (TTHC)
    "bộ thủ tục hành chính",
    "danh mục thủ tục hành chính",
    "danh mục TTHC",
    "quy trình",
    # dossiers
    "hồ sơ, giấy tờ",
    # documents
    "văn bản quy phạm pháp luật",
    "văn bản QPPL",
    "VB QPPL",
    "VBQPPL",
    "lượt văn bản",
    "quyết định",
    "kế hoạch",
    "nghị quyết",
    "chỉ thị",
    "công văn",
    "báo cáo",
    "đề án",
    "dự thảo",
    "đề nghị",
    # tasks
    "phần việc",
    # feedback (PAKN)
    "phản ánh",
    "kiến nghị",
    # public services (DVC, DVCTT)
    "dịch vụ công trực tuyến",
    "dịch vụ hành chính công",
    "dịch vụ công",
    "dịch vụ",
    "DVCTT",
    "DVC",
    # organisations
    "phòng, ban, đơn vị",
    "phòng ban, đơn vị",
    "phòng, đơn vị",
    "sở, ban, ngành",
    "đơn vị sự nghiệp công lập",
    "đơn vị sự nghiệp",
    "ĐVSNCL",
    "phòng chuyên môn",
    "phòng ban",
    "phòng",
    "đầu mối",
    # people and posts
    "cán bộ, công chức, viên chức",
    "cán bộ, công chức",
    "công chức, viên chức",
    "lãnh đạo, quản lý",
    "lãnh đạo quản lý",
    "công chức",
    "viên chức",
    "cán bộ",
    "biên chế",
    "hợp đồng",
    "trường hợp",
    # media and events
    "cuộc họp",
    # inspections, surveys, e-government
    "tài khoản",
    "chứng thư số",
    "sim ký số",
    "chữ ký số",
    "cơ sở dữ liệu",
    "dữ liệu mở",
    "hệ thống",
    "nền tảng số",
    "điểm cầu",
)

# Aliases in seeds/unit_aliases.csv that a sentence does not write as a unit: in a
# table's unit column "Triệu" is million đồng, in running text it is a numeral
# ("2 triệu người", "gần 900 triệu triệu đồng").
SEED_UNITS_NOT_IN_SENTENCES: tuple[str, ...] = ("triệu",)

# Words that start like a unit but name something else ("01 đồng chí" is a person).
UNIT_FALSE_FRIENDS: tuple[str, ...] = ("đồng chí", "đồng thời", "đồng bộ", "đồng ý")

# A label that starts with one of these names what is counted ("số TTHC cấp tỉnh").
SUBJECT_HEAD_WORDS: tuple[str, ...] = (
    "tổng số",
    "số lượng",
    "số",
    "tỷ lệ",
    "tổng",
    "chỉ số",
    "mức độ",
)

# Words between a label and its value ("… là 1.497", "… đạt 41,7%"): not in the subject.
LABEL_MARKERS: tuple[str, ...] = ("đạt tỷ lệ", "ước đạt", "đạt", "bằng", "là")

# Words that open a breakdown of the count just stated.
BREAKDOWN_WORDS: tuple[str, ...] = ("trong số đó", "trong đó", "bao gồm", "gồm")

# Words before a number that qualify it; the key is the comparator of the fact.
COMPARATOR_WORDS: dict[str, tuple[str, ...]] = {
    ">=": ("tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "từ"),
    ">": ("trên", "hơn"),
    "<=": ("tối đa", "không quá", "không vượt quá"),
    "<": ("dưới", "chưa đạt"),
}
# ... and after it ("đạt từ 86% trở lên").
COMPARATOR_AFTER_WORDS: dict[str, tuple[str, ...]] = {">=": ("trở lên",), "<=": ("trở xuống",)}

# Words between a label and its count, dropped when the subject is the label alone
# ("cấp tỉnh có 21 điểm cầu" → "cấp tỉnh").
LABEL_TRAILING_WORDS: tuple[str, ...] = ("hiện có", "đã có", "mới có", "có")

# Words that make a number approximate ("khoảng 1.760"): not in the subject, no comparator.
APPROXIMATE_WORDS: tuple[str, ...] = ("khoảng", "gần", "ước tính", "ước", "chỉ", "phấn đấu")

# A heading whose title starts with one of these opens a section of targets.
TARGET_HEADING_WORDS: tuple[str, ...] = ("mục tiêu", "định hướng")

# ... and one of these a section of plans and proposals (what will be done, not what
# was): its numbers are neither reported figures nor targets.
PLAN_HEADING_WORDS: tuple[str, ...] = (
    "phương hướng",
    "nhiệm vụ thực hiện",
    "giải pháp",
    "kiến nghị",
    "đề xuất",
)

# A number right after one of these (optionally followed by "số") is a date, a year, a
# document or item number, a level or a rank, never a count.
NOT_A_COUNT_AFTER: tuple[str, ...] = (
    "ngày",
    "tháng",
    "năm",
    "quý",
    "tuần",
    "giai đoạn",
    "nhiệm kỳ",
    "khóa",
    "lần thứ",
    "thứ",
    "mức độ",
    "cấp độ",
    "phiên bản",
    "điều",
    "khoản",
    "phụ lục",
    "iso",
    "tcvn",
    "cụm",
    "nhóm",
    "hạng",
    "nghị định",
    "quyết định",
    "nghị quyết",
    "thông tư",
    "chỉ thị",
    "công văn",
    "kế hoạch",
    "báo cáo",
    "văn bản",
    "tờ trình",
    "thông báo",
    "đề án",
    "chương trình",
    "luật",
    "hđlđ",
    "kh",
    "qđ",
)

# Phrases of time or purpose that open a sentence before the label of a figure
# ("Tính đến thời điểm báo cáo, Sở đã thực hiện …"): dropped up to their comma.
LEADING_CIRCUMSTANCE_WORDS: tuple[str, ...] = (
    "tính từ",
    "tính đến",
    "tính tới",
    "từ ngày",
    "đến ngày",
    "đến nay",
    "đến thời điểm",
    "đến hết",
    "đến năm",
    "trong quý",
    "trong kỳ",
    "trong năm",
    "trong 6 tháng",
    "năm",
    "quý",
    "hiện nay",
    "hiện tại",
    "tới cuối",
    "ước tính",
    "qua rà soát",
    "theo đó",
    "ngoài ra",
    "để",
)

# Words that end the phrase after a figure: the next clause starts there.
CLAUSE_BREAK_WORDS: tuple[str, ...] = (
    "trong số đó",
    "trong đó",
    "bao gồm",
    "gồm",
    "và",
    "khi",
    "đạt",
    "bằng",
    "tăng",
    "giảm",
)

# Connectors dropped from the start of a subject.
LEADING_CONNECTOR_WORDS: tuple[str, ...] = (
    "trong số đó",
    "trong đó",
    "bao gồm",
    "gồm",
    "và",
    "với",
    "khi",
    "còn",
    "có",
    "như vậy",
)

# "tăng 404 văn bản so với cùng kỳ": a change against an earlier period, not a figure.
CHANGE_WORDS: tuple[str, ...] = ("tăng", "giảm")
COMPARED_WITH_WORDS: tuple[str, ...] = ("so với",)

# Labels too generic to say what is counted ("Kết quả: 97/97 hồ sơ").
GENERIC_LABELS: tuple[str, ...] = ("kết quả", "cụ thể")

# A wrapped heading line that ends on one of these runs on to the next line.
RUN_ON_WORDS: tuple[str, ...] = (
    "của",
    "và",
    "các",
    "những",
    "về",
    "với",
    "theo",
    "tại",
    "trong",
    "cho",
    "để",
    "đến",
    "từ",
    "là",
    "được",
    "số",
    "thuộc",
    "hoặc",
    "trên",
    "giữa",
    "bằng",
    "do",
    "nhằm",
    "ngày",
    "tháng",
    "năm",
)

# Whose figure a clause states (ingest.narrative.scope): 'của Sở', 'tại đơn vị' name the
# reporting agency itself ('Sở' written with its capital: 'sở, ban, ngành' are every
# department); the province's own words are those of tables (ingest.layout).
AGENCY_OWNER_WORDS: tuple[str, ...] = ("của", "tại", "thuộc")
AGENCY_WORDS: tuple[str, ...] = ("Sở", "đơn vị", "Văn phòng")

# A system or portal a paragraph names ('Hệ thống thông tin giải quyết TTHC tỉnh …'),
# which a later clause calls 'hệ thống' without its name.
SYSTEM_WORDS: tuple[str, ...] = ("hệ thống", "cổng")

# A year right after one of these (in the same clause) names a document or programme
# ('Kế hoạch CCHC năm 2023', 'nhiệm kỳ 2020-2025') or when something was assigned
# ('biên chế được giao năm 2022'), not the period of a figure
# (ingest.narrative.stated_periods).
NAMED_BY_YEAR_WORDS: tuple[str, ...] = (
    "kế hoạch",
    "quyết định",
    "nghị quyết",
    "chương trình",
    "đề án",
    "báo cáo",
    "chỉ thị",
    "công văn",
    "thông báo",
    "kết luận",
    "chiến lược",
    "nhiệm kỳ",
    "dự toán",
    "giao",
)

# A target written as a change ('giảm 10% biên chế', 'Giảm bình quân 15% chi …', 'tăng
# 20% …'): the figure is the size of the change, not a level to reach. The words between
# the change and its size ('tối thiểu', 'từ', 'bình quân') are skipped.
TARGET_CHANGE_WORDS: dict[str, tuple[str, ...]] = {
    "decrease": ("cắt giảm", "giảm"),
    "increase": ("tăng",),
}
CHANGE_SIZE_WORDS: tuple[str, ...] = ("bình quân", "thêm", "ít nhất", "tối thiểu", "từ", "khoảng")

# A target that names no comparator ('90% TTHC nội bộ … được công bố') is a level to
# reach at least: its comparator.
DEFAULT_TARGET_COMPARATOR = ">="

# Organs a sentence names in pairs ('do HĐND, UBND tỉnh ban hành'): the ',' between two
# of them does not end the phrase after a figure.
ORGAN_WORDS: tuple[str, ...] = (
    "HĐND",
    "UBND",
    "Hội đồng nhân dân",
    "Ủy ban nhân dân",
    "Tỉnh ủy",
)

# A label that ends a head of a list ('Hoàn thành phê duyệt bản mô tả công việc … đối
# với Văn phòng HĐND tỉnh, 20/20 cơ quan chuyên môn; 07/7 cơ quan hành chính cấp huyện;
# 10/10 đơn vị sự nghiệp …'): the later items, which have no label of their own, are
# under the same head.
LIST_HEAD_WORDS: tuple[str, ...] = ("đối với",)

# Words between an actor and what it did ('dịch vụ Bưu chính công ích đã thực hiện tiếp
# nhận: 4.749 hồ sơ, …, trả kết quả: 65.376 hồ sơ'): a short item after a figure is
# done by the same actor, whose words end with the last of these.
SUBJECT_AUXILIARY_WORDS: tuple[str, ...] = ("đã thực hiện", "đang thực hiện", "đã", "đang")
