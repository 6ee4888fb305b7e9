{#- The leading number of a cell written the Vietnamese way, as double.
    '.' groups thousands and ',' is the decimal mark ('1.044' = 1044, '41,05' = 41.05,
    '1.727,53' = 1727.53); a lone '.' followed by one, two or four+ digits is a decimal
    point ('43.83' = 43.83), as some reports write it. Returns null when the text does
    not start with a number. See vn_number_token and the unit tests of int_values_parsed. -#}
{% macro parse_vn_number(token) -%}
    case
        when {{ token }} is null or {{ token }} = '' then null
        -- both marks: dots group thousands, the comma is decimal
        when {{ token }} like '%.%' and {{ token }} like '%,%'
            then try_cast(replace(replace({{ token }}, '.', ''), ',', '.') as double)
        -- dots only, every group of three digits: thousands
        when regexp_full_match({{ token }}, '\d{1,3}(\.\d{3})+')
            then try_cast(replace({{ token }}, '.', '') as double)
        -- commas only, every group of three digits and more than one group: thousands
        when regexp_full_match({{ token }}, '\d{1,3}(,\d{3}){2,}')
            then try_cast(replace({{ token }}, ',', '') as double)
        -- one comma: decimal mark
        when regexp_full_match({{ token }}, '\d+,\d+')
            then try_cast(replace({{ token }}, ',', '.') as double)
        else try_cast({{ token }} as double)
    end
{%- endmacro %}
