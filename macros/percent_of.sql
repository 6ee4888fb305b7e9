{#- A ratio in percent (0–100) from its parts; undefined (null) when the whole is 0 or
    missing — 0/0 is neither 0 % nor 100 % (REPORTING_RULES.md, rule 1). Every ratio the
    warehouse computes goes through here. -#}
{% macro percent_of(part, whole) -%}
    100.0 * {{ part }} / nullif({{ whole }}, 0)
{%- endmacro %}
