{#- A number as a finding's message writes it: `12`, not `12.0`; `83.33`. -#}
{% macro number_text(value) -%}
    regexp_replace(cast({{ value }} as varchar), '\.0$', '')
{%- endmacro %}
