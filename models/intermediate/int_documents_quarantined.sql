-- One row per (document, reason) set aside: a document whose data would break a key of
-- the marts is kept out of the facts, with its reason, so one bad report never stops the
-- night (the rest builds) and nothing is lost silently (quality.documents_quarantined
-- shows it beside raw.ingest_errors; the "no figure lost" checks count its figures as
-- accounted for). Two general checks, each a key the fact table promises:
--   placed_more_than_once  the document matched several provinces or periods, so its
--                          figures would be counted twice (one row per document);
--   figures_share_a_place  two figures of the document claim one source place, as staging
--                          has them (document_id, source_kind, source_ref is the fact key);
--                          int_figures_unioned lets no figure of such a document in.
--   census_does_not_balance  ingest saw a figure (int_table_census) outside a value cell
--                          of an indicator or cross-tab table (a column it did not read
--                          as values, a list), so the figure would reach no fact.
with

documents as (
    select * from {{ ref('int_documents_placed') }}
),

appendix_rows as (
    select * from {{ ref('stg_raw__appendix_rows') }}
),

narrative_facts as (
    select * from {{ ref('stg_raw__narrative_facts') }}
),

census as (
    select * from {{ ref('int_table_census') }}
),

figure_places as (
    select
        document_id,
        source_kind,
        source_ref
    from appendix_rows
    union all
    select
        document_id,
        source_kind,
        source_ref
    from narrative_facts
),

placed_more_than_once as (
    select
        document_id,
        'placed_more_than_once' as reason_code,
        count(*) || ' placements: '
        || string_agg(
            coalesce(province_key, '?') || ' / ' || coalesce(period_key, '?'), '; '
            order by province_key, period_key
        ) as detail
    from documents
    group by document_id
    having count(*) > 1
),

shared_places as (
    select
        document_id,
        source_kind,
        source_ref
    from figure_places
    group by document_id, source_kind, source_ref
    having count(*) > 1
),

figures_share_a_place as (
    select
        document_id,
        'figures_share_a_place' as reason_code,
        count(*) || ' places, first: '
        || min(source_kind || ' ' || source_ref) as detail
    from shared_places
    group by document_id
),

census_does_not_balance as (
    select
        document_id,
        'census_does_not_balance' as reason_code,
        count(*) || ' figures outside a value column, first: '
        || min(census_ref || ' = "' || coalesce(cell_text, '') || '"') as detail
    from census
    where is_figure and not is_value_cell
    group by document_id
),

reasons as (
    select * from placed_more_than_once
    union all
    select * from figures_share_a_place
    union all
    select * from census_does_not_balance
),

final as (
    select
        reasons.document_id,
        reasons.reason_code,
        any_value(documents.file_path) as file_path,
        case reasons.reason_code
            when 'placed_more_than_once'
                then
                    'Văn bản khớp với nhiều tỉnh hoặc kỳ báo cáo; số liệu sẽ bị tính '
                    || 'nhiều lần. Kiểm tra tên tỉnh (seeds/province_aliases.csv) hoặc '
                    || 'thêm dòng vào manifest.csv.'
            when 'census_does_not_balance'
                then
                    'Bảng của văn bản có số liệu nằm ngoài cột số liệu (cột không được '
                    || 'nhận là cột số liệu, hoặc bảng danh sách); số liệu đó không vào '
                    || 'kho. Kiểm tra tiêu đề cột của bảng (chi tiết ghi ô đầu tiên).'
            else
                'Hai số liệu của văn bản cùng một vị trí nguồn; cần kiểm tra cách '
                || 'đọc bảng của tệp.'
        end as reason_vi,
        case reasons.reason_code
            when 'placed_more_than_once'
                then
                    'The document matched several provinces or periods, so its figures '
                    || 'would count more than once. Check the province spelling '
                    || '(seeds/province_aliases.csv) or add a manifest.csv line.'
            when 'census_does_not_balance'
                then
                    'A table of the document holds figures outside its value columns (a '
                    || 'column not read as values, or a list), so they would reach no '
                    || 'fact. Check the table headers (the detail names the first cell); '
                    || 'report the file if its headers are ordinary.'
            else
                'Two figures of the document claim one source place; the table layout '
                || 'of the file needs a look (report it with the file).'
        end as reason_en,
        any_value(reasons.detail) as detail
    from reasons
    left join documents
        on reasons.document_id = documents.document_id
    group by reasons.document_id, reasons.reason_code
)

select * from final
