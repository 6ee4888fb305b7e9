-- One row per provincial-level unit as it existed in an era: the 63 until 30 June 2025,
-- the 34 from 1 July 2025 (and name changes within an era as versions). A series is
-- compared across the reform through province_2025_key.
with

provinces as (
    select * from {{ ref('provinces') }}
),

current_units as (
    select
        province_code,
        province_key
    from provinces
    where era = '34' and valid_to is null
),

final as (
    select
        provinces.province_key,
        provinces.province_code,
        provinces.era,
        provinces.name_vi,
        provinces.name_en,
        provinces.province_type,
        provinces.province_2025_code,
        current_units.province_key as province_2025_key,
        provinces.valid_from,
        provinces.valid_to,
        provinces.seat_note
    from provinces
    left join current_units
        on provinces.province_2025_code = current_units.province_code
)

select * from final
