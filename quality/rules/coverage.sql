-- Rule `required.expected_reporters`: every agency the expected_reporters seed lists for
-- a province reports for each period of its period types in which the province has any
-- report at all; a report is late when its date is after the regime's due date.
with

facts as (
    select * from {batch} as fact_rows
),

rules as (
    select * from raw.reporting_rules where rule_id = 'required.expected_reporters'
),

expected as (
    select
        province_code,
        era,
        agency_role,
        agency_name_vi,
        agency_type_code,
        unnest(string_split(period_types, '|')) as period_type
    from raw.expected_reporters
),

reports as (
    select distinct
        facts.document_id,
        facts.agency_key,
        facts.period_key,
        facts.province_key,
        facts.report_date,
        facts.file_path
    from facts
),

placed_reports as (
    select
        reports.*,
        agency.role_key,
        province.province_code,
        province.era,
        period.period_type,
        period.due_date,
        period.label_vi as period_label_vi,
        period.label_en as period_label_en
    from reports
    inner join marts.dim_agency as agency on reports.agency_key = agency.agency_key
    inner join marts.dim_province as province on reports.province_key = province.province_key
    inner join marts.dim_period as period on reports.period_key = period.period_key
),

province_periods as (
    select distinct
        province_code, era, period_key, period_type, due_date, period_label_vi,
        period_label_en
    from placed_reports
),

expected_periods as (
    select
        expected.*,
        province_periods.period_key,
        province_periods.due_date,
        province_periods.period_label_vi,
        province_periods.period_label_en
    from expected
    inner join province_periods
        on
            expected.province_code = province_periods.province_code
            and expected.era = province_periods.era
            and expected.period_type = province_periods.period_type
),

matched as (
    select
        expected_periods.*,
        min(placed_reports.report_date) as first_report_date,
        any_value(placed_reports.document_id) as document_id,
        any_value(placed_reports.agency_key) as agency_key,
        count(placed_reports.document_id) as reports
    from expected_periods
    left join placed_reports
        on
            expected_periods.province_code = placed_reports.province_code
            and expected_periods.era = placed_reports.era
            and expected_periods.period_key = placed_reports.period_key
            and expected_periods.agency_role = placed_reports.role_key
    group by all
)

select
    rules.rule_id,
    rules.rule_family,
    rules.severity,
    matched.document_id,
    matched.agency_key,
    matched.period_key,
    cast(null as varchar) as indicator_code,
    cast(matched.reports as double) as reported_value,
    cast(null as double) as expected_value,
    '' as source_lines,
    matched.reports = 0 as is_broken,
    matched.agency_name_vi,
    matched.province_code,
    matched.due_date,
    matched.first_report_date,
    case
        when matched.reports = 0 then 'missing'
        when matched.first_report_date is null then 'reported (date unknown)'
        when matched.first_report_date > matched.due_date then 'late'
        else 'on time'
    end as coverage_status,
    format(
        '{{}} chưa gửi báo cáo {{}} (hạn {{}}).',
        matched.agency_name_vi, matched.period_label_vi, matched.due_date
    ) as message_vi,
    format(
        '{{}} has not sent its report for {{}} (due {{}}).',
        matched.agency_name_vi, matched.period_label_en, matched.due_date
    ) as message_en
from matched
cross join rules
