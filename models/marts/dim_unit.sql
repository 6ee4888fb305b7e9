-- One row per canonical unit (seed units); every unit as written maps to one of these
-- through seed unit_aliases.
with

units as (
    select * from {{ ref('units') }}
),

final as (
    select
        unit_code,
        name_vi,
        name_en,
        value_type
    from units
)

select * from final
