-- One row per province × reporting period × headline indicator the dashboard's
-- comparison draws, for both eras: the 34 provinces as they are since the 2025 merger
-- (mart_province_comparison, every period, predecessors' figures summed) and the 63 as
-- they were (rpt_province_headline_ranks). Each row carries its basis as a Vietnamese
-- label (seeds/code_labels.csv through rpt_value_labels: the 34's comparison_basis, the
-- 63's basis), its
-- coverage (agencies expected and how many the figure rests on: for the 34 the mart's
-- own agencies_expected and agencies_contributing, for the 63 rpt_dashboard_coverage),
-- its rank only where the value is ranked (the mart's is_ranked: a unit some of whose
-- former provinces did not report, or a basis not ranked, has no rank), the mart's
-- sentence on its basis (basis_note_vi) and the file and line of every figure it rests
-- on (rpt_province_figure_sources) — for a re-computed ratio, its numerator's and
-- denominator's.
with

comparison as (
    select * from {{ ref('mart_province_comparison') }}
),

ranks_63 as (
    select * from {{ ref('rpt_province_headline_ranks') }}
),

figure_sources as (
    select * from {{ ref('rpt_province_figure_sources') }}
),

coverage as (
    select * from {{ ref('rpt_dashboard_coverage') }}
),

labels as (
    select * from {{ ref('rpt_value_labels') }}
    where column_name in ('basis', 'comparison_basis')
),

era_34 as (
    select
        '34' as era,
        'unit_2025' as figure_level,
        comparison.province_2025_key as province_key,
        comparison.province_2025_key,
        comparison.province_name_vi,
        comparison.period_key,
        comparison.period_label_vi,
        comparison.nominal_end_date,
        comparison.indicator_code,
        comparison.indicator_name_vi,
        comparison.display_order,
        comparison.unit_code,
        comparison.value_numeric,
        case when comparison.is_ranked then comparison.province_rank end as province_rank,
        comparison.provinces_compared,
        comparison.is_ranked,
        comparison.is_single_agency,
        'comparison_basis' as basis_set,
        comparison.comparison_basis as basis_code,
        false as is_recomputed,
        comparison.units_summed,
        comparison.units_expected,
        comparison.agencies_expected,
        comparison.agencies_contributing,
        comparison.basis_note_vi
    from comparison
    where comparison.value_numeric is not null
),

era_63 as (
    select
        '63' as era,
        'as_was' as figure_level,
        ranks_63.province_key,
        ranks_63.province_2025_key,
        ranks_63.province_name_vi,
        ranks_63.period_key,
        ranks_63.period_label_vi,
        ranks_63.nominal_end_date,
        ranks_63.indicator_code,
        ranks_63.indicator_name_vi,
        ranks_63.display_order,
        ranks_63.unit_code,
        ranks_63.value_numeric,
        ranks_63.province_rank,
        ranks_63.provinces_compared,
        ranks_63.province_rank is not null as is_ranked,
        false as is_single_agency,
        'basis' as basis_set,
        ranks_63.basis_code,
        ranks_63.is_recomputed,
        cast(1 as bigint) as units_summed,
        cast(1 as bigint) as units_expected,
        cast(null as bigint) as agencies_expected,
        cast(null as bigint) as agencies_contributing,
        cast(null as varchar) as basis_note_vi
    from ranks_63
),

both_eras as (
    select * from era_34
    union all
    select * from era_63
),

-- the 63's coverage; the 34 carry their own (agencies_expected, agencies_contributing)
coverage_63 as (
    select
        coverage.province_key,
        coverage.period_key,
        count(*) as reporters_expected,
        count(*) filter (where coverage.is_sent) as reporters_sent
    from coverage
    group by coverage.province_key, coverage.period_key
),

final as (
    select
        both_eras.era,
        both_eras.province_key,
        both_eras.period_key,
        both_eras.indicator_code,
        row_number() over (
            order by
                both_eras.era asc,
                both_eras.period_key asc,
                both_eras.display_order asc,
                both_eras.indicator_code asc,
                both_eras.value_numeric desc,
                both_eras.province_name_vi asc
        ) as chart_order,
        both_eras.province_2025_key,
        both_eras.province_name_vi,
        both_eras.period_label_vi,
        both_eras.nominal_end_date,
        both_eras.indicator_name_vi,
        both_eras.display_order,
        both_eras.unit_code,
        both_eras.value_numeric,
        both_eras.province_rank,
        both_eras.provinces_compared,
        both_eras.basis_code,
        labels.label_vi
        || case
            when both_eras.is_recomputed then ' (tỷ lệ tính lại từ tổng tử số và mẫu số)'
            else ''
        end as basis_label_vi,
        both_eras.basis_note_vi,
        both_eras.is_ranked,
        both_eras.is_single_agency,
        both_eras.is_recomputed,
        both_eras.units_summed,
        both_eras.units_expected,
        figure_sources.agencies_reporting,
        coalesce(both_eras.agencies_expected, coverage_63.reporters_expected, 0)
            as reporters_expected,
        coalesce(both_eras.agencies_contributing, coverage_63.reporters_sent, 0)
            as reporters_sent,
        coalesce(figure_sources.sources, []) as sources
    from both_eras
    left join labels
        on both_eras.basis_set = labels.column_name and both_eras.basis_code = labels.code
    left join coverage_63
        on
            both_eras.era = '63'
            and both_eras.province_key = coverage_63.province_key
            and both_eras.period_key = coverage_63.period_key
    left join figure_sources
        on
            both_eras.figure_level = figure_sources.figure_level
            and both_eras.province_key = figure_sources.province_key
            and both_eras.period_key = figure_sources.period_key
            and both_eras.indicator_code = figure_sources.indicator_code
)

select * from final
