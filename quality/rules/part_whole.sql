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

rule_parts as (
    select
        rule_id,
        indicator_code as whole_code,
        unnest(string_split(related_codes, '|')) as part_code
    from rules
),

wholes as (
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

part_candidates as (
    select
        wholes.rule_id,
        wholes.document_id,
        wholes.source_kind,
        wholes.source_ref,
        parts.value_numeric as part_value,
        parts.source_line as part_line,
        parts.figure_position as part_position,
        parts.has_percent_sign and parts.value_type = 'count' as is_doubtful,
        row_number() over (
            partition by wholes.rule_id, wholes.document_id, wholes.source_kind,
            wholes.source_ref, rule_parts.part_code
            order by abs(parts.figure_position - wholes.figure_position)
        ) as nearness
    from wholes
    inner join rule_parts
        on wholes.rule_id = rule_parts.rule_id
    inner join facts as parts
        on
            wholes.document_id = parts.document_id
            and wholes.figure_group = parts.figure_group
            and wholes.scope = parts.scope
            and parts.indicator_code = rule_parts.part_code
            and parts.value_numeric is not null
),

part_sums as (
    select
        rule_id,
        document_id,
        source_kind,
        source_ref,
        sum(part_value) as parts_total,
        string_agg(
            regexp_replace(cast(part_value as varchar), '\.0$', ''), ' + '
            order by part_position
        ) as parts_written,
        list(distinct part_line order by part_line) as part_lines
    from part_candidates
    where nearness = 1
    group by rule_id, document_id, source_kind, source_ref
    having not bool_or(is_doubtful)
),

evaluated as (
    select
        wholes.rule_id,
        wholes.rule_family,
        wholes.severity,
        wholes.document_id,
        wholes.agency_key,
        wholes.period_key,
        wholes.indicator_code,
        part_sums.parts_total as reported_value,
        wholes.value_numeric as expected_value,
        array_to_string(
            list_distinct(list_prepend(wholes.source_line, part_sums.part_lines)), ', '
        ) as source_lines,
        wholes.raw_value_text,
        part_sums.parts_written
    from wholes
    inner join part_sums
        on
            wholes.rule_id = part_sums.rule_id
            and wholes.document_id = part_sums.document_id
            and wholes.source_kind = part_sums.source_kind
            and wholes.source_ref = part_sums.source_ref
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
