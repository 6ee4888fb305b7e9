-- One row per distinct text to match: folded words, parent words, form number (tables),
-- unit, and the kind of value (percent, fraction's whole, has a value). At 1,000 reports 25,929
-- figures needing the fuzzy tier had 1,379 distinct texts: matching is done per row here.
with

figure_texts as (
    select * from {{ ref('int_figure_texts') }}
),

-- each figure's words, and a narrative figure's second reading with its unit
readings as (
    select
        text_id,
        source_kind,
        number_key,
        text_key,
        parent_key,
        unit_key,
        has_value,
        is_fraction_whole,
        is_percent_figure
    from figure_texts
    union all
    select
        unit_text_id as text_id,
        source_kind,
        number_key,
        unit_text_key as text_key,
        parent_key,
        unit_key,
        has_value,
        is_fraction_whole,
        is_percent_figure
    from figure_texts
    where unit_text_id is not null
),

final as (
    select
        text_id,
        any_value(source_kind) as source_kind,
        any_value(number_key) as number_key,
        any_value(text_key) as text_key,
        any_value(parent_key) as parent_key,
        any_value(unit_key) as unit_key,
        any_value(has_value) as has_value,
        any_value(is_fraction_whole) as is_fraction_whole,
        any_value(is_percent_figure) as is_percent_figure,
        count(*) as figure_count
    from readings
    group by text_id
)

select * from final
