-- One row per expected reporter (seeds/expected_reporters.csv) and period its province
-- reported for (quality.report_coverage): đã gửi / gửi muộn / chưa gửi, with the province
-- as it was in the period and its 2025 unit, the due date, the report's date and file,
-- and the Vietnamese label of the status and what to do (seeds/code_labels.csv).
with

coverage as (
    select * from {{ ref('qa_report_coverage') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

documents as (
    select distinct
        facts.document_id,
        facts.file_path
    from {{ ref('fct_indicator_value') }} as facts
),

labels as (
    select * from {{ ref('code_labels') }}
    where code_set = 'coverage_status'
),

placed as (
    select
        coverage.*,
        provinces.province_key,
        provinces.province_2025_key,
        provinces.name_vi as province_name_vi,
        periods.label_vi as period_label_vi
    from coverage
    inner join periods
        on coverage.period_key = periods.period_key
    -- the province as it was when the period ended: codes alone are not keys
    left join provinces
        on
            coverage.province_code = provinces.province_code
            and periods.nominal_end_date >= provinces.valid_from
            and periods.nominal_end_date <= coalesce(provinces.valid_to, date '9999-12-31')
),

final as (
    select
        placed.province_code,
        placed.agency_name_vi,
        placed.period_key,
        placed.province_key,
        placed.province_2025_key,
        placed.province_name_vi,
        placed.period_label_vi,
        placed.coverage_status,
        labels.label_vi as status_label_vi,
        labels.what_to_do_vi,
        placed.coverage_status <> 'missing' as is_sent,
        placed.coverage_status = 'late' as is_late,
        placed.due_date,
        placed.report_date,
        placed.document_id,
        documents.file_path,
        row_number() over (
            order by
                placed.province_key asc,
                placed.period_key asc,
                labels.sort_order desc,
                placed.agency_name_vi asc
        ) as list_order
    from placed
    left join labels
        on placed.coverage_status = labels.code
    left join documents
        on placed.document_id = documents.document_id
)

select * from final
