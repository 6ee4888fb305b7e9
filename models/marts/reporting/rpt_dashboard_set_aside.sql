{{ config(materialized='view') }}
-- One row per report the night could not read or set aside, as officers read it: every
-- problem the latest ingest run recorded (raw.ingest_errors, through staging) and every
-- document the build quarantined (quality.documents_quarantined), with the reason and
-- what to do in Vietnamese (seeds/code_labels.csv, ingest_error_kind; the quarantine's
-- own reason_vi) and the technical detail as ingest wrote it; placed in a province and
-- period where the document was placed (none for a file that could not be read). A view:
-- it shows the raw errors of the latest ingest as soon as they are written.
with

errors as (
    select * from {{ ref('stg_raw__ingest_errors') }}
),

runs as (
    select * from {{ ref('stg_raw__ingest_runs') }}
),

quarantined as (
    select * from {{ ref('qa_documents_quarantined') }}
),

placed_documents as (
    select * from {{ ref('int_documents_placed') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

labels as (
    select * from {{ ref('code_labels') }}
),

latest_run as (
    select runs.ingest_run_id
    from runs
    order by runs.started_at desc
    limit 1
),

ingest_problems as (
    select
        'ingest_error' as set_aside_by,
        errors.file_path,
        errors.document_id,
        errors.error_kind as reason_code,
        errors.severity,
        errors.location as place_in_file,
        coalesce(kind_labels.label_vi, 'Lỗi khi đọc tệp') as reason_vi,
        coalesce(
            kind_labels.what_to_do_vi,
            'Xem cột chi tiết; sửa tệp hoặc manifest.csv rồi chạy lại.'
        ) as what_to_do_vi,
        concat_ws(' — ', errors.location, errors.expected, errors.what_to_do) as detail,
        errors.recorded_at
    from errors
    inner join latest_run
        on errors.ingest_run_id = latest_run.ingest_run_id
    left join labels as kind_labels
        on kind_labels.code_set = 'ingest_error_kind' and errors.error_kind = kind_labels.code
),

quarantine_problems as (
    select
        'quarantine' as set_aside_by,
        quarantined.file_path,
        quarantined.document_id,
        quarantined.reason_code,
        'error' as severity,
        '' as place_in_file,
        quarantined.reason_vi,
        cast(null as varchar) as what_to_do_vi,
        concat_ws(' — ', quarantined.reason_en, quarantined.detail) as detail,
        quarantined.built_at as recorded_at
    from quarantined
),

problems as (
    select * from ingest_problems
    union all
    select * from quarantine_problems
),

final as (
    select
        concat_ws(
            ' | ', problems.set_aside_by, problems.file_path, problems.reason_code,
            problems.place_in_file, placed_documents.province_key, placed_documents.period_key
        ) as set_aside_key,
        problems.set_aside_by,
        problems.file_path,
        problems.document_id,
        placed_documents.province_key,
        provinces.province_2025_key,
        placed_documents.period_key,
        placed_documents.agency_full_name_vi as agency_name_vi,
        problems.reason_code,
        problems.severity,
        severity_labels.label_vi as severity_label_vi,
        problems.reason_vi,
        problems.what_to_do_vi,
        problems.detail,
        problems.recorded_at
    from problems
    left join placed_documents
        on problems.document_id = placed_documents.document_id
    left join provinces
        on placed_documents.province_key = provinces.province_key
    left join labels as severity_labels
        on severity_labels.code_set = 'severity' and problems.severity = severity_labels.code
)

select * from final
