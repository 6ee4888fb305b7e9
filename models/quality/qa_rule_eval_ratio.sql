-- Rule family `ratio`: a ratio equals 100 × numerator / denominator within the rounding
-- the report used (half a unit of the last decimal written, plus the rounding of its
-- parts). 0/0 is undefined: never a finding. A ratio whose part is itself doubtful (a
-- count written as a percent) is left to the unit rules.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_family = 'ratio'
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

evaluated as (
    select
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        facts.document_id,
        facts.source_kind,
        facts.source_ref,
        facts.agency_key,
        facts.period_key,
        facts.indicator_code,
        facts.value_numeric as reported_value,
        facts.ratio_implied_value as expected_value,
        concat_ws(
            ', ', facts.source_line, facts.ratio_numerator_source_line,
            facts.ratio_denominator_source_line
        ) as source_lines,
        {{ rounding_tolerance('facts.decimals_written') }}
        + 100 * (
            {{ var('qa_rounding_half_unit') }}
            * pow(10, -coalesce(facts.ratio_numerator_decimals, 0))
            / facts.ratio_denominator_value
            + facts.ratio_numerator_value * {{ var('qa_rounding_half_unit') }}
            * pow(10, -coalesce(facts.ratio_denominator_decimals, 0))
            / pow(facts.ratio_denominator_value, 2)
        ) * (
            case
                when
                    facts.ratio_numerator_decimals > 0
                    or facts.ratio_denominator_decimals > 0
                    then 1
                else 0
            end
        )
        + coalesce(rules.tolerance, 0) as tolerance,
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
),

final as (
    select
        {{ rule_evaluation_columns('evaluated') }},
        coalesce(
            abs(evaluated.reported_value - evaluated.expected_value) > evaluated.tolerance,
            false
        ) as is_broken,
        format(
            'Tỷ lệ "{}" ghi {} nhưng {} / {} = {}% (dòng {}).',
            indicators.name_vi,
            evaluated.raw_value_text,
            {{ number_text('evaluated.ratio_numerator_value') }},
            {{ number_text('evaluated.ratio_denominator_value') }},
            {{ number_text('round(evaluated.expected_value, 2)') }},
            evaluated.source_lines
        ) as message_vi,
        format(
            'The ratio "{}" is written as {} but {} / {} = {}% (lines {}).',
            indicators.name_en,
            evaluated.raw_value_text,
            {{ number_text('evaluated.ratio_numerator_value') }},
            {{ number_text('evaluated.ratio_denominator_value') }},
            {{ number_text('round(evaluated.expected_value, 2)') }},
            evaluated.source_lines
        ) as message_en
    from evaluated
    inner join indicators
        on evaluated.indicator_code = indicators.indicator_code
)

select * from final
