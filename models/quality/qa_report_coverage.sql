-- One row per agency dim_agency expects to report and period its province reported for
-- (the agency's key beside its name): on time, late, reported without a date, or missing.
with

coverage as (
    select * from {{ ref('qa_rule_eval_coverage') }}
),

final as (
    select
        province_code,
        agency_name_vi,
        period_key,
        coverage_status,
        due_date,
        first_report_date as report_date,
        document_id,
        agency_key
    from coverage
)

select * from final
order by province_code, agency_name_vi, period_key
