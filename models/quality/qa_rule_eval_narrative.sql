-- Rule family `narrative`: a figure the report states in a sentence equals the table row
-- of the same indicator in the same report (within the rounding written). A sentence is
-- compared where the table has the indicator for the sentence's scope (the agency's own
-- work, or the whole province) and period (a figure a sentence states about another
-- period is not the table's), and agrees when any table figure of the indicator equals
-- it. Only figures matched by their wording (var qa_narrative_match_methods), not by
-- closeness, are compared, and only those of the report's own period (not stated later).
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_family = 'narrative'
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

stated as (
    select * from facts
    where
        source_kind = 'narrative'
        and figure_kind = 'actual'
        and value_numeric is not null
        and list_contains({{ var('qa_narrative_match_methods') }}, match_method)
        -- a figure stated for an earlier period is not the report's table's
        and not coalesce(is_stated_later, false)
),

tabled as (
    select * from facts
    where source_kind = 'table' and value_numeric is not null
),

compared as (
    select
        stated.document_id,
        stated.source_kind,
        stated.source_ref,
        stated.agency_key,
        stated.period_key,
        stated.indicator_code,
        stated.value_numeric as stated_value,
        stated.raw_value_text as stated_text,
        stated.source_line as stated_line,
        bool_or(
            abs(tabled.value_numeric - stated.value_numeric)
            <= {{ rounding_tolerance('least(stated.decimals_written, tabled.decimals_written)') }}
        ) as agrees,
        arg_min(tabled.value_numeric, abs(tabled.value_numeric - stated.value_numeric))
            as table_value,
        arg_min(tabled.source_line, abs(tabled.value_numeric - stated.value_numeric))
            as table_line
    from stated
    inner join tabled
        on
            stated.document_id = tabled.document_id
            and stated.indicator_code = tabled.indicator_code
            and stated.period_key is not distinct from tabled.period_key
    where
        exists (
            select 1 from tabled as same_scope
            where
                same_scope.document_id = stated.document_id
                and same_scope.indicator_code = stated.indicator_code
                and same_scope.scope = stated.scope
                and same_scope.period_key is not distinct from stated.period_key
        )
    group by
        stated.document_id,
        stated.source_kind,
        stated.source_ref,
        stated.agency_key,
        stated.period_key,
        stated.indicator_code,
        stated.value_numeric,
        stated.raw_value_text,
        stated.source_line
),

final as (
    select
        concat_ws(
            ' | ', rules.rule_id, compared.document_id, compared.source_kind,
            compared.source_ref
        ) as evaluation_key,
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        compared.document_id,
        compared.agency_key,
        compared.period_key,
        compared.indicator_code,
        compared.stated_value as reported_value,
        compared.table_value as expected_value,
        concat_ws(', ', compared.stated_line, compared.table_line) as source_lines,
        coalesce(not compared.agrees, false) as is_broken,
        format(
            'Lời văn nêu "{}" = {} (dòng {}) nhưng bảng phụ lục ghi {} (dòng {}).',
            indicators.name_vi, compared.stated_text, compared.stated_line,
            {{ number_text('compared.table_value') }}, compared.table_line
        ) as message_vi,
        format(
            'The text states "{}" = {} (line {}) but the appendix table has {} (line {}).',
            indicators.name_en, compared.stated_text, compared.stated_line,
            {{ number_text('compared.table_value') }}, compared.table_line
        ) as message_en
    from compared
    inner join indicators
        on compared.indicator_code = indicators.indicator_code
    cross join rules
)

select * from final
