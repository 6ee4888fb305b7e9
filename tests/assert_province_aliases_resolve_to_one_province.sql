-- Every official name of the provinces seed (the 63 and the 34 units, each name of
-- each version) resolves through int_province_aliases_resolved to its own province in
-- its own era; every province of an era is reachable; no spelling means two provinces
-- in one era; and the eras' days do not overlap,
-- so one spelling on one day means one province. A row returned is a break.
with

resolved as (
    select * from {{ ref('int_province_aliases_resolved') }}
),

provinces as (
    select * from {{ ref('provinces') }}
),

official_unresolved as (
    select
        'official name does not resolve to its province' as problem,
        provinces.province_key as subject
    from provinces
    left join resolved
        on
            {{ fold_text('provinces.name_vi') }} = resolved.alias_key
            and provinces.era = resolved.era
    where resolved.province_code is distinct from provinces.province_code
),

unreachable as (
    select
        'province has no alias in its era' as problem,
        provinces.province_code || '|' || provinces.era as subject
    from provinces
    where not exists (
        select 1
        from resolved
        where
            resolved.province_code = provinces.province_code
            and resolved.era = provinces.era
    )
),

two_provinces_in_one_era as (
    select
        'spelling means two provinces in one era' as problem,
        alias_key || '|' || era as subject
    from resolved
    group by alias_key, era
    having count(distinct province_code) > 1
),

overlapping_eras as (
    select
        'eras overlap' as problem,
        earlier.era || ' and ' || later.era as subject
    from resolved as earlier
    inner join resolved as later
        on
            earlier.alias_key = later.alias_key
            and earlier.era < later.era
            and earlier.era_valid_from <= coalesce(later.era_valid_to, date '9999-12-31')
            and later.era_valid_from <= coalesce(earlier.era_valid_to, date '9999-12-31')
)

select * from official_unresolved
union all
select * from unreachable
union all
select * from two_provinces_in_one_era
union all
select * from overlapping_eras
