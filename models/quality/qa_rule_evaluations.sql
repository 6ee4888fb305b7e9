-- Every check every rule family made (one row per rule applied to a figure or report),
-- broken or not: the union of the families' evaluation models.
{%- set families = [
    'ratio', 'sum', 'part_whole', 'range', 'unit', 'required', 'cumulative', 'narrative',
    'cross_level', 'consistency', 'coverage',
] %}
with

unioned as (
    {% for family in families -%}
        select
            evaluation_key,
            rule_id,
            rule_family,
            severity,
            document_id,
            agency_key,
            period_key,
            indicator_code,
            reported_value,
            expected_value,
            source_lines,
            is_broken,
            message_vi,
            message_en
        from {{ ref('qa_rule_eval_' ~ family) }}
        {% if not loop.last -%}
            union all
        {% endif -%}
    {%- endfor %}
),

final as (
    select
        *,
        '{{ invocation_id }}' as dbt_invocation_id,
        cast('{{ run_started_at }}' as timestamp) as built_at
    from unioned
)

select * from final
