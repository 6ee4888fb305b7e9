-- One row per finding about an agency's report (quality.rule_results) as officers read
-- it: the rule in words (reporting_rules.description_vi), its severity, family and review
-- status as Vietnamese labels (seeds/code_labels.csv), the figure reported and what it
-- should be, in the indicator's unit, with the file and lines; placed in the agency's
-- province as it was and its 2025 unit. A report that was not sent at all is not a
-- finding here: rpt_dashboard_coverage lists it (status `missing`).
with

findings as (
    select * from {{ ref('qa_rule_results') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

document_provinces as (
    select
        facts.document_id,
        min(facts.province_key) as province_key
    from {{ ref('fct_indicator_value') }} as facts
    group by facts.document_id
),

labels as (
    select * from {{ ref('code_labels') }}
),

placed as (
    select
        findings.*,
        coalesce(agencies.province_key, document_provinces.province_key) as province_key
    from findings
    left join agencies
        on findings.agency_key = agencies.agency_key
    left join document_provinces
        on findings.document_id = document_provinces.document_id
    -- the coverage rule's findings (a report not sent) are rpt_dashboard_coverage's rows
    where findings.rule_id <> 'required.expected_reporters'
),

final as (
    select
        placed.evaluation_key,
        placed.rule_id,
        placed.rule_family,
        placed.severity,
        placed.agency_key,
        placed.period_key,
        placed.document_id,
        placed.province_key,
        provinces.province_2025_key,
        coalesce(placed.agency_name_vi, placed.agency_key) as agency_name_vi,
        placed.period_label_vi,
        provinces.name_vi as province_name_vi,
        severity_labels.label_vi as severity_label_vi,
        severity_labels.sort_order as severity_order,
        family_labels.label_vi as rule_family_label_vi,
        coalesce(rules.description_vi, family_labels.label_vi) as rule_label_vi,
        review_labels.label_vi as review_status_label_vi,
        coalesce(severity_labels.what_to_do_vi, family_labels.what_to_do_vi) as what_to_do_vi,
        placed.indicator_code,
        placed.bnv_code,
        placed.indicator_name_vi,
        indicators.unit_code,
        placed.reported_value,
        placed.expected_value,
        placed.message_vi,
        placed.file_path,
        placed.source_lines,
        placed.review_status,
        row_number() over (
            order by
                placed.agency_name_vi asc,
                placed.period_key asc,
                severity_labels.sort_order asc,
                placed.file_path asc,
                placed.rule_id asc,
                placed.source_lines asc,
                placed.evaluation_key asc
        ) as list_order
    from placed
    left join rules
        on placed.rule_id = rules.rule_id
    left join provinces
        on placed.province_key = provinces.province_key
    left join indicators
        on placed.indicator_code = indicators.indicator_code
    left join labels as severity_labels
        on severity_labels.code_set = 'severity' and placed.severity = severity_labels.code
    left join labels as family_labels
        on family_labels.code_set = 'rule_family' and placed.rule_family = family_labels.code
    left join labels as review_labels
        on
            review_labels.code_set = 'review_status'
            and placed.review_status = review_labels.code
)

select * from final
