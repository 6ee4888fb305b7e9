{#- Text folded for matching only (never stored as the value): lower case, no
    diacritics (đ and ð → d, so tone placement hoá/hóa no longer differs), every run of
    other characters (punctuation, dashes, the dot of `TP.`, whitespace) one space,
    trimmed. The same fold as Python's ingest.markup.fold; both are tested on
    tests/cases/fold_cases.csv (tests/assert_fold_text_matches_cases.sql and
    tests/python/test_fold.py). Abbreviations are expanded separately by
    expand_abbreviations. -#}
{% macro fold_text(text) -%}
    trim(regexp_replace(
        strip_accents(replace(replace(lower({{ text }}), 'đ', 'd'), 'ð', 'd')),
        '[^a-z0-9%]+', ' ', 'g'
    ))
{%- endmacro %}
