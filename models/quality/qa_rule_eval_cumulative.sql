-- Rule family `cumulative`: a cumulative ('Lũy kế') figure does not go down within a
-- year: quarter I ≤ 6 months ≤ 9 months ≤ year, for the same agency, indicator and
-- scope, comparing the current figures (fct_indicator_value_current).
with

facts as (
    -- the current figure of each agency, period, indicator and scope (the versions rule)
    select * from {{ ref('fct_indicator_value_current') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_family = 'cumulative'
),

catalog as (
    select * from {{ ref('indicator_catalog') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

cumulative_figures as (
    select
        facts.*,
        periods.period_year,
        periods.nominal_end_date,
        periods.label_vi as period_label_vi,
        periods.label_en as period_label_en
    from facts
    inner join catalog
        on facts.indicator_code = catalog.indicator_code and catalog.is_cumulative
    inner join periods
        on facts.period_key = periods.period_key
    where
        facts.figure_kind = 'actual'
        and facts.value_numeric is not null
        and not facts.is_derived
        and periods.period_type <> 'plan'
),

sequenced as (
    select
        *,
        lag(value_numeric) over by_year as previous_value,
        lag(source_line) over by_year as previous_line,
        lag(period_label_vi) over by_year as previous_label_vi,
        lag(period_label_en) over by_year as previous_label_en
    from cumulative_figures
    window by_year as (
        partition by agency_key, indicator_code, scope, period_year
        order by nominal_end_date, source_ref
    )
),

final as (
    select
        concat_ws(
            ' | ', rules.rule_id, sequenced.document_id, sequenced.source_kind,
            sequenced.source_ref
        ) as evaluation_key,
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        sequenced.document_id,
        sequenced.agency_key,
        sequenced.period_key,
        sequenced.indicator_code,
        sequenced.value_numeric as reported_value,
        sequenced.previous_value as expected_value,
        concat_ws(', ', sequenced.previous_line, sequenced.source_line) as source_lines,
        coalesce(
            sequenced.value_numeric
            < sequenced.previous_value - coalesce(rules.tolerance, 0)
            - {{ var('qa_float_epsilon') }},
            false
        ) as is_broken,
        format(
            'Số lũy kế "{}" giảm từ {} ({}) xuống {} ({}).',
            indicators.name_vi,
            {{ number_text('sequenced.previous_value') }},
            sequenced.previous_label_vi,
            {{ number_text('sequenced.value_numeric') }},
            sequenced.period_label_vi
        ) as message_vi,
        format(
            'The cumulative figure "{}" went down from {} ({}) to {} ({}).',
            indicators.name_en,
            {{ number_text('sequenced.previous_value') }},
            sequenced.previous_label_en,
            {{ number_text('sequenced.value_numeric') }},
            sequenced.period_label_en
        ) as message_en
    from sequenced
    inner join indicators
        on sequenced.indicator_code = indicators.indicator_code
    cross join rules
    where sequenced.previous_value is not null
)

select * from final
