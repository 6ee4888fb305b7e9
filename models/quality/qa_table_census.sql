-- One row per document: the census of its table figures (issue 13). Every figure ingest
-- saw in a table (int_table_census) is a fact (fct_indicator_value; those without an
-- indicator are the ones mart_unmatched_rows shows for review), or its document is
-- quarantined with the
-- reason (int_documents_quarantined); what is neither is unaccounted — a loss no document
-- explains, which fails the night's integrity check (quality/suites.py).
with

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

census as (
    select * from {{ ref('int_table_census') }}
),

facts as (
    select * from {{ ref('fct_indicator_value') }}
    where source_kind = 'table'
),

quarantined as (
    select
        document_id,
        string_agg(reason_code, ', ' order by reason_code) as quarantine_reasons
    from {{ ref('int_documents_quarantined') }}
    group by document_id
),

cells as (
    select
        census.document_id,
        census.is_figure,
        census.is_value_cell,
        census.cell_kind,
        facts.source_ref is not null as is_in_facts,
        facts.source_ref is not null and facts.indicator_code is null as is_in_review
    from census
    left join facts
        on
            census.document_id = facts.document_id
            and census.source_ref = facts.source_ref
),

non_figure_kinds as (
    select
        document_id,
        cell_kind,
        count(*) as cells
    from cells
    where not is_figure
    group by document_id, cell_kind
),

per_document as (
    select
        document_id,
        count(*) filter (where is_figure) as figures_seen,
        count(*) filter (where not is_figure) as non_figures_seen,
        count(*) filter (where is_figure and is_value_cell) as figures_in_value_cells,
        count(*) filter (where is_figure and not is_value_cell)
            as figures_outside_value_cells,
        count(*) filter (where is_figure and is_in_facts) as figures_in_facts,
        count(*) filter (where is_figure and is_in_review) as figures_in_review
    from cells
    group by document_id
),

counted as (
    select
        documents.document_id,
        documents.file_path,
        coalesce(per_document.figures_seen, 0) as figures_seen,
        coalesce(per_document.non_figures_seen, 0) as non_figures_seen,
        coalesce(per_document.figures_in_value_cells, 0) as figures_in_value_cells,
        coalesce(per_document.figures_outside_value_cells, 0) as figures_outside_value_cells,
        coalesce(per_document.figures_in_facts, 0) as figures_in_facts,
        coalesce(per_document.figures_in_review, 0) as figures_in_review,
        case
            when quarantined.document_id is not null
                then coalesce(per_document.figures_seen, 0)
            else 0
        end as figures_in_quarantined_document,
        case
            when quarantined.document_id is not null then 0
            else
                coalesce(per_document.figures_seen, 0)
                - coalesce(per_document.figures_in_facts, 0)
        end as figures_unaccounted,
        (
            select
                string_agg(
                    non_figure_kinds.cell_kind || ': ' || non_figure_kinds.cells, ', '
                    order by non_figure_kinds.cell_kind
                )
            from non_figure_kinds
            where non_figure_kinds.document_id = documents.document_id
        ) as non_figures_by_kind,
        quarantined.quarantine_reasons,
        cast('{{ run_started_at }}' as timestamp) as built_at
    from documents
    left join per_document
        on documents.document_id = per_document.document_id
    left join quarantined
        on documents.document_id = quarantined.document_id
),

final as (
    select
        counted.*,
        counted.figures_unaccounted = 0 as is_balanced
    from counted
)

select * from final
