{#- A JSON text (raw.appendix_rows.extra_cells) without control characters: raw ones
    removed by strip_control_chars, and their escapes (\u0000-\u001f and \u007f except
    \u0009 tab and \u000a line feed, and the short \b \f \r) removed too, since
    PostgreSQL's jsonb refuses \u0000. Escaped backslashes (\\) are set aside first, so
    that a text "\u0000" written in a report is not mistaken for an escape; chr(1) is
    free for that, because JSON never holds a raw control character and
    strip_control_chars has removed any. -#}
{% macro strip_control_chars_json(json_text) -%}
    cast(replace(
        regexp_replace(
            replace({{ strip_control_chars(json_text ~ '::varchar') }}, '\\', chr(1)),
            '\\u00(0[0-8bBcCdDeEfF]|1[0-9a-fA-F])|\\u007[fF]|\\[bfr]', '', 'g'
        ),
        chr(1), '\\'
    ) as json)
{%- endmacro %}
