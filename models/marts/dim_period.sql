-- One row per reporting period: quarter, half_year, nine_months, year (2011–2030 at least) and
-- each plan span a document states, with nominal dates, the regime's data cut-off window
-- and due date.
with

periods as (
    select * from {{ ref('int_periods_generated') }}
),

final as (
    select
        period_key,
        period_type,
        period_year,
        period_number,
        period_end_year,
        label_vi,
        label_en,
        nominal_start_date,
        nominal_end_date,
        window_start_date,
        window_end_date,
        due_date
    from periods
)

select * from final
