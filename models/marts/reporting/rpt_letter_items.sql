-- One row per item of a reply letter (công văn đề nghị rà soát, bổ sung số liệu): an open
-- finding about an agency's report (quality.rule_results, not yet explained or accepted),
-- an item its template requires that it left out, or a report an expected reporter has
-- not sent (the coverage rule's open findings). One letter per province × period ×
-- agency; the sender is the province's Department of Home Affairs.
with

findings as (
    select * from {{ ref('qa_rule_results') }}
    where review_status = 'open'
),

coverage as (
    select * from {{ ref('qa_rule_eval_coverage') }}
),

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
),

labels as (
    select * from {{ ref('rpt_value_labels') }}
),

-- a document is placed in one province; an indicator has one value type
document_provinces as (
    select distinct
        document_id,
        province_key
    from facts
    where province_key is not null
),

indicator_types as (
    select distinct
        indicator_code,
        value_type
    from facts
    where indicator_code is not null
),

agency_findings as (
    select
        document_provinces.province_key,
        findings.period_key,
        findings.period_label_vi,
        cast(null as date) as due_date,
        findings.agency_key,
        findings.agency_name_vi,
        -- a required item left out; a late report (coverage) is a finding
        case
            when findings.rule_family = 'required' and coverage.evaluation_key is null
                then 'missing_item'
            else 'finding'
        end as item_kind,
        findings.evaluation_key,
        findings.rule_id,
        findings.rule_family,
        findings.severity,
        findings.indicator_code,
        findings.bnv_code,
        findings.indicator_name_vi,
        findings.reported_value,
        findings.expected_value,
        findings.file_path,
        findings.source_lines,
        findings.message_vi
    from findings
    inner join document_provinces
        on findings.document_id = document_provinces.document_id
    left join coverage
        on findings.evaluation_key = coverage.evaluation_key
    where findings.agency_key is not null
),

-- the coverage rule's open findings: a report an expected reporter has not sent, placed
-- in its province as it was when the report was due
missing_reports as (
    select
        provinces.province_key,
        findings.period_key,
        findings.period_label_vi,
        coverage.due_date,
        coverage.agency_key,
        coverage.agency_name_vi,
        'missing_report' as item_kind,
        findings.evaluation_key,
        findings.rule_id,
        findings.rule_family,
        findings.severity,
        findings.indicator_code,
        findings.bnv_code,
        findings.indicator_name_vi,
        findings.reported_value,
        findings.expected_value,
        findings.file_path,
        findings.source_lines,
        findings.message_vi
    from findings
    inner join coverage
        on findings.evaluation_key = coverage.evaluation_key
    inner join provinces
        on
            coverage.province_code = provinces.province_code
            and coverage.due_date >= provinces.valid_from
            and coverage.due_date <= coalesce(provinces.valid_to, date '9999-12-31')
    where coverage.coverage_status = 'missing'
),

items as (
    select * from agency_findings
    union all
    select * from missing_reports
),

final as (
    select
        items.province_key || ' | ' || items.period_key || ' | '
        || coalesce(items.agency_key, items.agency_name_vi) as letter_key,
        items.evaluation_key,
        items.province_key,
        provinces.name_vi as province_name_vi,
        case when provinces.province_type = 'city' then 'Thành phố ' else 'Tỉnh ' end
        || provinces.name_vi as province_title_vi,
        items.period_key,
        items.period_label_vi,
        items.due_date,
        items.agency_key,
        items.agency_name_vi,
        items.item_kind,
        row_number() over (
            partition by
                items.province_key, items.period_key,
                coalesce(items.agency_key, items.agency_name_vi)
            order by
                case items.item_kind when 'missing_report' then 0 when 'finding' then 1 else 2 end,
                items.file_path, items.source_lines, items.evaluation_key
        ) as item_order,
        items.rule_id,
        items.rule_family,
        family_labels.label_vi as rule_family_vi,
        coalesce(rules.description_vi, family_labels.label_vi, items.rule_id) as rule_text_vi,
        items.severity,
        severity_labels.label_vi as severity_vi,
        items.indicator_code,
        items.bnv_code,
        items.indicator_name_vi,
        indicator_types.value_type,
        items.reported_value,
        items.expected_value,
        items.file_path,
        nullif(items.source_lines, '') as source_lines,
        items.message_vi
    from items
    left join provinces
        on items.province_key = provinces.province_key
    left join rules
        on items.rule_id = rules.rule_id
    left join indicator_types
        on items.indicator_code = indicator_types.indicator_code
    left join labels as family_labels
        on family_labels.column_name = 'rule_family' and items.rule_family = family_labels.code
    left join labels as severity_labels
        on severity_labels.column_name = 'severity' and items.severity = severity_labels.code
)

select * from final
