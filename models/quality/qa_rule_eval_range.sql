-- Rule family `range`: a percent lies in [qa_percent_min, qa_percent_max] (0–100); a
-- count is whole and not negative; a code is one of its scale's codes. Derived and empty
-- figures are not checked.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_family = 'range'
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

applicable as (
    select
        facts.*,
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        case rules.rule_id
            when 'range.percent'
                then
                    facts.value_numeric < {{ var('qa_percent_min') }}
                    or facts.value_numeric > {{ var('qa_percent_max') }}
            when 'range.count'
                then
                    facts.value_numeric < 0
                    or facts.value_numeric <> round(facts.value_numeric)
            when 'range.code' then facts.is_code_outside_scale
        end as is_broken,
        case rules.rule_id
            when 'range.percent'
                then '{{ var("qa_percent_min") }}–{{ var("qa_percent_max") }}'
            when 'range.count' then '≥ 0, số nguyên / whole, ≥ 0'
            when 'range.code' then 'thang mã / scale ' || coalesce(facts.scale_code, '?')
        end as expected_text
    from facts
    inner join rules
        on
            (rules.rule_id = 'range.percent' and facts.value_type = 'percent')
            or (rules.rule_id = 'range.count' and facts.value_type = 'count')
            or (rules.rule_id = 'range.code' and facts.value_type = 'code')
    where
        facts.figure_kind = 'actual'
        and not facts.is_derived
        and (facts.value_numeric is not null or facts.value_code is not null)
),

final as (
    select
        concat_ws(
            ' | ', applicable.rule_id, applicable.document_id, applicable.source_kind,
            applicable.source_ref
        ) as evaluation_key,
        applicable.rule_id,
        applicable.rule_family,
        applicable.severity,
        applicable.document_id,
        applicable.agency_key,
        applicable.period_key,
        applicable.indicator_code,
        coalesce(applicable.value_numeric, applicable.value_code) as reported_value,
        cast(null as double) as expected_value,
        applicable.source_line as source_lines,
        coalesce(applicable.is_broken, false) as is_broken,
        format(
            '"{}" ghi {}, ngoài miền giá trị cho phép ({}) (dòng {}).',
            indicators.name_vi, applicable.raw_value_text, applicable.expected_text,
            applicable.source_line
        ) as message_vi,
        format(
            '"{}" is written as {}, outside what it can be ({}) (line {}).',
            indicators.name_en, applicable.raw_value_text, applicable.expected_text,
            applicable.source_line
        ) as message_en
    from applicable
    inner join indicators
        on applicable.indicator_key = indicators.indicator_key
)

select * from final
