-- One row per figure of a retired document (an earlier version, or a file replaced in
-- place) that the version retiring it no longer states — it omits the indicator or
-- leaves it empty: the figure is withdrawn by that version (DESIGN.md, "Versions and the
-- current figure"). A figure the newer version states again is replaced, not withdrawn.
with

figures as (
    select * from {{ ref('int_values_derived') }}
),

documents as (
    select * from {{ ref('int_documents_placed') }}
),

figures_placed as (
    select
        figures.document_id,
        figures.source_kind,
        figures.source_ref,
        figures.indicator_code,
        figures.scope,
        case when figures.fact_kind = 'target' then 'target' else 'actual' end as figure_kind,
        not figures.is_empty or figures.ratio_implied_value is not null as states_value,
        documents.version_key,
        documents.is_replaced_in_place,
        documents.retired_by_version_key,
        documents.retired_by_document_id
    from figures
    inner join documents
        on figures.document_id = documents.document_id
    where figures.indicator_code is not null
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

final as (
    select
        figures_placed.document_id,
        figures_placed.source_kind,
        figures_placed.source_ref,
        figures_placed.retired_by_version_key as withdrawn_by_version_key,
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
)

select * from final
