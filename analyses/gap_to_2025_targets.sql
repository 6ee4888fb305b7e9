-- The plan's 2025 targets against the latest actuals, largest shortfall first.
with

targets as (
    select * from {{ ref('mart_target_attainment') }}
),

final as (
    select
        indicator_name_vi,
        plan_section,
        comparator,
        target_value,
        actual_value,
        actual_period_key,
        round(gap_to_target, 2) as gap_to_target,
        attainment_status,
        file_path,
        source_line
    from targets
    where target_year = 2025
)

select * from final
order by attainment_status, gap_to_target nulls last
