-- One row per wording an indicator can be matched by: each alias (with the parent it
-- names, if any) and each catalog name (with its parent's name), folded and with
-- abbreviations expanded, carrying the indicator's kind of value and its ratio links so
-- that the matcher needs nothing else from the catalog.
with

catalog as (
    select * from {{ ref('indicator_catalog') }}
),

aliases as (
    select * from {{ ref('indicator_aliases') }}
),

abbreviation_map as (
    select * from {{ ref('int_abbreviation_map') }}
),

-- the catalog's ratio of a count: a percent written under the count's words is its share
ratio_of as (
    select
        numerator_code,
        min(indicator_code) as ratio_code,
        min(denominator_code) as ratio_denominator_code
    from catalog
    where numerator_code is not null
    group by numerator_code
),

names as (
    select
        catalog.indicator_code,
        'name' as candidate_kind,
        cast(null as varchar) as template_code,
        catalog.bnv_code,
        {{ expand_abbreviations(fold_text('catalog.name_vi'),
            'abbreviation_map.abbreviation_map') }} as candidate_key,
        {{ expand_abbreviations(fold_text('parents.name_vi'),
            'abbreviation_map.abbreviation_map') }} as candidate_parent_key
    from catalog
    left join catalog as parents
        on catalog.parent_code = parents.indicator_code
    cross join abbreviation_map
),

alias_wordings as (
    select distinct
        aliases.indicator_code,
        'alias' as candidate_kind,
        aliases.template_code,
        cast(null as varchar) as bnv_code,
        {{ expand_abbreviations(fold_text('aliases.alias_text'),
            'abbreviation_map.abbreviation_map') }} as candidate_key,
        nullif({{ expand_abbreviations(fold_text('aliases.parent_alias_text'),
            'abbreviation_map.abbreviation_map') }}, '') as candidate_parent_key
    from aliases
    cross join abbreviation_map
),

wordings as (
    select * from names
    union all
    select * from alias_wordings
),

final as (
    select
        wordings.indicator_code,
        wordings.candidate_kind,
        wordings.template_code,
        wordings.bnv_code,
        wordings.candidate_key,
        wordings.candidate_parent_key,
        catalog.value_type,
        catalog.numerator_code,
        ratio_of.ratio_code,
        ratio_of.ratio_denominator_code
    from wordings
    inner join catalog
        on wordings.indicator_code = catalog.indicator_code
    left join ratio_of
        on wordings.indicator_code = ratio_of.numerator_code
)

select * from final
