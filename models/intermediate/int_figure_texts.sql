-- One row per reported figure with the folded words it is matched by and the id of its
-- distinct text: what the matcher needs to know about a figure, and nothing else, so that
-- figures with the same words, parent, form number and kind of value are matched once
-- (int_indicator_texts → int_indicator_texts_matched) and joined back by text_id.
with

figures as (
    select * from {{ ref('int_figures_unioned') }}
),

abbreviation_map as (
    select * from {{ ref('int_abbreviation_map') }}
),

keyed as (
    select
        figures.document_id,
        figures.source_kind,
        figures.source_ref,
        -- the form's number decides only for table rows (by_number)
        case when figures.source_kind = 'table' then figures.stt end as number_key,
        {{ expand_abbreviations(fold_text("regexp_replace(figures.match_text, '^[-+•]\s*', '')"),
            'abbreviation_map.abbreviation_map') }} as text_key,
        {{ expand_abbreviations(
            fold_text("regexp_replace(figures.unit_match_text, '^[-+•]\s*', '')"),
            'abbreviation_map.abbreviation_map') }} as unit_text_key,
        {{ expand_abbreviations(fold_text('figures.parent_text'),
            'abbreviation_map.abbreviation_map') }} as parent_key,
        -- the unit often says what is counted ('1.619 dịch vụ công', '37.270 hồ sơ')
        nullif({{ fold_text('figures.raw_unit_text') }}, '') as unit_key,
        coalesce(figures.raw_value_text, '') <> '' as has_value,
        coalesce(figures.is_fraction_whole, false) as is_fraction_whole,
        -- written as a percent: a '%' in the value, or a percent unit
        coalesce(
            coalesce(figures.raw_value_text, '') like '%\%%' escape '\'
            or coalesce({{ fold_text('figures.raw_unit_text') }}, '') in ('%', 'ty le', 'ty le %'),
            false
        ) as is_percent_figure
    from figures
    cross join abbreviation_map
),

final as (
    select
        document_id,
        source_kind,
        source_ref,
        md5(cast(struct_pack(
            source_kind, number_key, text_key, parent_key, unit_key, has_value,
            is_fraction_whole, is_percent_figure
        ) as varchar)) as text_id,
        -- the second reading of a narrative figure, with its unit (int_figures_unioned)
        case when unit_text_key is not null then md5(cast(struct_pack(
            source_kind, number_key, unit_text_key, parent_key, unit_key, has_value,
            is_fraction_whole, is_percent_figure
        ) as varchar)) end as unit_text_id,
        number_key,
        text_key,
        unit_text_key,
        parent_key,
        unit_key,
        has_value,
        is_fraction_whole,
        is_percent_figure
    from keyed
)

select * from final
