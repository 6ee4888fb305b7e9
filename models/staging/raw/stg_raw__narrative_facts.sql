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
        sentence,
        figure_text as raw_value_text,
        unit_text as raw_unit_text,
        subject_text as raw_indicator_text,
        breakdown_of,
        breakdown_position,
        whole_fact_no,
        section,

        -- targets
        comparator,
        target_year,

        -- stated window
        window_text,
        window_start,
        window_end

    from source
)

select * from renamed
