{#- The key of a reporting period: 'quarter-2023-1', 'half_year-2022-1', 'year-2023-1',
    'plan-2021-2025'. -#}
{% macro period_key(period_type, period_year, period_number, period_end_year) -%}
    case
        when {{ period_type }} = 'plan'
            then 'plan-' || {{ period_year }} || '-' || {{ period_end_year }}
        else {{ period_type }} || '-' || {{ period_year }} || '-' || coalesce({{ period_number }}, 1)
    end
{%- endmacro %}
