-- One row per reporting period of the regime (quarters, 6 months, 9 months, years) from
-- 2011 (or the earliest year a report states a figure for) to 2030, plus every plan span
-- a document is for or a sentence states a figure for ('giai đoạn 2011-2020'), with
-- nominal dates and the regime's data cut-off window and due date (seed
-- reporting_windows).
with

reporting_windows as (
    select * from {{ ref('reporting_windows') }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

narrative_facts as (
    select * from {{ ref('stg_raw__narrative_facts') }}
),

-- the reach of the periods: from 2011 (the 2011–2020 master programme) or the earliest
-- year a report or a sentence states, to 2030 or the latest
reach as (
    select
        least(2011, min(stated_years.period_year)) as first_year,
        greatest(2030, max(stated_years.period_year)) as last_year
    from (
        select documents.period_year from documents
        union all
        select narrative_facts.stated_period_year as period_year from narrative_facts
        where narrative_facts.is_stated_later
    ) as stated_years
),

years as (
    select unnest(range(reach.first_year, reach.last_year + 1)) as period_year
    from reach
),

regime_periods as (
    select
        reporting_windows.period_type,
        years.period_year,
        reporting_windows.period_number,
        cast(null as integer) as period_end_year,
        case reporting_windows.period_type
            when 'quarter'
                then make_date(
                    years.period_year, 3 * reporting_windows.period_number - 2, 1
                )
            else make_date(years.period_year, 1, 1)
        end as nominal_start_date,
        case reporting_windows.period_type
            when 'quarter'
                then last_day(
                    make_date(years.period_year, 3 * reporting_windows.period_number, 1)
                )
            when 'half_year' then make_date(years.period_year, 6, 30)
            when 'nine_months' then make_date(years.period_year, 9, 30)
            else make_date(years.period_year, 12, 31)
        end as nominal_end_date,
        make_date(
            years.period_year - case
                when reporting_windows.window_start_in_previous_year
                    then 1
                else 0
            end,
            reporting_windows.window_start_month,
            reporting_windows.window_start_day
        ) as window_start_date,
        make_date(
            years.period_year,
            reporting_windows.window_end_month,
            reporting_windows.window_end_day
        ) as window_end_date,
        make_date(
            years.period_year, reporting_windows.due_month, reporting_windows.due_day
        ) as due_date,
        case
            when reporting_windows.period_type = 'year' then 'Năm ' || years.period_year
            when reporting_windows.period_type = 'quarter'
                then reporting_windows.label_vi || '/' || years.period_year
            -- '6 tháng đầu năm 2022', '9 tháng năm 2023'
            when reporting_windows.label_vi like '% năm'
                then reporting_windows.label_vi || ' ' || years.period_year
            else reporting_windows.label_vi || ' năm ' || years.period_year
        end as label_vi,
        case reporting_windows.period_type
            when 'year' then 'Year ' || years.period_year
            else reporting_windows.label_en || ' ' || years.period_year
        end as label_en
    from reporting_windows
    cross join years
),

plan_spans as (
    select
        period_year,
        period_end_year
    from documents
    where period_type = 'plan' and period_end_year is not null
    union
    select
        stated_period_year as period_year,
        stated_period_end_year as period_end_year
    from narrative_facts
    where
        is_stated_later and stated_period_type = 'plan' and stated_period_end_year is not null
),

plan_periods as (
    select distinct
        'plan' as period_type,
        period_year,
        cast(null as integer) as period_number,
        period_end_year,
        make_date(period_year, 1, 1) as nominal_start_date,
        make_date(period_end_year, 12, 31) as nominal_end_date,
        cast(null as date) as window_start_date,
        cast(null as date) as window_end_date,
        cast(null as date) as due_date,
        'Giai đoạn ' || period_year || '–' || period_end_year as label_vi,
        'Plan ' || period_year || '–' || period_end_year as label_en
    from plan_spans
),

unioned as (
    select * from regime_periods
    union all
    select * from plan_periods
),

final as (
    select
        {{ period_key('period_type', 'period_year', 'period_number', 'period_end_year') }}
            as period_key,
        *
    from unioned
)

select * from final
