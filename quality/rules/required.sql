-- Rule family `required`: where a template states which agency type reports which items
-- (seed required_items), each report in that template carries them. An item counts as
-- reported when it, or an item under it, has a figure; an empty cell is not a report,
-- a 0 is.
with recursive

facts as (
    select * from {batch} as fact_rows
),

rules as (
    select * from raw.reporting_rules where rule_family = 'required'
),

catalog as (
    select indicator_code, parent_code from raw.indicator_catalog
),

-- every indicator paired with itself and each of its ancestors
lineage as (
    select indicator_code, indicator_code as ancestor_code from catalog
    union all
    select lineage.indicator_code, catalog.parent_code as ancestor_code
    from lineage
    inner join catalog on lineage.ancestor_code = catalog.indicator_code
    where catalog.parent_code is not null
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
        required.indicator_code,
        required.item_no
    from documents
    inner join marts.dim_agency as agency
        on documents.agency_key = agency.agency_key
    inner join raw.required_items as required
        on
            documents.document_template = required.template
            and agency.agency_type_code = required.agency_type_code
            and (coalesce(required.agency_role, '') = '' or required.agency_role = agency.role_key)
    cross join rules
),

reported as (
    select
        facts.document_id,
        lineage.ancestor_code,
        count(*) as rows_present,
        count(*) filter (
            where facts.value_numeric is not null
            or facts.value_code is not null or facts.value_text is not null
        ) as figures_reported,
        min(facts.source_line) as first_line
    from facts
    inner join lineage
        on facts.indicator_code = lineage.indicator_code
    where facts.source_kind = 'table'
    group by facts.document_id, lineage.ancestor_code
)

select
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
        'Mục {{}} "{{}}" là mục bắt buộc nhưng {{}} ({{}}).',
        applicable.item_no, indicator.name_vi,
        case when reported.rows_present is null then 'không có trong báo cáo'
            else 'để trống, chưa có số liệu' end,
        applicable.file_path
    ) as message_vi,
    format(
        'Item {{}} "{{}}" is required but {{}} ({{}}).',
        applicable.item_no, indicator.name_en,
        case when reported.rows_present is null then 'is missing from the report'
            else 'was left empty' end,
        applicable.file_path
    ) as message_en
from applicable
inner join marts.dim_indicator as indicator
    on applicable.indicator_code = indicator.indicator_code
left join reported
    on
        applicable.document_id = reported.document_id
        and applicable.indicator_code = reported.ancestor_code
