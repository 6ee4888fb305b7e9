-- One row per province figure with the file and line of every reported figure it rests
-- on, at two levels: each figure of mart_province_indicator (`figure_level` 'as_was': the
-- province as it was × period × indicator) and, summed over them, each 2025 unit's
-- (`figure_level` 'unit_2025', keyed by province_2025_key). A ratio re-computed from summed
-- parts has no sources of its own: its numerator's and denominator's (same province and
-- period) stand for it. What the dashboard shows under "nguồn" for a province figure.
with

province_figures as (
    select * from {{ ref('mart_province_indicator') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

as_was as (
    select
        'as_was' as figure_level,
        province_figures.province_key,
        province_figures.period_key,
        province_figures.indicator_code,
        province_figures.province_2025_key,
        list_concat(
            coalesce(province_figures.sources, []),
            coalesce(numerators.sources, []),
            coalesce(denominators.sources, [])
        ) as sources,
        province_figures.agencies_reporting
    from province_figures
    left join indicators
        on province_figures.indicator_code = indicators.indicator_code
    left join province_figures as numerators
        on
            province_figures.basis like 'recomputed: %'
            and province_figures.province_key = numerators.province_key
            and province_figures.period_key = numerators.period_key
            and indicators.numerator_code = numerators.indicator_code
    left join province_figures as denominators
        on
            province_figures.basis like 'recomputed: %'
            and province_figures.province_key = denominators.province_key
            and province_figures.period_key = denominators.period_key
            and indicators.denominator_code = denominators.indicator_code
    where province_figures.indicator_code is not null
),

unit_2025 as (
    select
        'unit_2025' as figure_level,
        as_was.province_2025_key as province_key,
        as_was.period_key,
        as_was.indicator_code,
        as_was.province_2025_key,
        flatten(list(as_was.sources order by as_was.province_key)) as sources,
        sum(as_was.agencies_reporting) as agencies_reporting
    from as_was
    group by as_was.province_2025_key, as_was.period_key, as_was.indicator_code
),

final as (
    select * from as_was
    union all
    select * from unit_2025
)

select * from final
