-- One row per document: the template its tables follow, read off which template's
-- wording its table rows matched most often (seed indicator_aliases.template_code; rows matched
-- by the Ministry form's numbers count for bnv_2022).
with

matched as (
    select * from {{ ref('int_figures_matched') }}
),

rows_per_template as (
    select
        document_id,
        matched_template,
        count(*) as template_rows
    from matched
    where source_kind = 'table' and matched_template is not null
    group by document_id, matched_template
),

-- the template most rows matched; a tie is settled by the name, the same every night
-- (mode() picks among ties as it meets the rows)
final as (
    select
        document_id,
        arg_max(matched_template, (template_rows, matched_template)) as document_template,
        cast(sum(template_rows) as bigint) as rows_matched_to_template
    from rows_per_template
    group by document_id
)

select * from final
