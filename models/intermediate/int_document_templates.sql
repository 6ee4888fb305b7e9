-- One row per document: the template its tables follow, read off which template's
-- wording its table rows matched most often (seed indicator_aliases.template_code; rows matched
-- by the Ministry form's numbers count for bnv_2022).
with

matched as (
    select * from {{ ref('int_figures_matched') }}
),

final as (
    select
        document_id,
        mode(matched_template) as document_template,
        count(matched_template) as rows_matched_to_template
    from matched
    where source_kind = 'table' and matched_template is not null
    group by document_id
)

select * from final
