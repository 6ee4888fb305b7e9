-- One row per agency and period: how many rule checks its reports got, passed and broke.
with

evaluations as (
    select * from {{ ref('qa_rule_evaluations') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

counted as (
    select
        agency_key,
        period_key,
        count(*) as rules_checked,
        count(*) filter (where not is_broken) as rules_passed,
        count(*) filter (where is_broken) as rules_broken,
        count(*) filter (where is_broken and severity = 'error') as errors
    from evaluations
    where agency_key is not null
    group by agency_key, period_key
),

final as (
    select
        counted.agency_key,
        agencies.full_name_vi as agency_name_vi,
        counted.period_key,
        periods.label_vi as period_label_vi,
        counted.rules_checked,
        counted.rules_passed,
        counted.rules_broken,
        counted.errors,
        round(counted.rules_passed / counted.rules_checked, 4) as share_passed
    from counted
    left join agencies
        on counted.agency_key = agencies.agency_key
    left join periods
        on counted.period_key = periods.period_key
)

select * from final
order by agency_name_vi, period_key
