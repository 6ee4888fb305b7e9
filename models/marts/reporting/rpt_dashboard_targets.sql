-- One row per plan target the dashboard's targets chart draws: mart_target_attainment
-- rows with a target value, with the indicator's unit and the status in words
-- (seeds/code_labels.csv), in the chart's order.
with

targets as (
    select * from {{ ref('mart_target_attainment') }}
),

labels as (
    select * from {{ ref('code_labels') }}
    where code_set = 'attainment_status'
),

final as (
    select
        targets.document_id,
        targets.source_line,
        targets.indicator_code,
        targets.target_year,
        targets.comparator,
        targets.target_value,
        row_number() over (
            order by
                targets.indicator_code asc,
                targets.target_year asc,
                try_cast(targets.source_line as integer) asc,
                targets.source_line asc,
                targets.comparator asc,
                targets.target_value asc
        ) as chart_order,
        targets.file_path,
        targets.plan_section,
        targets.indicator_name_vi,
        targets.indicator_name_en,
        targets.target_text,
        targets.actual_value,
        targets.actual_period_key,
        targets.gap_to_target,
        targets.attainment_status,
        labels.label_vi as attainment_label_vi,
        targets.unit_code
    from targets
    left join labels
        on targets.attainment_status = labels.code
    where targets.target_value is not null
)

select * from final
