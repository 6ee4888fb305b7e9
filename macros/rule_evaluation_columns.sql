{#- The columns a per-figure rule evaluation starts with (its key, the rule, the figure
    and what it was compared with); each family adds is_broken and its messages. Used by
    the families whose evaluated rows carry these columns (ratio, sum, part_whole). -#}
{% macro rule_evaluation_columns(relation) %}
        concat_ws(
            ' | ', {{ relation }}.rule_id, {{ relation }}.document_id,
            {{ relation }}.source_kind, {{ relation }}.source_ref
        ) as evaluation_key,
        {{ relation }}.rule_id,
        {{ relation }}.rule_family,
        {{ relation }}.severity,
        {{ relation }}.document_id,
        {{ relation }}.agency_key,
        {{ relation }}.period_key,
        {{ relation }}.indicator_code,
        {{ relation }}.reported_value,
        {{ relation }}.expected_value,
        {{ relation }}.source_lines
{%- endmacro %}
