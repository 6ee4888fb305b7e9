-- Rule family `cumulative`: a cumulative ('Lũy kế') figure does not go down within a
-- year: quarter I ≤ 6 months ≤ 9 months ≤ year, for the same agency, indicator and
-- scope, comparing the latest version of each report.
with

facts as (
    select * from {batch} as fact_rows
),

rules as (
    select * from raw.reporting_rules where rule_family = 'cumulative'
),

cumulative_figures as (
    select
        facts.*,
        period.period_year,
        period.nominal_end_date,
        period.label_vi as period_label_vi,
        period.label_en as period_label_en
    from facts
    inner join raw.indicator_catalog as catalog
        on facts.indicator_code = catalog.indicator_code and catalog.is_cumulative
    inner join marts.dim_period as period
        on facts.period_key = period.period_key
    where
        facts.figure_kind = 'actual'
        and facts.value_numeric is not null
        and not facts.is_derived
        and facts.is_latest_document_version
        and period.period_type <> 'plan'
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
)

select
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
    sequenced.value_numeric < sequenced.previous_value as is_broken,
    format(
        'Số lũy kế "{{}}" giảm từ {{}} ({{}}) xuống {{}} ({{}}).',
        indicator.name_vi, regexp_replace(cast(sequenced.previous_value as varchar), '\.0$', ''), sequenced.previous_label_vi,
        regexp_replace(cast(sequenced.value_numeric as varchar), '\.0$', ''), sequenced.period_label_vi
    ) as message_vi,
    format(
        'The cumulative figure "{{}}" went down from {{}} ({{}}) to {{}} ({{}}).',
        indicator.name_en, regexp_replace(cast(sequenced.previous_value as varchar), '\.0$', ''), sequenced.previous_label_en,
        regexp_replace(cast(sequenced.value_numeric as varchar), '\.0$', ''), sequenced.period_label_en
    ) as message_en
from sequenced
inner join marts.dim_indicator as indicator
    on sequenced.indicator_code = indicator.indicator_code
cross join rules
where sequenced.previous_value is not null
