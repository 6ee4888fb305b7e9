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
        {{ strip_control_chars('appendix_title') }} as appendix_title,
        {{ strip_control_chars('table_caption') }} as table_caption,
        table_kind,
        source_line,
        {{ strip_control_chars('stt') }} as stt,
        regexp_replace(
            trim(coalesce({{ strip_control_chars('stt') }}, '')), '\.+$', ''
        ) as stt_normalised,
        {{ strip_control_chars('parent_stt') }} as parent_stt,
        depth,
        scope,

        -- text as written
        {{ strip_control_chars('indicator_text') }} as raw_indicator_text,
        {{ strip_control_chars('unit_text') }} as raw_unit_text,
        {{ strip_control_chars('value_column') }} as value_column,
        {{ strip_control_chars('value_text') }} as raw_value_text,
        {{ strip_control_chars('note_text') }} as note_text,
        {{ strip_control_chars_json('extra_cells') }} as extra_cells,

        -- census: what each cell is, as written (ingest.cells)
        value_kind,
        extra_cell_kinds,

        -- stated window
        {{ strip_control_chars('window_text') }} as window_text,
        window_start,
        window_end,

        -- flags
        is_bold,
        is_italic,
        is_continuation_merged,

        -- how it was read: 'text', or 'ocr' with tesseract's confidence (0-100)
        coalesce(read_method, 'text') as read_method,
        ocr_confidence

    from source
)

select * from renamed
