-- One row per (document, reason) the night set aside (int_documents_quarantined): what
-- officers see beside raw.ingest_errors — the file, why, and what to do.
with

quarantined as (
    select * from {{ ref('int_documents_quarantined') }}
),

final as (
    select
        quarantined.document_id,
        quarantined.reason_code,
        quarantined.file_path,
        quarantined.reason_vi,
        quarantined.reason_en,
        quarantined.detail,
        cast('{{ run_started_at }}' as timestamp) as built_at
    from quarantined
)

select * from final
