-- One row per reporting period the dashboard offers to choose: every period (not a
-- plan's span) with a current figure, an expected report or a finding, with its dates,
-- its due date and the era its provinces belong to (the 34 from the 2025 merger's day on).
with

periods as (
    select * from {{ ref('dim_period') }}
),

facts as (
    select * from {{ ref('fct_indicator_value_current') }}
),

coverage as (
    select * from {{ ref('rpt_dashboard_coverage') }}
),

findings as (
    select * from {{ ref('qa_rule_results') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

merger as (
    select min(provinces.valid_from) as merger_date
    from provinces
    where provinces.era = '34'
),

used as (
    select facts.period_key from facts
    union
    select coverage.period_key from coverage
    union
    select findings.period_key from findings
),

final as (
    select
        periods.period_key,
        periods.period_type,
        periods.period_year,
        periods.period_number,
        periods.label_vi,
        periods.label_en,
        periods.nominal_start_date,
        periods.nominal_end_date,
        periods.window_start_date,
        periods.window_end_date,
        periods.due_date,
        case
            when periods.nominal_end_date >= merger.merger_date then '34' else '63'
        end as era,
        row_number() over (
            order by
                periods.nominal_end_date desc,
                periods.nominal_start_date desc,
                periods.period_key asc
        ) as list_order
    from periods
    inner join used
        on periods.period_key = used.period_key
    cross join merger
    where periods.period_type <> 'plan'
)

select * from final
