{#- An md5 of everything an incremental model's rows depend on besides their own input
    row: the model's code and `settings` (its vars, as text), hashed at compile time, and
    every row of each relation (CTE names or refs). A model keeps a row only while this
    fingerprint is the one it was computed with. -#}
{% macro reference_fingerprint(relations, settings) -%}
    {%- set code = (model.raw_code if model is defined else '') ~ settings -%}
    md5(
        '{{ local_md5(code) }}'
    {%- for relation in relations %}
            || (
                select
                    coalesce(
                        string_agg(
                            cast(fingerprinted as varchar), '|'
                            order by cast(fingerprinted as varchar)
                        ),
                        ''
                    )
                from {{ relation }} as fingerprinted
            )
    {%- endfor %}
    )
{%- endmacro %}
