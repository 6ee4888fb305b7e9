-- Rule family `sum`: parts that partition a total add up to it. A rule applies only
-- where the report gives the total and every part the rule lists (in the same table, or
-- the same sentence); where a part is missing, rule family part_whole applies instead.
-- Also: a total or subtotal row of a cross-tab equals the rows under it.
with

facts as (
    select * from {batch} as fact_rows
),

rules as (
    select * from raw.reporting_rules where rule_family = 'sum'
),

anchors as (
    select
        facts.*,
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        rules.template_code
    from facts
    inner join rules
        on facts.indicator_code = rules.indicator_code
    where
        facts.figure_kind = 'actual'
        and facts.value_numeric is not null
        and (coalesce(rules.template_code, '') = '' or rules.template_code = facts.document_template)
),

-- include: _nearest_parts.sql

catalog_rules as (
    select
        anchors.rule_id,
        anchors.rule_family,
        anchors.severity,
        anchors.document_id,
        anchors.agency_key,
        anchors.period_key,
        anchors.indicator_code,
        anchors.value_numeric as reported_value,
        part_sums.parts_total as expected_value,
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
    where part_sums.parts_present = part_sums.parts_listed
),

-- cross-tab subtotals: a row equals the sum of the rows under it, per value column;
-- a 'Cộng …' row equals the sum of the other rows at its level
crosstab_rows as (
    select
        raw_rows.document_id,
        raw_rows.table_no,
        raw_rows.row_no,
        raw_rows.value_column_no,
        raw_rows.parent_row_no,
        raw_rows.depth,
        raw_rows.indicator_text,
        raw_rows.value_column,
        facts.value_numeric,
        facts.raw_value_text,
        facts.source_line,
        facts.agency_key,
        facts.period_key,
        facts.indicator_code,
        regexp_matches(lower(raw_rows.indicator_text), '^(tổng\s+)?cộng\b') as is_sum_row
    from raw.appendix_rows as raw_rows
    inner join facts
        on
            raw_rows.document_id = facts.document_id
            and facts.source_ref = 'table ' || raw_rows.table_no || ' row ' || raw_rows.row_no
            || ' col ' || raw_rows.value_column_no
    where raw_rows.table_kind = 'crosstab'
),

subtotal_children as (
    select
        parents.document_id,
        parents.table_no,
        parents.row_no,
        parents.value_column_no,
        count(*) as children,
        count(children.value_numeric) as children_reported,
        sum(children.value_numeric) as children_total,
        string_agg(children.source_line, ', ' order by children.row_no) as child_lines
    from crosstab_rows as parents
    inner join crosstab_rows as children
        on
            parents.document_id = children.document_id
            and parents.table_no = children.table_no
            and parents.value_column_no = children.value_column_no
            and (
                children.parent_row_no = parents.row_no
                or (
                    parents.is_sum_row and not children.is_sum_row
                    and children.depth = parents.depth and children.row_no <> parents.row_no
                )
            )
    group by 1, 2, 3, 4
),

subtotals as (
    select
        'sum.table_subtotals' as rule_id,
        'sum' as rule_family,
        rules.severity,
        parents.document_id,
        parents.agency_key,
        parents.period_key,
        parents.indicator_code,
        parents.value_numeric as reported_value,
        subtotal_children.children_total as expected_value,
        concat_ws(', ', parents.source_line, subtotal_children.child_lines) as source_lines,
        parents.raw_value_text,
        parents.indicator_text || ' / ' || parents.value_column as parts_written
    from crosstab_rows as parents
    inner join subtotal_children
        on
            parents.document_id = subtotal_children.document_id
            and parents.table_no = subtotal_children.table_no
            and parents.row_no = subtotal_children.row_no
            and parents.value_column_no = subtotal_children.value_column_no
    inner join rules
        on rules.rule_id = 'sum.table_subtotals'
    where
        parents.value_numeric is not null
        and subtotal_children.children = subtotal_children.children_reported
),

evaluated as (
    select * from catalog_rules
    union all
    select * from subtotals
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
    abs(evaluated.reported_value - evaluated.expected_value) > 1e-9 as is_broken,
    format(
        'Tổng "{{}}" ghi {{}} nhưng các thành phần ({{}}) cộng lại bằng {{}} (dòng {{}}).',
        coalesce(indicator.name_vi, evaluated.parts_written), evaluated.raw_value_text,
        evaluated.parts_written, regexp_replace(cast(evaluated.expected_value as varchar), '\.0$', ''),
        evaluated.source_lines
    ) as message_vi,
    format(
        'The total "{{}}" is written as {{}} but its parts ({{}}) add up to {{}} (lines {{}}).',
        coalesce(indicator.name_en, evaluated.parts_written), evaluated.raw_value_text,
        evaluated.parts_written, regexp_replace(cast(evaluated.expected_value as varchar), '\.0$', ''),
        evaluated.source_lines
    ) as message_en
from evaluated
left join marts.dim_indicator as indicator
    on evaluated.indicator_code = indicator.indicator_code
