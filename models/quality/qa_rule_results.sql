-- One row per finding: a rule evaluation that is broken, with the names a reader needs
-- (file, agency, period, indicator and form number) and its review status
-- (seed finding_reviews). A finding that involves a figure OCR read doubtfully (in the same
-- document, a figure with is_ocr_doubtful in fct_indicator_value of the rule's indicator,
-- of one of its related_codes in reporting_rules, or of a ratio's numerator or
-- denominator) says so.
with

evaluations as (
    select * from {{ ref('qa_rule_evaluations') }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

reviews as (
    select * from {{ ref('finding_reviews') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
),

doubtful_figures as (
    select distinct
        document_id,
        indicator_code
    from {{ ref('fct_indicator_value') }}
    where is_ocr_doubtful and indicator_code is not null
),

-- every indicator a rule's evaluation looks at
rule_codes as (
    select
        rules.rule_id,
        unnest(
            list_distinct(
                list_filter(
                    [rules.indicator_code, indicators.numerator_code, indicators.denominator_code]
                    || string_split(coalesce(rules.related_codes, ''), '|'),
                    lambda code: code is not null and code != ''  -- noqa: RF02
                )
            )
        ) as indicator_code
    from rules
    left join indicators
        on rules.indicator_code = indicators.indicator_code
),

doubtful_evaluations as (
    select distinct evaluations.evaluation_key
    from evaluations
    inner join doubtful_figures
        on evaluations.document_id = doubtful_figures.document_id
    left join rule_codes
        on
            evaluations.rule_id = rule_codes.rule_id
            and doubtful_figures.indicator_code = rule_codes.indicator_code
    where
        rule_codes.rule_id is not null
        or evaluations.indicator_code = doubtful_figures.indicator_code
),

final as (
    select
        evaluations.evaluation_key,
        evaluations.rule_id,
        evaluations.rule_family,
        evaluations.severity,
        evaluations.document_id,
        documents.file_path,
        evaluations.agency_key,
        agencies.full_name_vi as agency_name_vi,
        agencies.name_en as agency_name_en,
        evaluations.period_key,
        periods.label_vi as period_label_vi,
        periods.label_en as period_label_en,
        evaluations.indicator_code,
        indicators.bnv_code,
        indicators.name_vi as indicator_name_vi,
        indicators.name_en as indicator_name_en,
        evaluations.reported_value,
        evaluations.expected_value,
        evaluations.source_lines,
        evaluations.message_vi || case
            when doubtful_evaluations.evaluation_key is not null
                then ' (số liệu đọc từ ảnh, độ tin cậy thấp: đối chiếu với bản quét)'
            else ''
        end as message_vi,
        evaluations.message_en || case
            when doubtful_evaluations.evaluation_key is not null
                then ' (a figure read from a scan with low confidence: check it against the scan)'
            else ''
        end as message_en,
        doubtful_evaluations.evaluation_key is not null as is_on_doubtful_ocr_figure,
        coalesce(reviews.status, 'open') as review_status,
        reviews.note as review_note,
        reviews.reviewer,
        reviews.reviewed_on,
        evaluations.dbt_invocation_id,
        evaluations.built_at
    from evaluations
    left join documents
        on evaluations.document_id = documents.document_id
    left join agencies
        on evaluations.agency_key = agencies.agency_key
    left join periods
        on evaluations.period_key = periods.period_key
    left join indicators
        on evaluations.indicator_code = indicators.indicator_code
    left join doubtful_evaluations
        on evaluations.evaluation_key = doubtful_evaluations.evaluation_key
    left join reviews
        on
            evaluations.rule_id = reviews.rule_id
            and evaluations.document_id is not distinct from reviews.document_id
            and evaluations.indicator_code is not distinct from reviews.indicator_code
    where evaluations.is_broken
)

select * from final
order by rule_family, file_path, source_lines
