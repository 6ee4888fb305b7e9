-- One row per written cell of a table that ingest saw, outside the item's number, words,
-- unit and note (the census of issue 13): each value cell, and each other cell of the row
-- (extra_cells), with its kind as written (ingest.cells) and whether that kind is a
-- figure (seeds/cell_kinds.csv). A figure outside a value cell of an indicator or
-- cross-tab table reached no fact: its document does not balance.
with

appendix_rows as (
    select * from {{ ref('stg_raw__appendix_rows') }}
),

cell_kinds as (
    select * from {{ ref('cell_kinds') }}
),

value_cells as (
    select
        document_id,
        table_no,
        table_kind,
        row_no,
        source_line,
        source_ref as census_ref,
        source_ref,
        value_column as column_name,
        raw_value_text as cell_text,
        value_kind as cell_kind,
        table_kind in ('indicators', 'crosstab') as is_value_cell
    from appendix_rows
    where value_column_no > 0 and value_kind is not null
),

-- a row's other cells, once per row (every value cell record of a row repeats them)
row_records as (
    select * from appendix_rows
    where extra_cell_kinds is not null
    qualify row_number() over (
        partition by document_id, table_no, row_no order by value_column_no
    ) = 1
),

other_cells as (
    select
        row_records.document_id,
        row_records.table_no,
        row_records.table_kind,
        row_records.row_no,
        row_records.source_line,
        -- the row's place (its first record's), then the column's header
        row_records.source_ref || ' / ' || kinds.key as census_ref,
        null as source_ref,
        kinds.key as column_name,
        texts.value ->> '$' as cell_text,
        kinds.value ->> '$' as cell_kind,
        false as is_value_cell
    from row_records,
        json_each(row_records.extra_cell_kinds) as kinds
    left join json_each(row_records.extra_cells) as texts
        on kinds.key = texts.key
),

cells as (
    select * from value_cells
    union all
    select * from other_cells
),

final as (
    select
        cells.document_id,
        cells.census_ref,
        cells.table_no,
        cells.row_no,
        cells.source_ref,
        cells.table_kind,
        cells.source_line,
        cells.column_name,
        cells.cell_text,
        cells.cell_kind,
        coalesce(cell_kinds.is_figure, false) as is_figure,
        cells.is_value_cell
    from cells
    left join cell_kinds
        on cells.cell_kind = cell_kinds.cell_kind
)

select * from final
