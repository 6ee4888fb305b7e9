-- One row per figure a province's filled form shows: province (as it was) × period ×
-- form item, from mart_province_indicator (not a plan's span of years), with its basis
-- split into columns (`basis_kind`, `is_recomputed`) and the file and line of every
-- figure it rests on (none for a ratio re-computed from its parts).
with

province_figures as (
    select * from {{ ref('mart_province_indicator') }}
),

facts as (
    select * from {{ ref('fct_indicator_value_current') }}
),

items as (
    select * from {{ ref('rpt_form_items') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

-- the basis each current figure would lend a province figure (as mart_province_indicator
-- decides it: the agency's own work sums; a province's or a sector's report stands alone)
fact_bases as (
    select
        facts.province_key,
        facts.period_key,
        facts.indicator_key,
        facts.file_path,
        facts.source_line,
        case
            when facts.scope = 'agency' then 'sum_of_agencies'
            when agencies.agency_type_code = 'province' then 'province_report'
            else 'sector_report'
        end as basis_kind
    from facts
    left join agencies
        on facts.agency_key = agencies.agency_key
    where facts.value_numeric is not null and facts.province_key is not null
),

sources as (
    select
        province_key,
        period_key,
        indicator_key,
        basis_kind,
        list(
            { 'file_path': file_path, 'source_line': source_line }
            order by file_path asc, try_cast(source_line as integer) asc, source_line asc
        ) as sources
    from fact_bases
    group by province_key, period_key, indicator_key, basis_kind
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
        province_figures.agencies_reporting
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
        case when figures.is_recomputed then [] else coalesce(sources.sources, []) end
            as sources
    from figures
    left join sources
        on
            figures.province_key = sources.province_key
            and figures.period_key = sources.period_key
            and figures.indicator_key = sources.indicator_key
            and figures.basis = sources.basis_kind
)

select * from final
