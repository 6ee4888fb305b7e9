{#- Text without control characters: every C0 control except tab and line feed, and
    DEL, removed. Raw keeps report text as written (and flags the rows that hold such
    characters, has_control_chars); staging passes every column of report text through
    this macro, so nothing downstream (PostgreSQL refuses NUL) meets them. The class is
    ingest.records.CONTROL_CHARS_CLASS; tests/python/test_control_chars.py checks that
    both say the same. -#}
{% macro strip_control_chars(text) -%}
    regexp_replace({{ text }}, '[\x00-\x08\x0B-\x1F\x7F]', '', 'g')
{%- endmacro %}
