-- Rule family `cross_level`: a figure for the whole province that a department reports
-- for its sector equals the province's own report of the same indicator and period
-- (within the rounding written).
with

facts as (
    -- the current figure of each agency, period, indicator and scope (the versions rule)
    select * from {{ ref('fct_indicator_value_current') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_family = 'cross_level'
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

current_figures as (
    select
        facts.*,
        agencies.agency_type_code
    from facts
    inner join agencies
        on facts.agency_key = agencies.agency_key
    where
        facts.figure_kind = 'actual'
        and facts.scope = 'province'
        and facts.value_numeric is not null
        and facts.indicator_code is not null
),

pairs as (
    select
        sector.document_id,
        sector.source_kind,
        sector.source_ref,
        province.document_id as province_document_id,
        province.source_kind as province_source_kind,
        province.source_ref as province_source_ref,
        sector.agency_key,
        sector.period_key,
        sector.indicator_code,
        sector.value_numeric as reported_value,
        province.value_numeric as expected_value,
        sector.raw_value_text,
        province.raw_value_text as province_text,
        concat_ws(', ', sector.source_line, province.file_path || ' ' || province.source_line)
            as source_lines,
        {{ rounding_tolerance('least(sector.decimals_written, province.decimals_written)') }}
            as tolerance
    from current_figures as sector
    inner join current_figures as province
        on
            sector.province_key = province.province_key
            and sector.period_key = province.period_key
            and sector.indicator_code = province.indicator_code
    where sector.agency_type_code <> 'province' and province.agency_type_code = 'province'
),

final as (
    select
        concat_ws(
            ' | ', rules.rule_id, pairs.document_id, pairs.source_kind, pairs.source_ref,
            pairs.province_document_id, pairs.province_source_kind, pairs.province_source_ref
        ) as evaluation_key,
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        pairs.document_id,
        pairs.agency_key,
        pairs.period_key,
        pairs.indicator_code,
        pairs.reported_value,
        pairs.expected_value,
        pairs.source_lines,
        coalesce(
            abs(pairs.reported_value - pairs.expected_value)
            > pairs.tolerance + coalesce(rules.tolerance, 0),
            false
        ) as is_broken,
        format(
            'Số liệu toàn tỉnh "{}" do sở báo cáo là {} '
            || 'nhưng báo cáo của UBND tỉnh ghi {} ({}).',
            indicators.name_vi, pairs.raw_value_text, pairs.province_text, pairs.source_lines
        ) as message_vi,
        format(
            'The province-wide figure "{}" a department reports is {} '
            || 'but the province reports {} ({}).',
            indicators.name_en, pairs.raw_value_text, pairs.province_text, pairs.source_lines
        ) as message_en
    from pairs
    inner join indicators
        on pairs.indicator_code = indicators.indicator_code
    cross join rules
)

select * from final
