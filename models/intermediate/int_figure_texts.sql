-- One row per reported figure with the folded words it is matched by and the id of its
-- distinct text: what the matcher needs to know about a figure, and nothing else, so that
-- figures with the same words, parent, form number and kind of value are matched once
-- (int_indicator_texts → int_indicator_texts_matched) and joined back by text_id.
-- A code legend written after the indicator's words ('… (Chưa có/2 cấp/3 cấp)',
-- '… (Không = 0 Có = 1)': two or more labels of the code scales, split by '/' or by
-- '= n') tells how the value is written, not what is counted: it is left out of the words
-- matched, so that its 'chưa' or 'không' is not read as a negation of the indicator.
-- Likewise a unit written there ('TTHC bãi bỏ (Thủ tục)', '… đã tiếp nhận (PAKN)': a unit
-- of the units seeds in a trailing '( … )') is the row's unit when it has none beside it,
-- not words of the indicator.
with

figures as (
    select * from {{ ref('int_figures_unioned') }}
),

abbreviation_map as (
    select * from {{ ref('int_abbreviation_map') }}
),

code_scales as (
    select * from {{ ref('code_scales') }}
),

code_words as (
    select * from {{ ref('code_words') }}
),

-- every way a code is written as a word, folded
scale_words as (
    select unnest(string_split(label_vi || coalesce('|' || label_variants, ''), '|')) as word
    from code_scales
    union all
    select word from code_words
),

legend_labels as (
    select list(distinct {{ fold_text('word') }}) as label_keys
    from scale_words
),

unit_aliases as (
    select * from {{ ref('unit_aliases') }}
),

units as (
    select * from {{ ref('units') }}
),

unit_texts as (
    select unit_text as word from unit_aliases
    union all
    select name_vi as word from units
),

unit_words as (
    select list(distinct {{ fold_text('word') }}) as unit_keys
    from unit_texts
),

with_legend as (
    select
        figures.*,
        -- the parts of a trailing '( … )', split by '/' or by '= n'
        list_filter(
            regexp_split_to_array(
                regexp_extract(figures.match_text, '\(([^()]*)\)\s*$', 1),
                '\s*/\s*|\s*=\s*\d+\s*[,;]?\s*'
            ),
            lambda part: trim(part) <> ''  -- noqa: RF02, RF03
        ) as legend_parts,
        regexp_extract(figures.match_text, '\(([^()]*)\)\s*$', 1) as trailing_text
    from figures
),

with_trailing_unit as (
    select
        with_legend.*,
        coalesce(trim(with_legend.raw_unit_text), '') = ''
        and list_contains(unit_words.unit_keys, {{ fold_text('with_legend.trailing_text') }})
            as is_trailing_unit
    from with_legend
    cross join unit_words
),

figures_worded as (
    select
        with_legend.* exclude (match_text, raw_unit_text),
        case
            when with_legend.is_trailing_unit then with_legend.trailing_text
            else with_legend.raw_unit_text
        end as raw_unit_text,
        case
            when with_legend.is_trailing_unit
                then regexp_replace(with_legend.match_text, '\s*\([^()]*\)\s*$', '')
            when
                len(with_legend.legend_parts) >= 2
                and list_bool_and(list_transform(
                    with_legend.legend_parts,
                    lambda part: list_contains(  -- noqa: RF02
                        legend_labels.label_keys, {{ fold_text('part') }}
                    )
                ))
                then regexp_replace(with_legend.match_text, '\s*\([^()]*\)\s*$', '')
            else with_legend.match_text
        end as match_text
    from with_trailing_unit as with_legend
    cross join legend_labels
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
    from figures_worded as figures
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
