{#- Expand each word of folded text that the abbreviations seed lists ('tthc' → 'thu tuc
    hanh chinh'). `abbreviation_map` is a map column built from the seed (see
    int_abbreviation_map). -#}
{% macro expand_abbreviations(folded, abbreviation_map) -%}
    array_to_string(
        list_transform(
            string_split({{ folded }}, ' '),
            lambda word: coalesce({{ abbreviation_map }}[word], word)
        ),
        ' '
    )
{%- endmacro %}
