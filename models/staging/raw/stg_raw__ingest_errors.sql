with

source as (
    select * from {{ source('raw', 'ingest_errors') }}
),

renamed as (
    select
        ingest_run_id,
        document_id,
        file_path,
        error_kind,
        severity,
        location,
        expected,
        what_to_do,
        recorded_at
    from source
)

select * from renamed
