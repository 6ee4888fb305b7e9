-- One row per (34-era province, headline indicator) the dashboard's comparison chart
-- draws: mart_province_comparison in the latest reporting period (not a plan's span)
-- that has any figure, in the order the chart draws them (`chart_order`).
with

comparison as (
    select * from {{ ref('mart_province_comparison') }}
),

-- mart_province_comparison holds reporting periods only (never a plan's span)
latest_period as (
    select comparison.period_key
    from comparison
    where comparison.value_numeric is not null
    order by
        comparison.nominal_end_date desc,
        comparison.nominal_start_date asc,
        comparison.period_key asc
    limit 1
),

final as (
    select
        comparison.province_2025_key,
        comparison.indicator_code,
        row_number() over (
            order by
                comparison.display_order asc,
                comparison.indicator_code asc,
                comparison.value_numeric desc,
                comparison.province_name_vi asc
        ) as chart_order,
        comparison.province_name_vi,
        comparison.province_name_en,
        comparison.period_key,
        comparison.period_label_vi,
        comparison.period_label_en,
        comparison.indicator_name_vi,
        comparison.indicator_name_en,
        comparison.display_order,
        comparison.unit_code,
        comparison.value_numeric,
        comparison.province_rank,
        comparison.provinces_compared,
        comparison.basis_level
    from comparison
    inner join latest_period
        on comparison.period_key = latest_period.period_key
    where comparison.value_numeric is not null
)

select * from final
