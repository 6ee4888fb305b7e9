with

source as (
    select * from {{ source('raw', 'appendix_rows') }}
),

renamed as (
    select
        -- ids
        document_id,
        'table' as source_kind,
        source_ref,
        table_no,
        row_no,
        value_column_no,
        parent_row_no,

        -- layout
        appendix_no,
        appendix_title,
        table_caption,
        table_kind,
        source_line,
        stt,
        regexp_replace(trim(coalesce(stt, '')), '\.+$', '') as stt_normalised,
        parent_stt,
        depth,
        scope,

        -- text as written
        indicator_text as raw_indicator_text,
        unit_text as raw_unit_text,
        value_column,
        value_text as raw_value_text,
        note_text,
        extra_cells,

        -- stated window
        window_text,
        window_start,
        window_end,

        -- flags
        is_bold,
        is_italic,
        is_continuation_merged

    from source
)

select * from renamed
