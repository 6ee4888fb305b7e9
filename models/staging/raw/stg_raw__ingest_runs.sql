with

source as (
    select * from {{ source('raw', 'ingest_runs') }}
),

renamed as (
    select
        ingest_run_id,
        reports_dir,
        status,
        files_seen,
        documents_loaded,
        documents_unchanged,
        files_failed,
        appendix_rows_loaded,
        narrative_facts_loaded,
        files_sighted,
        documents_reread,
        started_at,
        finished_at
    from source
)

select * from renamed
