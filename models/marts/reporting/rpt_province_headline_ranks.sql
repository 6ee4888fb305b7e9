-- One row per province as it was (the 63, until 30 June 2025) × reporting period ×
-- headline indicator (seeds/headline_indicators.csv) with a figure in
-- mart_province_indicator, ranked among those provinces the way mart_province_comparison
-- ranks the 34 (by higher_is_better; none for an indicator without a direction): the
-- dashboard's comparison for the 63-province era.
with

province_figures as (
    select * from {{ ref('mart_province_indicator') }}
),

headlines as (
    select * from {{ ref('headline_indicators') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

headline_values as (
    select
        province_figures.province_key,
        province_figures.province_2025_key,
        provinces.name_vi as province_name_vi,
        province_figures.period_key,
        periods.label_vi as period_label_vi,
        periods.nominal_end_date,
        province_figures.indicator_code,
        indicators.name_vi as indicator_name_vi,
        headlines.display_order,
        headlines.higher_is_better,
        province_figures.unit_code,
        province_figures.value_numeric,
        province_figures.basis
    from province_figures
    inner join headlines
        on province_figures.indicator_code = headlines.indicator_code
    inner join provinces
        on province_figures.province_key = provinces.province_key
    inner join periods
        on province_figures.period_key = periods.period_key
    left join indicators
        on province_figures.indicator_code = indicators.indicator_code
    where
        provinces.era = '63'
        and periods.period_type <> 'plan'
        and province_figures.value_numeric is not null
),

final as (
    select
        headline_values.province_key,
        headline_values.period_key,
        headline_values.indicator_code,
        headline_values.province_2025_key,
        headline_values.province_name_vi,
        headline_values.period_label_vi,
        headline_values.nominal_end_date,
        headline_values.indicator_name_vi,
        headline_values.display_order,
        headline_values.unit_code,
        headline_values.value_numeric,
        case
            when headline_values.higher_is_better is not null then rank() over (
                partition by headline_values.period_key, headline_values.indicator_code
                order by case
                    when headline_values.higher_is_better then -headline_values.value_numeric
                    else headline_values.value_numeric
                end
            )
        end as province_rank,
        count(*) over (
            partition by headline_values.period_key, headline_values.indicator_code
        ) as provinces_compared,
        replace(headline_values.basis, 'recomputed: ', '') as basis_code,
        headline_values.basis like 'recomputed: %' as is_recomputed
    from headline_values
)

select * from final
