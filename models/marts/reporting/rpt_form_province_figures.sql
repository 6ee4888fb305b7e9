-- One row per figure a province's filled form shows: province (as it was) × period ×
-- form item, from mart_province_indicator (not a plan's span of years), with its basis
-- split into columns (`basis_kind`, `is_recomputed`) and the file and line of every
-- figure it rests on (mart_province_indicator.sources: none for a re-computed ratio).
with

province_figures as (
    select * from {{ ref('mart_province_indicator') }}
),

items as (
    select * from {{ ref('rpt_form_items') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

figures as (
    select
        province_figures.province_key,
        province_figures.period_key,
        province_figures.indicator_key,
        items.bnv_code,
        coalesce(provinces.name_vi, province_figures.province_key) as province_name_vi,
        provinces.province_type,
        coalesce(periods.label_vi, province_figures.period_key) as period_label_vi,
        province_figures.value_numeric,
        province_figures.basis,
        province_figures.basis like 'recomputed: %' as is_recomputed,
        province_figures.agencies_reporting,
        province_figures.sources
    from province_figures
    inner join items
        on province_figures.indicator_key = items.indicator_key
    left join provinces
        on province_figures.province_key = provinces.province_key
    left join periods
        on province_figures.period_key = periods.period_key
    where
        province_figures.value_numeric is not null
        and coalesce(periods.period_type, '') <> 'plan'
),

final as (
    select
        figures.province_key,
        figures.period_key,
        figures.indicator_key,
        figures.bnv_code,
        figures.province_name_vi,
        case when figures.province_type = 'city' then 'Thành phố ' else 'Tỉnh ' end
        || figures.province_name_vi as province_title_vi,
        figures.period_label_vi,
        figures.value_numeric,
        figures.basis,
        case
            when figures.is_recomputed then substr(figures.basis, length('recomputed: ') + 1)
            else figures.basis
        end as basis_kind,
        figures.is_recomputed,
        figures.agencies_reporting,
        figures.sources
    from figures
)

select * from final
