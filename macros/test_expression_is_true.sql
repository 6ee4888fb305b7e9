{#- Generic test: every row satisfies the SQL expression (dbt_utils cannot be installed). -#}
{% test expression_is_true(model, expression) %}
select * from {{ model }} where not ({{ expression }})
{% endtest %}
