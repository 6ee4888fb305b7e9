-- One row per figure a province's filled form shows: province (as it was) × period ×
-- form item, from mart_province_indicator (not a plan's span of years), with its basis
-- split into columns (`basis_kind`, `is_recomputed`) and the file and line of every
-- figure it rests on (mart_province_indicator.sources: none for a re-computed ratio),
-- the agencies whose reports it comes from (a re-computed ratio: its numerator's and
-- denominator's) and how many agencies the province expects reports from that period.
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

current_facts as (
    select * from {{ ref('fct_indicator_value_current') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

coverage as (
    select * from {{ ref('qa_report_coverage') }}
),

file_agencies as (
    select distinct
        current_facts.file_path,
        agencies.full_name_vi as agency_name_vi
    from current_facts
    inner join agencies
        on current_facts.agency_key = agencies.agency_key
),

source_files as (
    select distinct
        province_key,
        period_key,
        indicator_key,
        unnest(sources).file_path as file_path
    from province_figures
),

direct_agencies as (
    select
        source_files.province_key,
        source_files.period_key,
        source_files.indicator_key,
        file_agencies.agency_name_vi
    from source_files
    inner join file_agencies
        on source_files.file_path = file_agencies.file_path
),

-- a re-computed ratio rests on its numerator's and denominator's figures
ratio_part_agencies as (
    select
        direct_agencies.province_key,
        direct_agencies.period_key,
        ratio_items.indicator_key,
        direct_agencies.agency_name_vi
    from items as ratio_items
    inner join items as part_items
        on part_items.bnv_code in (ratio_items.numerator_bnv_code, ratio_items.denominator_bnv_code)
    inner join direct_agencies
        on part_items.indicator_key = direct_agencies.indicator_key
),

figure_part_agencies as (
    select * from direct_agencies
    union all
    select * from ratio_part_agencies
),

figure_agencies as (
    select
        province_key,
        period_key,
        indicator_key,
        list(distinct agency_name_vi order by agency_name_vi) as reporting_agencies
    from figure_part_agencies
    group by province_key, period_key, indicator_key
),

expected as (
    select
        province_code,
        period_key,
        count(*) as expected_reporters
    from coverage
    group by province_code, period_key
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
        province_figures.sources,
        figure_agencies.reporting_agencies,
        expected.expected_reporters
    from province_figures
    inner join items
        on province_figures.indicator_key = items.indicator_key
    left join provinces
        on province_figures.province_key = provinces.province_key
    left join periods
        on province_figures.period_key = periods.period_key
    left join figure_agencies
        on
            province_figures.province_key = figure_agencies.province_key
            and province_figures.period_key = figure_agencies.period_key
            and province_figures.indicator_key = figure_agencies.indicator_key
    left join expected
        on
            provinces.province_code = expected.province_code
            and province_figures.period_key = expected.period_key
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
        figures.sources,
        coalesce(figures.reporting_agencies, []) as reporting_agencies,
        figures.expected_reporters,
        -- the province's own figure, or a sum over every agency it expects reports from
        coalesce(
            figures.basis like '%province_report'
            or (
                figures.basis like '%sum_of_agencies'
                and figures.agencies_reporting >= figures.expected_reporters
            ),
            false
        ) as is_province_wide
    from figures
)

select * from final
