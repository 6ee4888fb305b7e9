-- One row per reported figure with the catalog indicator it is, how it was matched and
-- how sure the match is. The matching itself is done once per distinct text in
-- int_indicator_texts_matched (methods, scores, reasons: see there); a figure takes the
-- result of its text (same folded words, parent words, form number and kind of value).
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

final as (
    select
        readings.document_id,
        readings.source_kind,
        readings.source_ref,
        readings.has_value,
        texts_matched.matched_text_key,
        texts_matched.words_indicator_code,
        texts_matched.is_kind_mismatch,
        texts_matched.indicator_code,
        texts_matched.match_method,
        texts_matched.match_score,
        texts_matched.unmatched_reason,
        texts_matched.matched_template,
        texts_matched.closest_candidates
    from readings
    inner join texts_matched
        on readings.reading_text_id = texts_matched.text_id
)

select * from final
