-- One row per province (as it was in the period) × period × indicator: the figure
-- reported for the whole province where one exists (the province's own report first,
-- then a department's sector report), otherwise the sum over the province's agencies
-- for counts and amounts; a ratio is re-computed from its numerator and denominator at
-- that level, never averaged. `basis` says which, and how many agencies it rests on;
-- `comparison_basis` sorts it for comparison — the province's own figure (province_figure), a
-- sum over agencies (sum_of_agencies), or one agency's figure (one_agency: a department's
-- province-wide figure, or the only agency's own) — and the coverage beside it says how
-- many of the agencies expected to report for the period (dim_agency) contributed.
with

facts as (
    select * from {{ ref('fct_indicator_value_current') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

-- the agencies expected to report for each province and period (its period type, the
-- version existing on the period's last day)
expected_agencies as (
    select
        agencies.province_key,
        periods.period_key,
        count(*) as agencies_expected
    from agencies
    inner join periods
        on
            list_contains(string_split(agencies.expected_period_types, '|'), periods.period_type)
            and agencies.valid_from <= periods.nominal_end_date
            and (agencies.valid_to is null or agencies.valid_to >= periods.nominal_end_date)
    group by agencies.province_key, periods.period_key
),

usable as (
    select
        facts.province_key,
        facts.period_key,
        facts.indicator_key,
        facts.indicator_code,
        facts.agency_key,
        facts.scope,
        facts.value_numeric,
        facts.file_path,
        facts.source_line,
        { 'file_path': facts.file_path, 'source_line': facts.source_line } as source_place,
        -- files in name order, lines in number order ('87' before '104-105')
        (facts.file_path, try_cast(facts.source_line as integer), facts.source_line)
            as source_order,
        agencies.agency_type_code,
        indicators.value_type,
        indicators.area_code
    from facts
    inner join indicators
        on facts.indicator_key = indicators.indicator_key
    inner join agencies
        on facts.agency_key = agencies.agency_key
    where
        facts.value_numeric is not null
        and indicators.value_type in ('count', 'amount', 'percent')
        and facts.province_key is not null
),

province_reported as (
    select
        province_key,
        period_key,
        indicator_key,
        arg_min(value_numeric, case when agency_type_code = 'province' then 0 else 1 end)
            as value_numeric,
        min(case
            when agency_type_code = 'province' then 'province_report'
            else 'sector_report'
        end) as basis,
        count(*) as agencies_reporting,
        -- the value is one agency's figure: the province's own, else one department's
        1 as agencies_contributing,
        -- the figures the value rests on: the province's own report where it has one
        case
            when bool_or(agency_type_code = 'province')
                then
                    list(source_place order by source_order asc)
                    filter (where agency_type_code = 'province')
            else list(source_place order by source_order asc)
        end as sources
    from usable
    where scope = 'province'
    group by province_key, period_key, indicator_key
),

agency_sums as (
    select
        province_key,
        period_key,
        indicator_key,
        sum(value_numeric) as value_numeric,
        'sum_of_agencies' as basis,
        count(*) as agencies_reporting,
        count(distinct agency_key) as agencies_contributing,
        list(source_place order by source_order asc) as sources
    from usable
    where scope = 'agency' and value_type in ('count', 'amount') and area_code <> 0
    group by province_key, period_key, indicator_key
),

levels as (
    select
        coalesce(province_reported.province_key, agency_sums.province_key) as province_key,
        coalesce(province_reported.period_key, agency_sums.period_key) as period_key,
        coalesce(province_reported.indicator_key, agency_sums.indicator_key)
            as indicator_key,
        coalesce(province_reported.value_numeric, agency_sums.value_numeric)
            as value_numeric,
        coalesce(province_reported.basis, agency_sums.basis) as basis,
        coalesce(province_reported.agencies_reporting, agency_sums.agencies_reporting)
            as agencies_reporting,
        coalesce(province_reported.sources, agency_sums.sources) as sources,
        coalesce(
            province_reported.agencies_contributing, agency_sums.agencies_contributing
        ) as agencies_contributing
    from province_reported
    full outer join agency_sums
        on
            province_reported.province_key = agency_sums.province_key
            and province_reported.period_key = agency_sums.period_key
            and province_reported.indicator_key = agency_sums.indicator_key
),

ratios as (
    select
        numerators.province_key,
        numerators.period_key,
        ratio.indicator_key,
        {{ percent_of('numerators.value_numeric', 'denominators.value_numeric') }}
            as value_numeric,
        'recomputed: ' || numerators.basis as basis,
        greatest(numerators.agencies_reporting, denominators.agencies_reporting)
            as agencies_reporting,
        -- re-computed from its parts: it rests on no single written figure
        cast([] as struct(file_path varchar, source_line varchar)[]) as sources,
        greatest(numerators.agencies_contributing, denominators.agencies_contributing)
            as agencies_contributing
    from indicators as ratio
    inner join indicators as numerator_indicator
        on ratio.numerator_code = numerator_indicator.indicator_code
    inner join indicators as denominator_indicator
        on ratio.denominator_code = denominator_indicator.indicator_code
    inner join levels as numerators
        on numerator_indicator.indicator_key = numerators.indicator_key
    inner join levels as denominators
        on
            denominator_indicator.indicator_key = denominators.indicator_key
            and numerators.province_key = denominators.province_key
            and numerators.period_key = denominators.period_key
            and numerators.basis = denominators.basis
    where ratio.value_type = 'percent'
),

combined as (
    select * from ratios
    union all
    -- ratios without parts only where the province itself reports them
    select levels.* from levels
    inner join indicators on levels.indicator_key = indicators.indicator_key
    where
        indicators.value_type <> 'percent'
        or (
            levels.basis in ('province_report', 'sector_report')
            and not exists (
                select 1 from ratios
                where
                    ratios.province_key = levels.province_key
                    and ratios.period_key = levels.period_key
                    and ratios.indicator_key = levels.indicator_key
            )
        )
),

final as (
    select
        combined.province_key,
        provinces.province_2025_key,
        combined.period_key,
        combined.indicator_key,
        indicators.indicator_code,
        combined.value_numeric,
        indicators.unit_code,
        combined.basis,
        combined.agencies_reporting,
        combined.sources,
        case
            when combined.basis like '%province_report' then 'province_figure'
            when combined.agencies_contributing = 1 then 'one_agency'
            else 'sum_of_agencies'
        end as comparison_basis,
        combined.agencies_contributing,
        coalesce(expected_agencies.agencies_expected, 0) as agencies_expected,
        combined.basis like '%province_report' as covers_whole_province
    from combined
    inner join indicators
        on combined.indicator_key = indicators.indicator_key
    inner join provinces
        on combined.province_key = provinces.province_key
    left join expected_agencies
        on
            combined.province_key = expected_agencies.province_key
            and combined.period_key = expected_agencies.period_key
    where combined.value_numeric is not null
)

select * from final
