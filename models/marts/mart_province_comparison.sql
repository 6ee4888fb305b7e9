-- One row per province as it is since the 2025 merger (the 34) × period × headline
-- indicator: the value for the whole unit (counts summed over the old provinces it was
-- formed from, ratios re-computed from summed numerators and denominators, a ratio
-- without parts only where one old province reported it), its rank among provinces in
-- the period, and its change from the previous period of the same type and from the
-- same period a year earlier.
-- Like is compared with like: each value says its comparison_basis (province_figure,
-- sum_of_agencies, one_agency — mart_province_indicator — or mixed when the old
-- provinces summed rest on different bases), how many of the old provinces forming the
-- unit contributed and how many of the agencies expected to report did, in a sentence
-- (basis_note_vi/en). A value is ranked only against values of the same basis, only when
-- its basis is one var comparison_ranked_bases lists and every old province of the unit
-- contributed (a part of a unit is not the unit).
with

province_values as (
    select * from {{ ref('mart_province_indicator') }}
),

-- the words of each basis (seeds/code_labels.csv, code set comparison_basis), as the
-- note writes them inside a sentence
basis_labels as (
    select
        map_from_entries(list((code, lower(label_vi)))) as labels_vi,
        map_from_entries(list((code, lower(label_en)))) as labels_en
    from {{ ref('code_labels') }}
    where code_set = 'comparison_basis'
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

headlines as (
    select * from {{ ref('headline_indicators') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

-- the old provinces (or the unit itself) of each 2025 unit in each period, and the
-- agencies expected to report for it (dim_agency)
unit_members as (
    select
        provinces.province_2025_key,
        periods.period_key,
        count(distinct provinces.province_key) as units_expected,
        count(agencies.agency_key) as agencies_expected
    from provinces
    inner join periods
        on
            provinces.valid_from <= periods.nominal_end_date
            and (provinces.valid_to is null or provinces.valid_to >= periods.nominal_end_date)
    left join agencies
        on
            provinces.province_key = agencies.province_key
            and list_contains(
                string_split(agencies.expected_period_types, '|'), periods.period_type
            )
            and periods.nominal_end_date >= agencies.valid_from
            and (agencies.valid_to is null or periods.nominal_end_date <= agencies.valid_to)
    group by provinces.province_2025_key, periods.period_key
),

-- figures for a whole province and sums over a province's agencies are not mixed
leveled as (
    select
        *,
        case when basis like '%sum_of_agencies' then 'agencies' else 'province' end
            as basis_level
    from province_values
),

additive as (
    select
        province_values.province_2025_key,
        province_values.period_key,
        province_values.indicator_code,
        province_values.basis_level,
        sum(province_values.value_numeric) as value_numeric,
        count(*) as units_summed,
        list_distinct(list(province_values.comparison_basis)) as bases,
        cast(sum(province_values.agencies_contributing) as bigint) as agencies_contributing,
        list(
            {
                'name': provinces.name_vi,
                'basis': province_values.comparison_basis,
                'agencies': province_values.agencies_contributing,
                'expected': province_values.agencies_expected
            }
            order by provinces.name_vi
        ) as members
    from leveled as province_values
    inner join provinces
        on province_values.province_key = provinces.province_key
    inner join indicators
        on province_values.indicator_key = indicators.indicator_key
    where indicators.value_type in ('count', 'amount') and indicators.area_code <> 0
    group by all
),

ratios as (
    select
        numerators.province_2025_key,
        numerators.period_key,
        ratio.indicator_code,
        numerators.basis_level,
        {{ percent_of('numerators.value_numeric', 'denominators.value_numeric') }}
            as value_numeric,
        greatest(numerators.units_summed, denominators.units_summed) as units_summed,
        list_distinct(list_concat(numerators.bases, denominators.bases)) as bases,
        greatest(numerators.agencies_contributing, denominators.agencies_contributing)
            as agencies_contributing,
        case
            when len(numerators.members) >= len(denominators.members)
                then numerators.members
            else denominators.members
        end as members
    from indicators as ratio
    inner join additive as numerators
        on ratio.numerator_code = numerators.indicator_code
    inner join additive as denominators
        on
            ratio.denominator_code = denominators.indicator_code
            and numerators.province_2025_key = denominators.province_2025_key
            and numerators.period_key = denominators.period_key
            and numerators.basis_level = denominators.basis_level
),

single_unit_ratios as (
    select
        province_values.province_2025_key,
        province_values.period_key,
        province_values.indicator_code,
        any_value(province_values.basis_level) as basis_level,
        any_value(province_values.value_numeric) as value_numeric,
        count(*) as units_summed,
        list_distinct(list(province_values.comparison_basis)) as bases,
        cast(sum(province_values.agencies_contributing) as bigint) as agencies_contributing,
        list(
            {
                'name': provinces.name_vi,
                'basis': province_values.comparison_basis,
                'agencies': province_values.agencies_contributing,
                'expected': province_values.agencies_expected
            }
            order by provinces.name_vi
        ) as members
    from leveled as province_values
    inner join indicators
        on province_values.indicator_key = indicators.indicator_key
    inner join provinces
        on province_values.province_key = provinces.province_key
    where indicators.value_type = 'percent'
    group by all
    having count(*) = 1
),

unit_values as (
    select * from additive
    union all
    select * from ratios
    union all
    select single_unit_ratios.* from single_unit_ratios
    where not exists (
        select 1 from ratios
        where
            ratios.province_2025_key = single_unit_ratios.province_2025_key
            and ratios.period_key = single_unit_ratios.period_key
            and ratios.indicator_code = single_unit_ratios.indicator_code
    )
),

-- one value per unit: the whole-province figure where there is one
preferred as (
    select * from unit_values
    qualify row_number() over (
        partition by province_2025_key, period_key, indicator_code
        order by case basis_level when 'province' then 0 else 1 end
    ) = 1
),

headline_values as (
    select
        unit_values.*,
        case when len(unit_values.bases) = 1 then unit_values.bases[1] else 'mixed' end
            as comparison_basis,
        coalesce(unit_members.units_expected, unit_values.units_summed) as units_expected,
        coalesce(unit_members.agencies_expected, 0) as agencies_expected,
        headlines.display_order,
        headlines.higher_is_better,
        periods.period_type,
        periods.period_year,
        periods.period_number,
        periods.label_vi as period_label_vi,
        periods.label_en as period_label_en,
        periods.nominal_start_date,
        periods.nominal_end_date
    from preferred as unit_values
    inner join headlines
        on unit_values.indicator_code = headlines.indicator_code
    inner join periods
        on unit_values.period_key = periods.period_key
    left join unit_members
        on
            unit_values.province_2025_key = unit_members.province_2025_key
            and unit_values.period_key = unit_members.period_key
    where unit_values.value_numeric is not null and periods.period_type <> 'plan'
),

ranked_values as (
    select
        headline_values.*,
        headline_values.higher_is_better is not null
        and list_contains(
            {{ var('comparison_ranked_bases') }}, headline_values.comparison_basis
        )
        and headline_values.units_summed >= headline_values.units_expected as is_ranked
    from headline_values
),

final as (
    select
        ranked_values.province_2025_key,
        provinces.name_vi as province_name_vi,
        provinces.name_en as province_name_en,
        ranked_values.period_key,
        ranked_values.period_label_vi,
        ranked_values.period_label_en,
        ranked_values.nominal_start_date,
        ranked_values.nominal_end_date,
        ranked_values.indicator_code,
        indicators.name_vi as indicator_name_vi,
        indicators.name_en as indicator_name_en,
        indicators.unit_code,
        ranked_values.display_order,
        ranked_values.value_numeric,
        ranked_values.basis_level,
        ranked_values.units_summed,
        -- ranked only against the same basis, and only a rankable one (see the header)
        case
            when ranked_values.is_ranked then rank() over (
                partition by
                    ranked_values.period_key, ranked_values.indicator_code,
                    ranked_values.comparison_basis, ranked_values.is_ranked
                order by case
                    when ranked_values.higher_is_better
                        then -ranked_values.value_numeric
                    else ranked_values.value_numeric
                end
            )
        end as province_rank,
        count(*) over (
            partition by
                ranked_values.period_key, ranked_values.indicator_code,
                ranked_values.comparison_basis, ranked_values.is_ranked
        ) as provinces_compared,
        ranked_values.value_numeric - lag(ranked_values.value_numeric) over (
            partition by
                ranked_values.province_2025_key, ranked_values.indicator_code,
                ranked_values.period_type
            order by ranked_values.nominal_end_date
        ) as change_from_previous_period,
        ranked_values.value_numeric - year_before.value_numeric
            as change_from_a_year_earlier,
        ranked_values.comparison_basis,
        ranked_values.units_expected,
        ranked_values.agencies_contributing,
        ranked_values.agencies_expected,
        ranked_values.comparison_basis = 'one_agency' as is_single_agency,
        ranked_values.is_ranked,
        -- noqa: disable=RF01
        format(
            '{}: {} trên {} tỉnh cũ, {} trên {} cơ quan phải báo cáo ({})',
            basis_labels.labels_vi[ranked_values.comparison_basis],
            ranked_values.units_summed, ranked_values.units_expected,
            ranked_values.agencies_contributing, ranked_values.agencies_expected,
            array_to_string(
                list_transform(
                    ranked_values.members,
                    lambda member: member.name || ': '  -- noqa: RF02
                    || basis_labels.labels_vi[member.basis] || ', ' || member.agencies
                    || '/' || member.expected || ' cơ quan'
                ),
                '; '
            )
        ) as basis_note_vi,
        format(
            '{}: {} of {} former provinces, {} of {} agencies expected to report ({})',
            basis_labels.labels_en[ranked_values.comparison_basis],
            ranked_values.units_summed, ranked_values.units_expected,
            ranked_values.agencies_contributing, ranked_values.agencies_expected,
            array_to_string(
                list_transform(
                    ranked_values.members,
                    lambda member: member.name || ': '  -- noqa: RF02
                    || basis_labels.labels_en[member.basis] || ', ' || member.agencies
                    || '/' || member.expected || ' agencies'
                ),
                '; '
            )
        ) as basis_note_en
        -- noqa: enable=RF01
    from ranked_values
    cross join basis_labels
    inner join indicators
        on ranked_values.indicator_code = indicators.indicator_code
    inner join provinces
        on ranked_values.province_2025_key = provinces.province_key
    left join ranked_values as year_before
        on
            ranked_values.province_2025_key = year_before.province_2025_key
            and ranked_values.indicator_code = year_before.indicator_code
            and ranked_values.period_type = year_before.period_type
            and ranked_values.period_number is not distinct from year_before.period_number
            and ranked_values.period_year = year_before.period_year + 1
)

select * from final
