-- One row: the abbreviations seed as a map from folded abbreviation to folded expansion.
with

abbreviations as (
    select * from {{ ref('abbreviations') }}
),

final as (
    select map(list(lower(abbreviation)), list(expansion)) as abbreviation_map
    from abbreviations
)

select * from final
