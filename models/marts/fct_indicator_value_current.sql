-- One row per (agency, period, indicator, scope): the actual figure from the document
-- with the latest report date (ingest time breaks ties and stands in where a date is
-- missing); within one document a table figure wins over a narrative one, a reported
-- figure over an empty cell. Every version stays in fct_indicator_value.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by agency_key, period_key, indicator_key, scope
            order by
                coalesce(report_date, cast(ingested_at as date)) desc,
                ingested_at desc,
                document_id asc,
                case source_kind when 'table' then 0 else 1 end,
                is_empty asc,
                source_ref asc
        ) as version_rank,
        count(distinct document_id) over (
            partition by agency_key, period_key, indicator_key, scope
        ) as versions_reported
    from facts
    where figure_kind = 'actual' and indicator_code is not null
),

final as (
    select * exclude (version_rank)
    from ranked
    where version_rank = 1
)

select * from final
