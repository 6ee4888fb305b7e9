-- One row per reported figure (a value cell of a table row, or a figure stated in a
-- sentence) of every document version but those quarantined (int_documents_quarantined).
-- Key: (document_id, source_kind, source_ref).
-- Each figure says which version of its report it belongs to (int_documents_placed),
-- whether that version is current, whether its file has left the reports folder, and —
-- when a newer version no longer states it — which document withdrew it.
with

-- documents set aside because they would break this table's key (a document placed
-- twice; their figures are accounted for in quality.documents_quarantined)
quarantined as (
    select distinct document_id from {{ ref('int_documents_quarantined') }}
),

values_normalised as (
    -- every figure, normalised, with a ratio's parts where the same report states them
    -- (quarantined documents never entered: int_figures_unioned)
    select * from {{ ref('int_values_derived') }}
),

documents as (
    select * from {{ ref('int_documents_placed') }}
    where document_id not in (select quarantined.document_id from quarantined)
),

document_templates as (
    select * from {{ ref('int_document_templates') }}
),

-- withdrawals (DESIGN.md, "Versions and the current figure"): a figure (stating a
-- value) of a document no longer current is withdrawn by the version that retired it
-- (int_documents_placed) when that version's current files no longer state the same
-- indicator and scope — they omit it or leave it empty. A figure stated again is
-- replaced, not withdrawn.
figures_placed as (
    select
        values_normalised.document_id,
        values_normalised.source_kind,
        values_normalised.source_ref,
        values_normalised.indicator_code,
        values_normalised.scope,
        documents.version_key,
        documents.is_replaced_in_place,
        documents.retired_by_version_key,
        documents.retired_by_document_id,
        case when values_normalised.fact_kind = 'target' then 'target' else 'actual' end
            as figure_kind,
        not values_normalised.is_empty or values_normalised.ratio_implied_value is not null
            as states_value
    from values_normalised
    inner join documents
        on values_normalised.document_id = documents.document_id
    where values_normalised.indicator_code is not null
),

-- what each version states, read from its current files (not those replaced in place)
stated as (
    select distinct
        version_key,
        indicator_code,
        scope,
        figure_kind
    from figures_placed
    where states_value and not is_replaced_in_place
),

figures_withdrawn as (
    select
        figures_placed.document_id,
        figures_placed.source_kind,
        figures_placed.source_ref,
        figures_placed.retired_by_document_id as withdrawn_by_document_id
    from figures_placed
    left join stated
        on
            figures_placed.retired_by_version_key = stated.version_key
            and figures_placed.indicator_code = stated.indicator_code
            and figures_placed.scope = stated.scope
            and figures_placed.figure_kind = stated.figure_kind
    where
        figures_placed.retired_by_version_key is not null
        and figures_placed.states_value
        and stated.version_key is null
),

final as (
    select
        -- keys
        values_normalised.document_id,
        values_normalised.source_kind,
        values_normalised.source_ref,
        md5(coalesce(values_normalised.indicator_code, 'unmatched')) as indicator_key,
        documents.agency_key,
        -- a figure of an earlier period, stated later, is of that period (DESIGN.md)
        coalesce(values_normalised.stated_period_key, documents.period_key) as period_key,
        documents.province_key,
        values_normalised.unit_code,

        -- what the figure is
        document_templates.document_template,
        values_normalised.written_unit_code,
        values_normalised.indicator_code,
        case when values_normalised.fact_kind = 'target' then 'target' else 'actual' end
            as figure_kind,
        -- decided once, by ingest (ingest.metadata.document_scope and the row's notes)
        values_normalised.scope,
        values_normalised.value_type,
        values_normalised.scale_code,
        values_normalised.breakdown_label,
        values_normalised.value_column,
        values_normalised.comparator,
        values_normalised.target_year,
        values_normalised.target_change,
        values_normalised.stt,
        values_normalised.figure_group,
        values_normalised.figure_position,

        -- measures
        case
            when values_normalised.value_canonical is not null
                then values_normalised.value_canonical
            when values_normalised.is_empty and values_normalised.ratio_implied_value is not null
                then values_normalised.ratio_implied_value
        end as value_numeric,
        values_normalised.target_high_canonical as target_high_value,
        values_normalised.value_code,
        coalesce(values_normalised.written_code_label, values_normalised.code_label_vi)
            as value_label_vi,
        values_normalised.code_label_en as value_label_en,
        values_normalised.is_good_code,
        case
            when values_normalised.value_type = 'text' or (
                values_normalised.value_number is null and not values_normalised.is_empty
            ) then values_normalised.value_trimmed
        end as value_text,
        values_normalised.decimals_written,

        -- a ratio's parts as the same table or sentence reports them
        values_normalised.ratio_numerator_value,
        values_normalised.ratio_denominator_value,
        values_normalised.ratio_implied_value,
        values_normalised.ratio_numerator_decimals,
        values_normalised.ratio_denominator_decimals,
        coalesce(values_normalised.ratio_has_doubtful_part, false) as ratio_has_doubtful_part,
        values_normalised.ratio_numerator_source_line,
        values_normalised.ratio_denominator_source_line,

        -- as written
        values_normalised.raw_indicator_text,
        values_normalised.raw_unit_text,
        values_normalised.raw_value_text,

        -- match
        coalesce(values_normalised.match_method, 'unmatched') as match_method,
        values_normalised.match_score,

        -- the window the report states for this figure
        values_normalised.window_text,
        values_normalised.window_start,
        values_normalised.window_end,
        values_normalised.is_stated_later,
        values_normalised.stated_period_text,

        -- flags: what normalisation did or doubted
        values_normalised.is_empty,
        values_normalised.is_empty and values_normalised.ratio_implied_value is not null
            as is_derived,
        coalesce(values_normalised.is_ratio_undefined, false) as is_ratio_undefined,
        values_normalised.has_percent_sign,
        values_normalised.has_ambiguous_separator,
        values_normalised.is_number_from_words,
        values_normalised.has_leading_zero,
        values_normalised.unit_differs_from_catalog,
        values_normalised.is_unknown_unit,
        values_normalised.is_doubtful_unit,
        values_normalised.is_code_outside_scale,
        values_normalised.is_unit_converted,
        -- how it was read (OCR is evidence: a doubtful figure is for review, not current)
        values_normalised.read_method,
        values_normalised.ocr_confidence,
        values_normalised.is_ocr_doubtful,
        values_normalised.review_reason,
        values_normalised.is_code_from_word,

        -- provenance
        documents.file_path,
        values_normalised.source_line,
        documents.report_date,
        documents.ingested_at,
        documents.archive_path,
        documents.is_latest_version as is_latest_document_version,

        -- versions (int_documents_placed decides them)
        documents.version_key,
        documents.version_rank,
        documents.version_revision_kind,
        documents.is_current_document as is_current_document_version,
        documents.is_source_missing,
        figures_withdrawn.withdrawn_by_document_id

    from values_normalised
    inner join documents
        on values_normalised.document_id = documents.document_id
    left join document_templates
        on values_normalised.document_id = document_templates.document_id
    left join figures_withdrawn
        on
            values_normalised.document_id = figures_withdrawn.document_id
            and values_normalised.source_kind = figures_withdrawn.source_kind
            and values_normalised.source_ref = figures_withdrawn.source_ref
)

select * from final
