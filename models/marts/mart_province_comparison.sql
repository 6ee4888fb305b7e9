-- One row per province as it is since the 2025 merger (the 34) × period × headline
-- indicator: the value for the whole unit (counts summed over the old provinces it was
-- formed from, ratios re-computed from summed numerators and denominators, a ratio
-- without parts only where one old province reported it), its rank among provinces in
-- the period, and its change from the previous period of the same type and from the
-- same period a year earlier.
with

province_values as (
    select * from {{ ref('mart_province_indicator') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

headlines as (
    select * from {{ ref('headline_indicators') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

-- figures for a whole province and sums over a province's agencies are not mixed
leveled as (
    select
        *,
        case when basis like '%sum_of_agencies' then 'agencies' else 'province' end
            as basis_level
    from province_values
),

additive as (
    select
        province_values.province_2025_key,
        province_values.period_key,
        province_values.indicator_code,
        province_values.basis_level,
        sum(province_values.value_numeric) as value_numeric,
        count(*) as units_summed
    from leveled as province_values
    inner join indicators
        on province_values.indicator_key = indicators.indicator_key
    where indicators.value_type in ('count', 'amount') and indicators.area_code <> 0
    group by all
),

ratios as (
    select
        numerators.province_2025_key,
        numerators.period_key,
        ratio.indicator_code,
        numerators.basis_level,
        {{ percent_of('numerators.value_numeric', 'denominators.value_numeric') }}
            as value_numeric,
        greatest(numerators.units_summed, denominators.units_summed) as units_summed
    from indicators as ratio
    inner join additive as numerators
        on ratio.numerator_code = numerators.indicator_code
    inner join additive as denominators
        on
            ratio.denominator_code = denominators.indicator_code
            and numerators.province_2025_key = denominators.province_2025_key
            and numerators.period_key = denominators.period_key
            and numerators.basis_level = denominators.basis_level
),

single_unit_ratios as (
    select
        province_values.province_2025_key,
        province_values.period_key,
        province_values.indicator_code,
        any_value(province_values.basis_level) as basis_level,
        any_value(province_values.value_numeric) as value_numeric,
        count(*) as units_summed
    from leveled as province_values
    inner join indicators
        on province_values.indicator_key = indicators.indicator_key
    where indicators.value_type = 'percent'
    group by all
    having count(*) = 1
),

unit_values as (
    select * from additive
    union all
    select * from ratios
    union all
    select single_unit_ratios.* from single_unit_ratios
    where not exists (
        select 1 from ratios
        where
            ratios.province_2025_key = single_unit_ratios.province_2025_key
            and ratios.period_key = single_unit_ratios.period_key
            and ratios.indicator_code = single_unit_ratios.indicator_code
    )
),

-- one value per unit: the whole-province figure where there is one
preferred as (
    select * from unit_values
    qualify row_number() over (
        partition by province_2025_key, period_key, indicator_code
        order by case basis_level when 'province' then 0 else 1 end
    ) = 1
),

headline_values as (
    select
        unit_values.*,
        headlines.display_order,
        headlines.higher_is_better,
        periods.period_type,
        periods.period_year,
        periods.period_number,
        periods.label_vi as period_label_vi,
        periods.label_en as period_label_en,
        periods.nominal_start_date,
        periods.nominal_end_date
    from preferred as unit_values
    inner join headlines
        on unit_values.indicator_code = headlines.indicator_code
    inner join periods
        on unit_values.period_key = periods.period_key
    where unit_values.value_numeric is not null and periods.period_type <> 'plan'
),

final as (
    select
        headline_values.province_2025_key,
        provinces.name_vi as province_name_vi,
        provinces.name_en as province_name_en,
        headline_values.period_key,
        headline_values.period_label_vi,
        headline_values.period_label_en,
        headline_values.nominal_start_date,
        headline_values.nominal_end_date,
        headline_values.indicator_code,
        indicators.name_vi as indicator_name_vi,
        indicators.name_en as indicator_name_en,
        indicators.unit_code,
        headline_values.display_order,
        headline_values.value_numeric,
        headline_values.basis_level,
        headline_values.units_summed,
        case
            when headline_values.higher_is_better is not null then rank() over (
                partition by headline_values.period_key, headline_values.indicator_code
                order by case
                    when headline_values.higher_is_better
                        then -headline_values.value_numeric
                    else headline_values.value_numeric
                end
            )
        end as province_rank,
        count(*) over (
            partition by headline_values.period_key, headline_values.indicator_code
        ) as provinces_compared,
        headline_values.value_numeric - lag(headline_values.value_numeric) over (
            partition by
                headline_values.province_2025_key, headline_values.indicator_code,
                headline_values.period_type
            order by headline_values.nominal_end_date
        ) as change_from_previous_period,
        headline_values.value_numeric - year_before.value_numeric
            as change_from_a_year_earlier
    from headline_values
    inner join indicators
        on headline_values.indicator_code = indicators.indicator_code
    inner join provinces
        on headline_values.province_2025_key = provinces.province_key
    left join headline_values as year_before
        on
            headline_values.province_2025_key = year_before.province_2025_key
            and headline_values.indicator_code = year_before.indicator_code
            and headline_values.period_type = year_before.period_type
            and headline_values.period_number is not distinct from year_before.period_number
            and headline_values.period_year = year_before.period_year + 1
)

select * from final
