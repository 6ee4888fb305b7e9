-- Rule family `unit`: the unit written is the indicator's unit; a count holds no
-- percent; a count ("Số …") with a percent unit is a form error; a unit that cannot be
-- right as written ('100%' as a unit) is doubtful.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_family = 'unit'
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

units as (
    select * from {{ ref('dim_unit') }}
),

applicable as (
    select
        facts.*,
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        case rules.rule_id
            when 'unit.matches_indicator' then facts.unit_differs_from_catalog
            when 'unit.percent_in_count' then facts.has_percent_sign
            when 'unit.count_with_percent_unit' then facts.written_unit_code = 'percent'
            when 'unit.doubtful_unit' then facts.is_doubtful_unit
        end as is_broken
    from facts
    inner join rules
        on
            (
                rules.rule_id = 'unit.matches_indicator'
                and facts.raw_unit_text is not null
                and not facts.is_empty
            )
            or (
                rules.rule_id = 'unit.percent_in_count'
                and facts.value_type = 'count'
                and not facts.is_empty
            )
            or (
                rules.rule_id = 'unit.count_with_percent_unit'
                and facts.value_type = 'count'
                and facts.source_kind = 'table'
            )
            or (
                rules.rule_id = 'unit.doubtful_unit'
                and facts.raw_unit_text is not null
                and not facts.is_empty
            )
    where facts.figure_kind = 'actual' and facts.indicator_code is not null
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
        applicable.value_numeric as reported_value,
        cast(null as double) as expected_value,
        applicable.source_line as source_lines,
        coalesce(applicable.is_broken, false) as is_broken,
        format(
            '"{}": đơn vị tính "{}", giá trị "{}" không phù hợp chỉ tiêu '
            || '(đơn vị đúng: {}) (dòng {}).',
            indicators.name_vi, coalesce(applicable.raw_unit_text, ''),
            coalesce(applicable.raw_value_text, ''), units.name_vi, applicable.source_line
        ) as message_vi,
        format(
            '"{}": unit "{}" and value "{}" do not fit the indicator '
            || '(its unit: {}) (line {}).',
            indicators.name_en, coalesce(applicable.raw_unit_text, ''),
            coalesce(applicable.raw_value_text, ''), units.name_en, applicable.source_line
        ) as message_en
    from applicable
    inner join indicators
        on applicable.indicator_key = indicators.indicator_key
    left join units
        on indicators.unit_code = units.unit_code
)

select * from final
