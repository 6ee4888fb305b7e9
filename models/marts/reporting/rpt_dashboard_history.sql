-- One row per point of the dashboard's history chart: province (as it was) × reporting
-- period × indicator with a figure in mart_province_indicator (no plan spans), with the
-- names of the province then and of its 34-era unit, and the day the 2025 merger took
-- effect (the first valid_from of the 34-era provinces) for the chart's marker.
with

province_figures as (
    select * from {{ ref('mart_province_indicator') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

figure_sources as (
    select * from {{ ref('rpt_province_figure_sources') }}
),

merger as (
    select min(valid_from) as merger_date
    from provinces
    where era = '34'
),

final as (
    select
        province_figures.province_key,
        province_figures.period_key,
        province_figures.indicator_code,
        row_number() over (
            order by
                province_figures.indicator_code asc,
                periods.nominal_end_date asc,
                periods.nominal_start_date asc,
                provinces.name_vi asc,
                province_figures.province_key asc
        ) as chart_order,
        indicators.name_vi as indicator_name_vi,
        indicators.name_en as indicator_name_en,
        province_figures.unit_code,
        provinces.name_vi as province_name_vi,
        provinces.era,
        province_figures.province_2025_key,
        provinces_2025.name_vi as province_2025_name_vi,
        periods.label_vi as period_label_vi,
        periods.label_en as period_label_en,
        periods.period_type,
        periods.nominal_start_date,
        periods.nominal_end_date,
        province_figures.value_numeric,
        province_figures.basis,
        coalesce(figure_sources.sources, []) as sources,
        merger.merger_date
    from province_figures
    inner join periods
        on province_figures.period_key = periods.period_key
    inner join provinces
        on province_figures.province_key = provinces.province_key
    inner join provinces as provinces_2025
        on province_figures.province_2025_key = provinces_2025.province_key
    left join indicators
        on province_figures.indicator_key = indicators.indicator_key
    left join figure_sources
        on
            figure_sources.figure_level = 'as_was'
            and province_figures.province_key = figure_sources.province_key
            and province_figures.period_key = figure_sources.period_key
            and province_figures.indicator_code = figure_sources.indicator_code
    cross join merger
    where
        province_figures.value_numeric is not null
        and periods.period_type <> 'plan'
        and province_figures.indicator_code is not null
)

select * from final
