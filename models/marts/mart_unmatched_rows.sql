-- One row per reported figure that no catalog indicator fits, or that two fit equally:
-- the reason and the closest candidates. One line added to seeds/indicator_aliases.csv
-- (alias_text, parent_alias_text, indicator_code) fixes a row on the next build.
-- Also every figure read from a picture that OCR was unsure of (review_reason), matched
-- or not: a person checks it against the scan.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

matched as (
    select * from {{ ref('int_figures_matched') }}
),

figures as (
    select * from {{ ref('int_figures_unioned') }}
),

final as (
    select
        facts.document_id,
        facts.source_kind,
        facts.source_ref,
        facts.file_path,
        facts.source_line,
        facts.stt,
        facts.raw_indicator_text,
        figures.parent_text as raw_parent_text,
        facts.value_column,
        facts.raw_unit_text,
        facts.raw_value_text,
        not facts.is_empty as has_value,
        matched.match_method,
        -- a matched figure is here for its OCR doubt: that is its reason
        coalesce(matched.unmatched_reason, facts.review_reason) as unmatched_reason,
        matched.closest_candidates,
        facts.agency_key,
        facts.period_key,
        facts.read_method,
        facts.ocr_confidence,
        facts.review_reason
    from facts
    inner join matched
        on
            facts.document_id = matched.document_id
            and facts.source_kind = matched.source_kind
            and facts.source_ref = matched.source_ref
    inner join figures
        on
            facts.document_id = figures.document_id
            and facts.source_kind = figures.source_kind
            and facts.source_ref = figures.source_ref
    where facts.indicator_code is null or facts.is_ocr_doubtful
)

select * from final
