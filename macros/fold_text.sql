{#- Text folded for matching only (never stored as the value): lower case, no
    diacritics (so tone placement hoá/hóa and đ/d no longer differ), punctuation as
    spaces, single spaces. Abbreviations are expanded separately by expand_abbreviations. -#}
{% macro fold_text(text) -%}
    trim(regexp_replace(
        regexp_replace(
            strip_accents(lower(replace(replace({{ text }}, 'đ', 'd'), 'Đ', 'D'))),
            '[^a-z0-9%]+', ' ', 'g'
        ),
        '\s+', ' ', 'g'
    ))
{%- endmacro %}
