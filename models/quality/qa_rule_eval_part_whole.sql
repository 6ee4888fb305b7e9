-- Rule family `part_whole`: a part never exceeds its whole (completed ≤ planned,
-- resolved on time ≤ resolved, staff present ≤ quota …). With several parts listed, the
-- parts the report gives must together not exceed the whole: this is the rule for
-- partitions a template lists incompletely (the form's task rows have no "in progress").
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_family = 'part_whole'
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

anchors as (
    select
        facts.*,
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        rules.tolerance
    from facts
    inner join rules
        on facts.indicator_code = rules.indicator_code
    where
        facts.figure_kind = 'actual'
        and facts.value_numeric is not null
        and not (facts.has_percent_sign and facts.value_type = 'count')
),

{{ nearest_part_sums() }},

evaluated as (
    select
        anchors.rule_id,
        anchors.rule_family,
        anchors.severity,
        anchors.document_id,
        anchors.source_kind,
        anchors.source_ref,
        anchors.agency_key,
        anchors.period_key,
        anchors.indicator_code,
        part_sums.parts_total as reported_value,
        anchors.value_numeric as expected_value,
        array_to_string(
            list_distinct(list_prepend(anchors.source_line, part_sums.part_lines)), ', '
        ) as source_lines,
        anchors.raw_value_text,
        part_sums.parts_written,
        anchors.tolerance
    from anchors
    inner join part_sums
        on
            anchors.rule_id = part_sums.rule_id
            and anchors.document_id = part_sums.document_id
            and anchors.source_kind = part_sums.source_kind
            and anchors.source_ref = part_sums.source_ref
    where not part_sums.has_doubtful_part
),

final as (
    select
        {{ rule_evaluation_columns('evaluated') }},
        coalesce(
            evaluated.reported_value
            > evaluated.expected_value + coalesce(evaluated.tolerance, 0)
            + {{ var('qa_float_epsilon') }},
            false
        ) as is_broken,
        format(
            'Phần ({}) lớn hơn tổng "{}" = {} (dòng {}).',
            evaluated.parts_written, indicators.name_vi, evaluated.raw_value_text,
            evaluated.source_lines
        ) as message_vi,
        format(
            'The part ({}) exceeds its whole "{}" = {} (lines {}).',
            evaluated.parts_written, indicators.name_en, evaluated.raw_value_text,
            evaluated.source_lines
        ) as message_en
    from evaluated
    inner join indicators
        on evaluated.indicator_code = indicators.indicator_code
)

select * from final
