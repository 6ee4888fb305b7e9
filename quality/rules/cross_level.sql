-- Rule family `cross_level`: a figure for the whole province that a department reports
-- for its sector equals the province's own report of the same indicator and period.
with

facts as (
    select * from {batch} as fact_rows
),

rules as (
    select * from raw.reporting_rules where rule_family = 'cross_level'
),

current_figures as (
    select facts.*, agency.agency_type_code
    from facts
    inner join marts.dim_agency as agency
        on facts.agency_key = agency.agency_key
    where
        facts.figure_kind = 'actual'
        and facts.scope = 'province'
        and facts.value_numeric is not null
        and facts.is_latest_document_version
        and facts.indicator_code is not null
),

pairs as (
    select
        sector.document_id,
        sector.agency_key,
        sector.period_key,
        sector.indicator_code,
        sector.value_numeric as reported_value,
        province.value_numeric as expected_value,
        sector.raw_value_text,
        province.raw_value_text as province_text,
        concat_ws(', ', sector.source_line, province.file_path || ' ' || province.source_line)
        as source_lines,
        0.5 * pow(10, -least(sector.decimals_written, province.decimals_written)) + 1e-9
        as tolerance
    from current_figures as sector
    inner join current_figures as province
        on
            sector.province_key = province.province_key
            and sector.period_key = province.period_key
            and sector.indicator_code = province.indicator_code
    where sector.agency_type_code <> 'province' and province.agency_type_code = 'province'
)

select
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
    abs(pairs.reported_value - pairs.expected_value) > pairs.tolerance as is_broken,
    format(
        'Số liệu toàn tỉnh "{{}}" do sở báo cáo là {{}} nhưng báo cáo của UBND tỉnh ghi {{}} ({{}}).',
        indicator.name_vi, pairs.raw_value_text, pairs.province_text, pairs.source_lines
    ) as message_vi,
    format(
        'The province-wide figure "{{}}" a department reports is {{}} but the province reports {{}} ({{}}).',
        indicator.name_en, pairs.raw_value_text, pairs.province_text, pairs.source_lines
    ) as message_en
from pairs
inner join marts.dim_indicator as indicator
    on pairs.indicator_code = indicator.indicator_code
cross join rules
