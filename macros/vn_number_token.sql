{#- The number a cell starts with, as written ('1.044', '41,05', '02'), or null. -#}
{% macro vn_number_token(text) -%}
    nullif(regexp_extract(trim({{ text }}), '^[<>~≤≥]?\s*(\d[\d.,]*\d|\d)', 1), '')
{%- endmacro %}
