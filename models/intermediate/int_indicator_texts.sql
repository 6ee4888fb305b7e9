-- One row per distinct text to match: folded words, parent words, form number (tables),
-- unit, and the kind of value (percent, fraction's whole, has a value). At 1,000 reports 25,929
-- figures needing the fuzzy tier had 1,379 distinct texts: matching is done per row here.
with

figure_texts as (
    select * from {{ ref('int_figure_texts') }}
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
    from figure_texts
    group by text_id
)

select * from final
