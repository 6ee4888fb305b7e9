{#- Schemas are named exactly raw, staging, intermediate, marts, quality (DESIGN.md),
    not dbt's default <target>_<custom> concatenation. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
