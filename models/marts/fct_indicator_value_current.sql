-- One row per (agency, period, indicator, scope): the current figure (DESIGN.md,
-- "Versions and the current figure"). Only the current versions of a report count
-- (int_documents_placed: the latest version that replaces as a whole, and the
-- supplements after it), so a figure the latest version omits is no longer current (it
-- stays in fct_indicator_value with withdrawn_by_document_id). Among the current
-- versions the newest stating a value wins: a supplement's figures replace those
-- indicators only (its empty cells add nothing); the replacing version's empty cell is
-- its statement (value null). Within one version a non-empty figure wins over an empty
-- cell, and a table figure over a sentence only when both have a value. A figure a later
-- report states for this period (is_stated_later: a plan's 2020 baseline) counts only
-- where the period's own reports state nothing. A report whose file left the folder
-- stays current, flagged is_source_missing. Every version stays in fct_indicator_value.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
    -- a figure OCR read doubtfully is for review (mart_unmatched_rows), never current
    where
        figure_kind = 'actual' and indicator_code is not null
        and not coalesce(is_ocr_doubtful, false)
),

counted as (
    select
        *,
        count(distinct document_id) over (
            partition by agency_key, period_key, indicator_key, scope
        ) as versions_reported
    from facts
),

ranked as (
    select
        *,
        row_number() over (
            partition by agency_key, period_key, indicator_key, scope
            order by
                -- a figure stated later never displaces the period's own reports
                coalesce(is_stated_later, false) asc,
                case
                    when version_revision_kind = 'supplement' and is_empty and not is_derived
                        then 1
                    else 0
                end,
                version_rank asc,
                is_empty and not is_derived asc,
                case source_kind when 'table' then 0 else 1 end,
                coalesce(report_date, cast(ingested_at as date)) desc,
                ingested_at desc,
                document_id asc,
                source_ref asc
        ) as figure_rank
    from counted
    where is_current_document_version
),

final as (
    -- no current figure is doubtful (see facts): the review columns say nothing here
    select * exclude (figure_rank, is_ocr_doubtful, review_reason)
    from ranked
    where figure_rank = 1
)

select * from final
