-- One row per catalog indicator (the Ministry's 2022 periodic form and the indicators
-- other templates add), plus one 'unmatched' member so that a figure no indicator fits
-- is still counted. Names in Vietnamese and English.
with

catalog as (
    select * from {{ ref('indicator_catalog') }}
),

areas as (
    select * from {{ ref('cchc_areas') }}
),

indicators as (
    select
        md5(catalog.indicator_code) as indicator_key,
        catalog.indicator_code,
        catalog.bnv_code,
        catalog.name_vi,
        catalog.name_en,
        catalog.area_code,
        areas.name_vi as area_name_vi,
        areas.name_en as area_name_en,
        catalog.unit_code,
        catalog.value_type,
        catalog.scale_code,
        catalog.parent_code,
        catalog.numerator_code,
        catalog.denominator_code,
        catalog.is_cumulative,
        catalog.is_heading,
        catalog.source as source_note
    from catalog
    left join areas
        on catalog.area_code = areas.area_code
),

unmatched_member as (
    select
        md5('unmatched') as indicator_key,
        'unmatched' as indicator_code,
        null as bnv_code,
        'Chưa khớp chỉ tiêu' as name_vi,
        'Not matched to an indicator' as name_en,
        null as area_code,
        null as area_name_vi,
        null as area_name_en,
        null as unit_code,
        null as value_type,
        null as scale_code,
        null as parent_code,
        null as numerator_code,
        null as denominator_code,
        false as is_cumulative,
        false as is_heading,
        'mart_unmatched_rows lists these figures with the reason' as source_note
),

final as (
    select * from indicators
    union all
    select * from unmatched_member
)

select * from final
