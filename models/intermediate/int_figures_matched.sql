-- One row per reported figure with the catalog indicator it is, how it was matched and
-- how sure the match is. The matching itself is done once per distinct text in
-- int_indicator_texts_matched (methods, scores, reasons: see there); a figure takes the
-- result of its text (same folded words, parent words, form number and kind of value).
-- One doubt is the figure's own: a value written in a unit that measures a quantity
-- (persons, dossiers, a percent: seeds unit_aliases → units.value_type) is not a code, so
-- words naming an item on a code scale do not place it. The figure stays unmatched, with
-- the reason, for review (mart_unmatched_rows) rather than raising a unit finding on a
-- match nobody made (issue 15: 002 line 383, '0 Người' under a yes/no item).
with

figure_texts as (
    select * from {{ ref('int_figure_texts') }}
),

texts_matched as (
    select * from {{ ref('int_indicator_texts_matched') }}
),

-- a narrative figure whose words alone match nothing takes its second reading (with its
-- unit) when that one matches
readings as (
    select
        figure_texts.document_id,
        figure_texts.source_kind,
        figure_texts.source_ref,
        figure_texts.has_value,
        figure_texts.unit_key,
        case
            when words.indicator_code is null and with_unit.indicator_code is not null
                then figure_texts.unit_text_id
            else figure_texts.text_id
        end as reading_text_id
    from figure_texts
    inner join texts_matched as words
        on figure_texts.text_id = words.text_id
    left join texts_matched as with_unit
        on figure_texts.unit_text_id = with_unit.text_id
),

catalog as (
    select * from {{ ref('indicator_catalog') }}
),

unit_aliases as (
    select * from {{ ref('unit_aliases') }}
),

units as (
    select * from {{ ref('units') }}
),

unit_kinds as (
    select
        {{ fold_text('unit_aliases.unit_text') }} as unit_key,
        any_value(units.value_type) as unit_value_type
    from unit_aliases
    inner join units
        on unit_aliases.unit_code = units.unit_code
    group by 1
),

with_doubt as (
    select
        readings.*,
        texts_matched.matched_text_key,
        texts_matched.words_indicator_code,
        texts_matched.is_kind_mismatch,
        texts_matched.indicator_code,
        texts_matched.match_method,
        texts_matched.match_score,
        texts_matched.unmatched_reason,
        texts_matched.matched_template,
        texts_matched.closest_candidates,
        coalesce(
            readings.has_value
            and catalog.value_type = 'code'
            and unit_kinds.unit_value_type in ('count', 'amount', 'percent'),
            false
        ) as is_unit_scale_mismatch,
        catalog.scale_code,
        unit_kinds.unit_value_type
    from readings
    inner join texts_matched
        on readings.reading_text_id = texts_matched.text_id
    left join catalog
        on texts_matched.indicator_code = catalog.indicator_code
    left join unit_kinds
        on readings.unit_key = unit_kinds.unit_key
),

final as (
    select
        document_id,
        source_kind,
        source_ref,
        has_value,
        matched_text_key,
        words_indicator_code,
        is_kind_mismatch or is_unit_scale_mismatch as is_kind_mismatch,
        case when not is_unit_scale_mismatch then indicator_code end as indicator_code,
        case when is_unit_scale_mismatch then 'unmatched' else match_method end
            as match_method,
        match_score,
        case
            when is_unit_scale_mismatch
                then
                    'the words are ' || indicator_code || ' (a code on scale ' || scale_code
                    || ') but the unit "' || unit_key || '" measures a ' || unit_value_type
                    || ': review the match'
            else unmatched_reason
        end as unmatched_reason,
        matched_template,
        closest_candidates
    from with_doubt
)

select * from final
