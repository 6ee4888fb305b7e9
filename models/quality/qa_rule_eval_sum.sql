-- Rule family `sum`: parts that partition a total add up to it. A rule applies only
-- where the report gives the total and every part the rule lists (in the same table, or
-- the same sentence); where a part is missing, rule family part_whole applies instead.
-- Also (rule sum.table_subtotals): a total or subtotal row of a cross-tab equals the rows
-- under it, per value column; a total row (var qa_total_row_pattern, 'Cộng …') equals
-- the sum of the other rows at its level.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

appendix_rows as (
    select * from {{ ref('stg_raw__appendix_rows') }}
),

all_rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_family = 'sum'
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

rules as (
    select * from all_rules
    where rule_id <> 'sum.table_subtotals'
),

anchors as (
    select
        facts.*,
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        rules.template_code,
        rules.tolerance
    from facts
    inner join rules
        on facts.indicator_code = rules.indicator_code
    where
        facts.figure_kind = 'actual'
        and facts.value_numeric is not null
        and (
            coalesce(rules.template_code, '') = ''
            or rules.template_code = facts.document_template
        )
),

{{ nearest_part_sums() }},

catalog_rules as (
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
        anchors.value_numeric as reported_value,
        part_sums.parts_total as expected_value,
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
    where part_sums.parts_present = part_sums.parts_listed
),

crosstab_rows as (
    select
        appendix_rows.document_id,
        appendix_rows.source_kind,
        appendix_rows.source_ref,
        appendix_rows.table_no,
        appendix_rows.row_no,
        appendix_rows.value_column_no,
        appendix_rows.parent_row_no,
        appendix_rows.depth,
        appendix_rows.raw_indicator_text,
        appendix_rows.value_column,
        facts.value_numeric,
        facts.raw_value_text,
        facts.source_line,
        facts.agency_key,
        facts.period_key,
        facts.indicator_code,
        regexp_matches(
            lower(appendix_rows.raw_indicator_text), '{{ var("qa_total_row_pattern") }}'
        ) as is_sum_row
    from appendix_rows
    inner join facts
        on
            appendix_rows.document_id = facts.document_id
            and appendix_rows.source_kind = facts.source_kind
            and appendix_rows.source_ref = facts.source_ref
    where appendix_rows.table_kind = 'crosstab'
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
                parents.row_no = children.parent_row_no
                or (
                    parents.is_sum_row
                    and not children.is_sum_row
                    and parents.depth = children.depth
                    and parents.row_no <> children.row_no
                )
            )
    group by
        parents.document_id, parents.table_no, parents.row_no, parents.value_column_no
),

subtotals as (
    select
        all_rules.rule_id,
        all_rules.rule_family,
        all_rules.severity,
        parents.document_id,
        parents.source_kind,
        parents.source_ref,
        parents.agency_key,
        parents.period_key,
        parents.indicator_code,
        parents.value_numeric as reported_value,
        subtotal_children.children_total as expected_value,
        concat_ws(', ', parents.source_line, subtotal_children.child_lines) as source_lines,
        parents.raw_value_text,
        parents.raw_indicator_text || ' / ' || parents.value_column as parts_written,
        all_rules.tolerance
    from crosstab_rows as parents
    inner join subtotal_children
        on
            parents.document_id = subtotal_children.document_id
            and parents.table_no = subtotal_children.table_no
            and parents.row_no = subtotal_children.row_no
            and parents.value_column_no = subtotal_children.value_column_no
    inner join all_rules
        on all_rules.rule_id = 'sum.table_subtotals'
    where
        parents.value_numeric is not null
        and subtotal_children.children = subtotal_children.children_reported
),

evaluated as (
    select * from catalog_rules
    union all
    select * from subtotals
),

final as (
    select
        {{ rule_evaluation_columns('evaluated') }},
        coalesce(
            abs(evaluated.reported_value - evaluated.expected_value)
            > coalesce(evaluated.tolerance, 0) + {{ var('qa_float_epsilon') }},
            false
        ) as is_broken,
        format(
            'Tổng "{}" ghi {} nhưng các thành phần ({}) cộng lại bằng {} (dòng {}).',
            coalesce(indicators.name_vi, evaluated.parts_written), evaluated.raw_value_text,
            evaluated.parts_written, {{ number_text('evaluated.expected_value') }},
            evaluated.source_lines
        ) as message_vi,
        format(
            'The total "{}" is written as {} but its parts ({}) add up to {} (lines {}).',
            coalesce(indicators.name_en, evaluated.parts_written), evaluated.raw_value_text,
            evaluated.parts_written, {{ number_text('evaluated.expected_value') }},
            evaluated.source_lines
        ) as message_en
    from evaluated
    left join indicators
        on evaluated.indicator_code = indicators.indicator_code
)

select * from final
