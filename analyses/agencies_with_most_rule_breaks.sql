-- Agencies with the most reporting-rule breaks, with their share of checks passed.
with

quality as (
    select * from {{ ref('qa_agency_report_quality') }}
),

final as (
    select
        agency_name_vi,
        period_label_vi,
        rules_broken,
        errors,
        rules_checked,
        share_passed
    from quality
)

select * from final
order by rules_broken desc, share_passed asc
