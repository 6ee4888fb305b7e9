{#- The "nearest parts" lookup shared by the rule families sum and part_whole (one place).
    Emits three CTEs for a model that already has `rules` (one family's rules: the whole
    in indicator_code, its parts pipe-separated in related_codes), `anchors` (each whole a
    report gives, with its rule_id) and `facts` (the fact table): for each listed part the
    same report gives in the same table or sentence and scope — the nearest one where it
    gives several — and per whole (`part_sums`): parts_listed, parts_present, parts_total,
    the parts as written and their lines, and whether a part is a count written as a
    percent (doubtful). -#}
{% macro nearest_part_sums() -%}
rule_parts as (
    select
        rule_id,
        unnest(string_split(related_codes, '|')) as part_code,
        len(string_split(related_codes, '|')) as parts_listed
    from rules
    where coalesce(related_codes, '') <> ''
),

part_candidates as (
    select
        anchors.rule_id,
        anchors.document_id,
        anchors.source_kind,
        anchors.source_ref,
        rule_parts.parts_listed,
        parts.value_numeric as part_value,
        parts.source_line as part_line,
        parts.figure_position as part_position,
        parts.has_percent_sign and parts.value_type = 'count' as is_doubtful,
        row_number() over (
            partition by
                anchors.rule_id, anchors.document_id, anchors.source_kind,
                anchors.source_ref, rule_parts.part_code
            order by abs(parts.figure_position - anchors.figure_position)
        ) as nearness
    from anchors
    inner join rule_parts
        on anchors.rule_id = rule_parts.rule_id
    inner join facts as parts
        on
            anchors.document_id = parts.document_id
            and anchors.figure_group = parts.figure_group
            and anchors.scope = parts.scope
            and rule_parts.part_code = parts.indicator_code
            and parts.value_numeric is not null
),

part_sums as (
    select
        rule_id,
        document_id,
        source_kind,
        source_ref,
        any_value(parts_listed) as parts_listed,
        count(*) as parts_present,
        sum(part_value) as parts_total,
        bool_or(is_doubtful) as has_doubtful_part,
        string_agg(
            {{ number_text('part_value') }}, ' + ' order by part_position
        ) as parts_written,
        list(distinct part_line order by part_line) as part_lines
    from part_candidates
    where nearness = 1
    group by rule_id, document_id, source_kind, source_ref
)
{%- endmacro %}
