-- One row per province version the dashboard offers to choose: the 63 provinces as they
-- were until 30 June 2025 and the 34 from 1 July 2025 (dim_province), each with its
-- 2025 unit, the dates it existed and the order of the choice list.
with

provinces as (
    select * from {{ ref('dim_province') }}
),

final as (
    select
        provinces.province_key,
        provinces.era,
        provinces.province_code,
        provinces.name_vi,
        provinces.name_en,
        provinces.province_type,
        provinces.province_2025_key,
        provinces.valid_from,
        provinces.valid_to,
        row_number() over (
            order by
                provinces.era asc,
                provinces.name_vi asc,
                provinces.valid_from asc
        ) as list_order
    from provinces
)

select * from final
