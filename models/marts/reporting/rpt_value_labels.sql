-- One row per (column, code): the words officers read instead of a code, from the seed
-- value_labels (the workbook, the reply letters and the dashboard read it).
with

labels as (
    select * from {{ ref('value_labels') }}
),

final as (
    select
        labels.column_name,
        labels.code,
        labels.label_vi,
        labels.label_en
    from labels
)

select * from final
