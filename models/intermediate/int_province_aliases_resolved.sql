-- One row per (folded alias, province version): the province a way of writing a name
-- means in an era, each version of that province (a province renamed within an era, e.g.
-- Thừa Thiên Huế → Huế, has two) with its days, and the days the era covers (all from the
-- provinces seed's valid_from / valid_to, so the 2025 merger date is written only there).
-- Spellings that fold alike (dashes, the dot of 'TP.', case, tone placement) are one
-- row; a folded alias that meant two provinces in one era breaks this model's tests,
-- never a report's build.
with

province_aliases as (
    select * from {{ ref('province_aliases') }}
),

provinces as (
    select * from {{ ref('provinces') }}
),

eras as (
    select
        era,
        min(valid_from) as era_valid_from,
        -- the era still runs when any of its provinces has no end
        case when bool_or(valid_to is null) then null else max(valid_to) end as era_valid_to
    from provinces
    group by era
),

folded as (
    select
        {{ fold_text('alias') }} as alias_key,
        era,
        province_code,
        alias
    from province_aliases
),

resolved as (
    select
        alias_key,
        era,
        province_code,
        count(*) as spellings_count,
        string_agg(alias, ' | ' order by alias) as spellings
    from folded
    group by alias_key, era, province_code
),

final as (
    select
        resolved.alias_key,
        provinces.province_key,
        resolved.era,
        resolved.province_code,
        provinces.province_2025_code,
        provinces.name_vi as province_name_vi,
        provinces.valid_from as province_valid_from,
        provinces.valid_to as province_valid_to,
        eras.era_valid_from,
        eras.era_valid_to,
        resolved.spellings_count,
        resolved.spellings
    from resolved
    inner join eras
        on resolved.era = eras.era
    inner join provinces
        on
            resolved.province_code = provinces.province_code
            and resolved.era = provinces.era
)

select * from final
