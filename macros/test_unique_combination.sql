{#- Generic test: the combination of columns identifies a row (dbt_utils cannot be
    installed here, see TOOLCHAIN.md). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
