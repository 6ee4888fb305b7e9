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
        trim(agency_name) as agency_name,
        agency_type as agency_type_code,
        trim(province_name) as province_name,
        period_type,
        report_number,
        document_kind,

        -- numbers
        period_year,
        period_number,
        period_end_year,
        file_size_bytes,

        -- dates
        report_date,
        ingested_at,

        -- how each fact was found (detected / manifest)
        agency_name_found_by,
        province_name_found_by,
        period_type_found_by,
        report_date_found_by

    from source
)

select * from renamed
