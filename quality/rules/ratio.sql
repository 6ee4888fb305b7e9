-- Rule family `ratio`: a ratio equals 100 × numerator / denominator within the rounding
-- the report used (half a unit of the last decimal written, plus the rounding of its
-- parts). 0/0 is undefined: never a finding. A ratio whose part is itself doubtful (a
-- count written as a percent) is left to the unit rules.
with

facts as (
    select * from {batch} as fact_rows
),

rules as (
    select * from raw.reporting_rules where rule_family = 'ratio'
),

evaluated as (
    select
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        facts.document_id,
        facts.agency_key,
        facts.period_key,
        facts.indicator_code,
        facts.value_numeric as reported_value,
        facts.ratio_implied_value as expected_value,
        concat_ws(', ', facts.source_line, facts.ratio_numerator_source_line,
            facts.ratio_denominator_source_line) as source_lines,
        0.5 * pow(10, -facts.decimals_written)
        + 100 * (
            0.5 * pow(10, -coalesce(facts.ratio_numerator_decimals, 0))
            / facts.ratio_denominator_value
            + facts.ratio_numerator_value * 0.5
            * pow(10, -coalesce(facts.ratio_denominator_decimals, 0))
            / pow(facts.ratio_denominator_value, 2)
        ) * (case when facts.ratio_numerator_decimals > 0
            or facts.ratio_denominator_decimals > 0 then 1 else 0 end)
        + 1e-9 as tolerance,
        facts.raw_value_text,
        facts.ratio_numerator_value,
        facts.ratio_denominator_value
    from facts
    inner join rules
        on facts.indicator_code = rules.indicator_code
    where
        facts.figure_kind = 'actual'
        and facts.value_numeric is not null
        and not facts.is_derived
        and facts.ratio_denominator_value > 0
        and facts.ratio_numerator_value is not null
        and not facts.ratio_has_doubtful_part
)

select
    evaluated.rule_id,
    evaluated.rule_family,
    evaluated.severity,
    evaluated.document_id,
    evaluated.agency_key,
    evaluated.period_key,
    evaluated.indicator_code,
    evaluated.reported_value,
    evaluated.expected_value,
    evaluated.source_lines,
    abs(evaluated.reported_value - evaluated.expected_value) > evaluated.tolerance as is_broken,
    format(
        'Tỷ lệ "{{}}" ghi {{}} nhưng {{}} / {{}} = {{}}% (dòng {{}}).',
        indicator.name_vi, evaluated.raw_value_text, regexp_replace(cast(evaluated.ratio_numerator_value as varchar), '\.0$', ''),
        regexp_replace(cast(evaluated.ratio_denominator_value as varchar), '\.0$', ''), regexp_replace(cast(round(evaluated.expected_value, 2) as varchar), '\.0$', ''),
        evaluated.source_lines
    ) as message_vi,
    format(
        'The ratio "{{}}" is written as {{}} but {{}} / {{}} = {{}}% (lines {{}}).',
        indicator.name_en, evaluated.raw_value_text, regexp_replace(cast(evaluated.ratio_numerator_value as varchar), '\.0$', ''),
        regexp_replace(cast(evaluated.ratio_denominator_value as varchar), '\.0$', ''), regexp_replace(cast(round(evaluated.expected_value, 2) as varchar), '\.0$', ''),
        evaluated.source_lines
    ) as message_en
from evaluated
inner join marts.dim_indicator as indicator
    on evaluated.indicator_code = indicator.indicator_code
