-- Share of dossiers received online (form 7.6.4) per province over time, re-computed
-- from dossiers received online and in total, never averaged.
with

province_values as (
    select * from {{ ref('mart_province_indicator') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

final as (
    select
        today.name_vi as province_today_vi,
        provinces.name_vi as province_then_vi,
        periods.label_vi as period_label_vi,
        periods.nominal_end_date,
        round(province_values.value_numeric, 2) as online_share,
        province_values.basis
    from province_values
    inner join provinces
        on province_values.province_key = provinces.province_key
    inner join provinces as today
        on provinces.province_2025_key = today.province_key
    inner join periods
        on province_values.period_key = periods.period_key
    where province_values.indicator_code = 'bnv_7_6_4'
)

select * from final
order by province_today_vi, nominal_end_date
