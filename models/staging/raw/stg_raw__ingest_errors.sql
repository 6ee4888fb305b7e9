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
        {{ strip_control_chars('location') }} as location,  -- noqa: RF04
        {{ strip_control_chars('expected') }} as expected,
        {{ strip_control_chars('what_to_do') }} as what_to_do,
        recorded_at
    from source
)

select * from renamed
