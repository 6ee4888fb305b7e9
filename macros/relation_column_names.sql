{% macro relation_column_names(relation) %}
    {#- The lower-cased column names of a built relation, so a model can use a column an
        upstream model may or may not have yet; [] while dbt parses (and for linters). -#}
    {%- if not execute or adapter is not defined -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(relation) -%}
    {{ return(columns | map(attribute='name') | map('lower') | list) }}
{% endmacro %}
