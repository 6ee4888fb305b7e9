with

source as (
    select * from {{ source('raw', 'documents') }}
),

renamed as (
    select
        -- ids
        document_id,
        ingest_run_id,

        -- text
        file_path,
        file_format,
        trim({{ strip_control_chars('agency_name') }}) as agency_name,
        {{ strip_control_chars('agency_type') }} as agency_type_code,
        trim({{ strip_control_chars('province_name') }}) as province_name,
        -- a former province named beside the report's own ("thuộc tỉnh X (cũ)")
        trim({{ strip_control_chars('former_province_name') }}) as former_province_name,
        {{ strip_control_chars('period_type') }} as period_type,
        {{ strip_control_chars('report_number') }} as report_number,
        {{ strip_control_chars('document_kind') }} as document_kind,
        -- documents loaded before ingest recorded it state no relation: an original
        coalesce({{ strip_control_chars('revision_kind') }}, 'original') as revision_kind,
        archive_path,

        -- numbers
        period_year,
        period_number,
        period_end_year,
        file_size_bytes,
        reader_version,

        -- dates
        report_date,
        ingested_at,
        read_at,

        -- how each fact was found (detected / manifest)
        agency_name_found_by,
        province_name_found_by,
        period_type_found_by,
        report_date_found_by,
        revision_kind_found_by,

        -- how sure each placement is, and the places that stated another value
        -- (ingest.evidence; JSON arrays of {value, found_by, weight, text, note})
        agency_name_confidence,
        province_name_confidence,
        period_confidence,
        {{ strip_control_chars_json('agency_name_conflicts') }} as agency_name_conflicts,
        {{ strip_control_chars_json('province_name_conflicts') }} as province_name_conflicts,
        {{ strip_control_chars_json('period_conflicts') }} as period_conflicts,
        {{ strip_control_chars_json('metadata_candidates') }} as metadata_candidates

    from source
)

select * from renamed
