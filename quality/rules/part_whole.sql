-- Rule family `part_whole`: a part never exceeds its whole (completed ≤ planned,
-- resolved on time ≤ resolved, staff present ≤ quota …). With several parts listed, the
-- parts the report gives must together not exceed the whole: this is the rule for
-- partitions a template lists incompletely (the form's task rows have no "in progress").
with

facts as (
    select * from {batch} as fact_rows
),

rules as (
    select * from raw.reporting_rules where rule_family = 'part_whole'
),

anchors as (
    select
        facts.*,
        rules.rule_id,
        rules.rule_family,
        rules.severity
    from facts
    inner join rules
        on facts.indicator_code = rules.indicator_code
    where
        facts.figure_kind = 'actual'
        and facts.value_numeric is not null
        and not (facts.has_percent_sign and facts.value_type = 'count')
),

-- include: _nearest_parts.sql

evaluated as (
    select
        anchors.rule_id,
        anchors.rule_family,
        anchors.severity,
        anchors.document_id,
        anchors.agency_key,
        anchors.period_key,
        anchors.indicator_code,
        part_sums.parts_total as reported_value,
        anchors.value_numeric as expected_value,
        array_to_string(
            list_distinct(list_prepend(anchors.source_line, part_sums.part_lines)), ', '
        ) as source_lines,
        anchors.raw_value_text,
        part_sums.parts_written
    from anchors
    inner join part_sums
        on
            anchors.rule_id = part_sums.rule_id
            and anchors.document_id = part_sums.document_id
            and anchors.source_kind = part_sums.source_kind
            and anchors.source_ref = part_sums.source_ref
    where not part_sums.has_doubtful_part
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
    evaluated.reported_value > evaluated.expected_value + 1e-9 as is_broken,
    format(
        'Phần ({{}}) lớn hơn tổng "{{}}" = {{}} (dòng {{}}).',
        evaluated.parts_written, indicator.name_vi, evaluated.raw_value_text,
        evaluated.source_lines
    ) as message_vi,
    format(
        'The part ({{}}) exceeds its whole "{{}}" = {{}} (lines {{}}).',
        evaluated.parts_written, indicator.name_en, evaluated.raw_value_text,
        evaluated.source_lines
    ) as message_en
from evaluated
inner join marts.dim_indicator as indicator
    on evaluated.indicator_code = indicator.indicator_code
