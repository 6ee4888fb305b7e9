with

source as (
    select * from {{ source('raw', 'narrative_facts') }}
),

renamed as (
    select
        -- ids
        document_id,
        'narrative' as source_kind,
        source_ref,
        fact_no,

        -- text as written
        kind as fact_kind,
        scope,
        source_line,
        {{ strip_control_chars('sentence') }} as sentence,
        {{ strip_control_chars('figure_text') }} as raw_value_text,
        {{ strip_control_chars('unit_text') }} as raw_unit_text,
        {{ strip_control_chars('subject_text') }} as raw_indicator_text,
        {{ strip_control_chars('breakdown_of') }} as breakdown_of,
        breakdown_position,
        whole_fact_no,
        {{ strip_control_chars('section') }} as section,

        -- targets
        {{ strip_control_chars('comparator') }} as comparator,
        target_year,
        {{ strip_control_chars('target_high_text') }} as target_high_text,
        target_change,

        -- stated window
        {{ strip_control_chars('window_text') }} as window_text,
        window_start,
        window_end,

        -- how it was read: 'text', or 'ocr' with tesseract's confidence (0-100)
        coalesce(read_method, 'text') as read_method,
        ocr_confidence,

        -- whose figure and of which period the sentence says it is, where it says so
        stated_scope,
        stated_period_type,
        stated_period_year,
        stated_period_number,
        stated_period_end_year,
        {{ strip_control_chars('stated_period_text') }} as stated_period_text,
        coalesce(is_stated_later, false) as is_stated_later

    from source
)

select * from renamed
