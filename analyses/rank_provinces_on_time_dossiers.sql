-- Rank provinces on the share of dossiers resolved on time (form 3.3.1), latest period
-- of each type, the provinces as they are since the 2025 merger; each rank among values of
-- the same basis, with the basis and coverage beside it (an unranked value says why).
with

comparison as (
    select * from {{ ref('mart_province_comparison') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

final as (
    select
        comparison.province_name_vi,
        periods.label_vi as period_label_vi,
        round(comparison.value_numeric, 2) as on_time_share,
        comparison.province_rank,
        comparison.provinces_compared,
        comparison.comparison_basis,
        comparison.basis_note_vi,
        comparison.change_from_previous_period,
        comparison.change_from_a_year_earlier
    from comparison
    inner join periods
        on comparison.period_key = periods.period_key
    where comparison.indicator_code = 'bnv_3_3_1'
)

select * from final
order by period_label_vi, province_rank
