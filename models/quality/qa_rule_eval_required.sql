-- Rule `required.template_items`: where a template states which agency type reports
-- which items (seed required_items), each report in that template carries them. An item
-- counts as reported when its row, or a row under it in the report's own table, has a
-- figure; an empty cell is not a report, a 0 is.
with recursive

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

appendix_rows as (
    select * from {{ ref('stg_raw__appendix_rows') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_id = 'required.template_items'
),

required_items as (
    select * from {{ ref('required_items') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

table_rows as (
    select
        appendix_rows.document_id,
        appendix_rows.table_no,
        appendix_rows.row_no,
        appendix_rows.parent_row_no,
        facts.indicator_code,
        facts.source_line,
        facts.value_numeric is not null
        or facts.value_code is not null
        or facts.value_text is not null as has_figure
    from appendix_rows
    inner join facts
        on
            appendix_rows.document_id = facts.document_id
            and appendix_rows.source_kind = facts.source_kind
            and appendix_rows.source_ref = facts.source_ref
),

-- every table row paired with itself and each row above it in the report's hierarchy
lineage as (
    select
        document_id,
        table_no,
        row_no,
        row_no as ancestor_row_no,
        parent_row_no
    from table_rows
    union all
    select
        lineage.document_id,
        lineage.table_no,
        lineage.row_no,
        parents.row_no as ancestor_row_no,
        parents.parent_row_no
    from lineage
    inner join table_rows as parents
        on
            lineage.document_id = parents.document_id
            and lineage.table_no = parents.table_no
            and lineage.parent_row_no = parents.row_no
),

documents as (
    select
        document_id,
        any_value(agency_key) as agency_key,
        any_value(period_key) as period_key,
        any_value(document_template) as document_template,
        string_agg(distinct file_path, ', ') as file_path
    from facts
    group by document_id
),

applicable as (
    select
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        documents.document_id,
        documents.agency_key,
        documents.period_key,
        documents.file_path,
        required_items.indicator_code,
        required_items.item_no
    from documents
    inner join agencies
        on documents.agency_key = agencies.agency_key
    inner join required_items
        on
            documents.document_template = required_items.template_code
            and agencies.agency_type_code = required_items.agency_type_code
            and (
                coalesce(required_items.agency_role, '') = ''
                or agencies.role_key = required_items.agency_role
            )
    cross join rules
),

reported as (
    select
        items.document_id,
        items.indicator_code as ancestor_code,
        count(distinct items.row_no) as rows_present,
        count(*) filter (where descendants.has_figure) as figures_reported,
        min(items.source_line) as first_line
    from table_rows as items
    inner join lineage
        on
            items.document_id = lineage.document_id
            and items.table_no = lineage.table_no
            and items.row_no = lineage.ancestor_row_no
    inner join table_rows as descendants
        on
            lineage.document_id = descendants.document_id
            and lineage.table_no = descendants.table_no
            and lineage.row_no = descendants.row_no
    group by items.document_id, items.indicator_code
),

final as (
    select
        concat_ws(
            ' | ', applicable.rule_id, applicable.document_id, 'item ' || applicable.item_no,
            applicable.indicator_code
        ) as evaluation_key,
        applicable.rule_id,
        applicable.rule_family,
        applicable.severity,
        applicable.document_id,
        applicable.agency_key,
        applicable.period_key,
        applicable.indicator_code,
        cast(coalesce(reported.figures_reported, 0) as double) as reported_value,
        cast(null as double) as expected_value,
        coalesce(reported.first_line, '') as source_lines,
        coalesce(reported.figures_reported, 0) = 0 as is_broken,
        format(
            'Mục {} "{}" là mục bắt buộc nhưng {} ({}).',
            applicable.item_no,
            indicators.name_vi,
            case
                when reported.rows_present is null then 'không có trong báo cáo'
                else 'để trống, chưa có số liệu'
            end,
            applicable.file_path
        ) as message_vi,
        format(
            'Item {} "{}" is required but {} ({}).',
            applicable.item_no,
            indicators.name_en,
            case
                when reported.rows_present is null then 'is missing from the report'
                else 'was left empty'
            end,
            applicable.file_path
        ) as message_en
    from applicable
    inner join indicators
        on applicable.indicator_code = indicators.indicator_code
    left join reported
        on
            applicable.document_id = reported.document_id
            and applicable.indicator_code = reported.ancestor_code
)

select * from final
