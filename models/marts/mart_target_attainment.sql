-- One row per target a plan states (e.g. "Tối thiểu 80% TTHC … thanh toán trực tuyến"
-- by 2025), matched to its indicator, against the latest actual figure of the same
-- province (mart_province_indicator), with the gap and whether it is met; the plan's
-- section and line are the source. A target is met as its comparator says: at least
-- (>=, the plain "90% TTHC …"; over-achieving meets it), more than, at most, less than,
-- exactly, or between the two ends of a range ("từ 6% - 10%"). A target that is the size
-- of a change ("giảm 10% biên chế", target_change) is compared with an indicator that
-- measures that change (a reduction rate), the same way.
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
        facts.target_change,
        facts.value_numeric as target_value,
        facts.target_high_value,
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

judged as (
    select
        targets.*,
        latest_actuals.actual_value,
        latest_actuals.actual_period_key,
        latest_actuals.actual_basis,
        case targets.comparator
            when '>=' then latest_actuals.actual_value >= targets.target_value
            when '>' then latest_actuals.actual_value > targets.target_value
            when '<=' then latest_actuals.actual_value <= targets.target_value
            when '<' then latest_actuals.actual_value < targets.target_value
            when 'between'
                then
                    latest_actuals.actual_value
                    between targets.target_value and targets.target_high_value
            else latest_actuals.actual_value = targets.target_value
        end as is_met
    from targets
    left join latest_actuals
        on
            targets.province_key = latest_actuals.province_key
            and targets.indicator_key = latest_actuals.indicator_key
),

final as (
    select
        judged.document_id,
        judged.file_path,
        judged.source_line,
        judged.plan_section,
        judged.province_key,
        judged.indicator_code,
        indicators.name_vi as indicator_name_vi,
        indicators.name_en as indicator_name_en,
        indicators.unit_code,
        judged.target_subject,
        judged.target_year,
        judged.comparator,
        judged.target_change,
        judged.target_value,
        judged.target_high_value,
        judged.target_text,
        judged.actual_value,
        judged.actual_period_key,
        judged.actual_basis,
        -- how far the actual is from the target (from the nearer end of a range; 0 inside it)
        case
            when judged.comparator <> 'between'
                then judged.actual_value - judged.target_value
            when judged.actual_value < judged.target_value
                then judged.actual_value - judged.target_value
            when judged.actual_value > judged.target_high_value
                then judged.actual_value - judged.target_high_value
            when judged.actual_value is not null then 0
        end as gap_to_target,
        judged.is_met,
        case
            when judged.actual_value is null then 'no actual yet'
            when judged.is_met then 'met'
            else 'not met yet'
        end as attainment_status
    from judged
    inner join indicators
        on judged.indicator_key = indicators.indicator_key
)

select * from final
