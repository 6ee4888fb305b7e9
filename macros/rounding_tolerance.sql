{#- Half a unit of the last decimal a report wrote (`56` ± 0.5, `41,05` ± 0.005), plus the
    float slack of var qa_float_epsilon: the difference a rule allows between two written
    figures before it calls them different. -#}
{% macro rounding_tolerance(decimals) -%}
    {{ var('qa_rounding_half_unit') }} * pow(10, -({{ decimals }})) + {{ var('qa_float_epsilon') }}
{%- endmacro %}
