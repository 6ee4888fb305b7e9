-- One row per target a plan states (e.g. "Tối thiểu 80% TTHC … thanh toán trực tuyến"
-- by 2025), matched to its indicator, against the latest actual figure of the same
-- province (mart_province_indicator), with the gap and whether it is met; the plan's
-- section and line are the source.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

province_values as (
    select * from {{ ref('mart_province_indicator') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

targets as (
    select
        facts.document_id,
        facts.file_path,
        facts.source_line,
        facts.stt as plan_section,
        facts.province_key,
        facts.indicator_key,
        facts.indicator_code,
        facts.target_year,
        facts.comparator,
        facts.value_numeric as target_value,
        facts.raw_value_text as target_text,
        facts.raw_indicator_text as target_subject
    from facts
    where
        facts.figure_kind = 'target'
        and facts.indicator_code is not null
        and facts.value_numeric is not null
        and facts.is_current_document_version
        -- a target OCR read doubtfully is for review (mart_unmatched_rows), not a target
        and not coalesce(facts.is_ocr_doubtful, false)
),

latest_actuals as (
    select
        province_values.province_key,
        province_values.indicator_key,
        arg_max(province_values.value_numeric, periods.nominal_end_date) as actual_value,
        arg_max(province_values.period_key, periods.nominal_end_date) as actual_period_key,
        arg_max(province_values.basis, periods.nominal_end_date) as actual_basis
    from province_values
    inner join periods
        on province_values.period_key = periods.period_key
    where periods.period_type <> 'plan'
    group by province_values.province_key, province_values.indicator_key
),

final as (
    select
        targets.document_id,
        targets.file_path,
        targets.source_line,
        targets.plan_section,
        targets.province_key,
        targets.indicator_code,
        indicators.name_vi as indicator_name_vi,
        indicators.name_en as indicator_name_en,
        indicators.unit_code,
        targets.target_subject,
        targets.target_year,
        targets.comparator,
        targets.target_value,
        targets.target_text,
        latest_actuals.actual_value,
        latest_actuals.actual_period_key,
        latest_actuals.actual_basis,
        latest_actuals.actual_value - targets.target_value as gap_to_target,
        case targets.comparator
            when '>=' then latest_actuals.actual_value >= targets.target_value
            when '>' then latest_actuals.actual_value > targets.target_value
            when '<=' then latest_actuals.actual_value <= targets.target_value
            when '<' then latest_actuals.actual_value < targets.target_value
            else latest_actuals.actual_value = targets.target_value
        end as is_met,
        case
            when latest_actuals.actual_value is null then 'no actual yet'
            when case targets.comparator
                when '>=' then latest_actuals.actual_value >= targets.target_value
                when '>' then latest_actuals.actual_value > targets.target_value
                when '<=' then latest_actuals.actual_value <= targets.target_value
                when '<' then latest_actuals.actual_value < targets.target_value
                else latest_actuals.actual_value = targets.target_value
            end then 'met'
            else 'not met yet'
        end as attainment_status
    from targets
    inner join indicators
        on targets.indicator_key = indicators.indicator_key
    left join latest_actuals
        on
            targets.province_key = latest_actuals.province_key
            and targets.indicator_key = latest_actuals.indicator_key
)

select * from final
