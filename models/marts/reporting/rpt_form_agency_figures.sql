-- One row per figure an agency's own filled form shows: agency × period × form item,
-- from the current version of the agency's report (scope 'agency', actual figures, not a
-- plan's span of years), with what the cell holds (`cell_kind`), the flags behind it and
-- the file and line it came from. An item the agency did not report has no row.
with

facts as (
    select * from {{ ref('fct_indicator_value_current') }}
),

items as (
    select * from {{ ref('rpt_form_items') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

on_the_form as (
    select
        facts.agency_key,
        facts.period_key,
        facts.indicator_key,
        items.bnv_code,
        coalesce(agencies.full_name_vi, agencies.name_vi, facts.agency_key) as agency_name_vi,
        coalesce(periods.label_vi, facts.period_key) as period_label_vi,
        facts.value_numeric,
        facts.value_code,
        facts.value_label_vi,
        facts.value_text,
        facts.raw_value_text,
        coalesce(facts.is_derived, false) as is_derived,
        facts.value_numeric is not null
        and coalesce(facts.has_percent_sign, false)
        and coalesce(items.value_type, 'percent') <> 'percent' as is_percent_written_for_count,
        facts.file_path,
        facts.source_line
    from facts
    inner join items
        on facts.indicator_key = items.indicator_key
    left join agencies
        on facts.agency_key = agencies.agency_key
    left join periods
        on facts.period_key = periods.period_key
    where
        facts.scope = 'agency'
        and coalesce(facts.figure_kind, 'actual') = 'actual'
        and coalesce(periods.period_type, '') <> 'plan'
),

final as (
    select
        agency_key,
        period_key,
        indicator_key,
        bnv_code,
        agency_name_vi,
        period_label_vi,
        case
            when value_code is not null then 'code'
            when is_percent_written_for_count then 'as_written'
            when value_numeric is not null and is_derived then 'derived'
            when value_numeric is not null then 'number'
            when value_text is not null and value_text <> '' then 'text'
        end as cell_kind,
        value_numeric,
        value_code,
        value_label_vi,
        value_text,
        raw_value_text,
        is_derived,
        is_percent_written_for_count,
        file_path,
        source_line
    from on_the_form
)

select * from final
where cell_kind is not null
