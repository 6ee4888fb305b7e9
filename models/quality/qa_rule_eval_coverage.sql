-- Rule `required.expected_reporters`: every agency dim_agency expects to report (the
-- standard structure of every province, the agencies the expected_reporters seed lists,
-- and those seen reporting, each for its period types) reports for each period in which
-- its province has any report at all and its version exists (the period's last day
-- inside valid_from / valid_to); a report is late when its date is after the regime's due
-- date. Every row carries the expected agency's key, so findings group by agency.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_id = 'required.expected_reporters'
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

expected as (
    select
        agencies.agency_key,
        agencies.role_key as agency_role,
        agencies.full_name_vi as agency_name_vi,
        agencies.agency_type_code,
        agencies.province_key,
        agencies.valid_from,
        agencies.valid_to,
        unnest(string_split(agencies.expected_period_types, '|')) as period_type
    from agencies
    where agencies.expected_period_types is not null
),

-- a report is for its own period: a figure it states for an earlier one (is_stated_later)
-- does not make that period one the province reported for
reports as (
    select distinct
        facts.document_id,
        facts.agency_key,
        facts.period_key,
        facts.province_key,
        facts.report_date,
        facts.file_path
    from facts
    where not coalesce(facts.is_stated_later, false)
),

placed_reports as (
    select
        reports.*,
        provinces.province_code,
        provinces.era,
        periods.period_type,
        periods.due_date,
        periods.nominal_end_date,
        periods.label_vi as period_label_vi,
        periods.label_en as period_label_en
    from reports
    inner join provinces on reports.province_key = provinces.province_key
    inner join periods on reports.period_key = periods.period_key
),

province_periods as (
    select distinct
        province_key,
        province_code,
        era,
        period_key,
        period_type,
        due_date,
        nominal_end_date,
        period_label_vi,
        period_label_en
    from placed_reports
),

expected_periods as (
    select
        expected.*,
        province_periods.province_code,
        province_periods.era,
        province_periods.period_key,
        province_periods.due_date,
        province_periods.period_label_vi,
        province_periods.period_label_en
    from expected
    inner join province_periods
        on
            expected.province_key = province_periods.province_key
            and expected.period_type = province_periods.period_type
            and expected.valid_from <= province_periods.nominal_end_date
            and (
                expected.valid_to is null
                or expected.valid_to >= province_periods.nominal_end_date
            )
),

matched as (
    select
        expected_periods.agency_key,
        expected_periods.province_code,
        expected_periods.era,
        expected_periods.agency_role,
        expected_periods.agency_name_vi,
        expected_periods.period_key,
        expected_periods.due_date,
        expected_periods.period_label_vi,
        expected_periods.period_label_en,
        min(placed_reports.report_date) as first_report_date,
        any_value(placed_reports.document_id) as document_id,
        count(placed_reports.document_id) as reports
    from expected_periods
    left join placed_reports
        on
            expected_periods.agency_key = placed_reports.agency_key
            and expected_periods.period_key = placed_reports.period_key
    group by
        expected_periods.agency_key,
        expected_periods.province_code,
        expected_periods.era,
        expected_periods.agency_role,
        expected_periods.agency_name_vi,
        expected_periods.period_key,
        expected_periods.due_date,
        expected_periods.period_label_vi,
        expected_periods.period_label_en
),

final as (
    select
        concat_ws(
            ' | ', rules.rule_id, matched.province_code, matched.era, matched.agency_role,
            matched.period_key
        ) as evaluation_key,
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
            '{} chưa gửi báo cáo {} (hạn {}).',
            matched.agency_name_vi, matched.period_label_vi, matched.due_date
        ) as message_vi,
        format(
            '{} has not sent its report for {} (due {}).',
            matched.agency_name_vi, matched.period_label_en, matched.due_date
        ) as message_en
    from matched
    cross join rules
)

select * from final
