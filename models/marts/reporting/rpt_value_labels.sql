-- One row per (column, code): the words officers read instead of a code, from the seed
-- code_labels (the workbook, the reply letters and the dashboard read it). A code set is
-- named after the column that carries it (coverage_status, severity, …, boolean for true
-- and false); a column that carries another column's codes (actual_basis: the codes of
-- basis) takes that code set's rows, so each label is written once.
with

labels as (
    select * from {{ ref('code_labels') }}
),

-- columns whose codes are those of another code set
shared_code_sets as (
    select
        shared.column_name,
        shared.code_set
    from (values ('actual_basis', 'basis')) as shared (column_name, code_set)
),

own_columns as (
    select
        labels.code_set as column_name,
        labels.code,
        labels.label_vi,
        labels.label_en
    from labels
),

shared_columns as (
    select
        shared_code_sets.column_name,
        labels.code,
        labels.label_vi,
        labels.label_en
    from shared_code_sets
    inner join labels
        on shared_code_sets.code_set = labels.code_set
),

final as (
    select * from own_columns
    union all
    select * from shared_columns
)

select * from final
