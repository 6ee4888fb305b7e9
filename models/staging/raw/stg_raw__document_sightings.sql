with

source as (
    select * from {{ source('raw', 'document_sightings') }}
),

renamed as (
    select
        -- ids
        ingest_run_id,
        document_id,

        -- text
        file_path,

        -- dates
        seen_at

    from source
)

select * from renamed
