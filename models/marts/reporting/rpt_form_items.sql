-- One row per item of the Ministry's 2022 periodic form (Phụ lục 02): every catalog
-- indicator with a form number, in the form's order, with the unit as the form writes
-- it (a code scale written out as 'Chưa = 0; Hoàn thành = 1', percent as '%').
with

indicators as (
    select * from {{ ref('dim_indicator') }}
),

units as (
    select * from {{ ref('dim_unit') }}
),

code_scales as (
    select * from {{ ref('code_scales') }}
),

scale_texts as (
    select
        scale_code,
        string_agg(label_vi || ' = ' || code_value, '; ' order by code_value) as scale_text_vi
    from code_scales
    group by scale_code
),

items as (
    select
        indicators.indicator_key,
        indicators.indicator_code,
        indicators.bnv_code,
        indicators.name_vi,
        indicators.name_en,
        indicators.unit_code,
        indicators.value_type,
        indicators.scale_code,
        numerators.bnv_code as numerator_bnv_code,
        denominators.bnv_code as denominator_bnv_code,
        case when indicators.unit_code = 'percent' then '%' else units.name_vi end
            as unit_name_vi,
        scale_texts.scale_text_vi,
        len(string_split(trim(indicators.bnv_code, '.'), '.')) as form_depth
    from indicators
    left join units
        on indicators.unit_code = units.unit_code
    left join scale_texts
        on indicators.scale_code = scale_texts.scale_code
    left join indicators as numerators
        on indicators.numerator_code = numerators.indicator_code
    left join indicators as denominators
        on indicators.denominator_code = denominators.indicator_code
    where indicators.bnv_code is not null
),

numbered as (
    select
        items.*,
        -- (3, 3, 1, 2) for '3.3.1.2': lists compare part by part, a prefix first
        try_cast(string_split(trim(items.bnv_code, '.'), '.') as integer[]) as form_number
    from items
),

final as (
    select
        indicator_key,
        indicator_code,
        bnv_code,
        row_number() over (order by form_number asc, bnv_code asc) as form_order,
        form_depth,
        form_depth <= 2 as is_section,
        name_vi,
        name_en,
        case
            when unit_code = 'code' or scale_code is not null
                then coalesce(scale_text_vi, scale_code, unit_name_vi, '')
            else coalesce(unit_name_vi, unit_code, '')
        end as unit_text_vi,
        unit_code,
        value_type,
        scale_code,
        numerator_bnv_code,
        denominator_bnv_code
    from numbered
)

select * from final
