-- One row per document version, placed: its period, its province as it was in that
-- period (the 63 before the 2025 merger, the 34 after: the eras' days come from the
-- provinces seed), its agency, and which version of the same report it is (the one
-- place that decides supersession).
with

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

periods as (
    select * from {{ ref('int_periods_generated') }}
),

province_aliases as (
    select * from {{ ref('int_province_aliases_resolved') }}
),

abbreviation_map as (
    select * from {{ ref('int_abbreviation_map') }}
),

with_period as (
    select
        documents.*,
        periods.period_key,
        periods.nominal_start_date,
        periods.nominal_end_date,
        -- the day that decides the province's era: a plan's issue date, otherwise the
        -- last day of the period the figures are for
        case
            when documents.period_type = 'plan'
                then coalesce(documents.report_date, periods.nominal_start_date)
            else periods.nominal_end_date
        end as era_date
    from documents
    left join periods
        on {{ period_key('documents.period_type', 'documents.period_year',
            'documents.period_number', 'documents.period_end_year') }} = periods.period_key
),

with_province as (
    select
        with_period.*,
        province_aliases.province_key,
        province_aliases.province_code,
        province_aliases.province_2025_code,
        province_aliases.province_name_vi
    from with_period
    -- the province version whose days hold era_date, inside the era whose days hold it
    -- (int_province_aliases_resolved)
    left join province_aliases
        on
            {{ fold_text('with_period.province_name') }} = province_aliases.alias_key
            and with_period.era_date >= province_aliases.era_valid_from
            and (
                province_aliases.era_valid_to is null
                or with_period.era_date <= province_aliases.era_valid_to
            )
            and with_period.era_date >= province_aliases.province_valid_from
            and (
                province_aliases.province_valid_to is null
                or with_period.era_date <= province_aliases.province_valid_to
            )
),

with_agency as (
    select
        with_province.*,
        {{ expand_abbreviations(fold_text('with_province.agency_name'),
            'abbreviation_map.abbreviation_map') }} as agency_name_folded,
        case
            when
                strpos(
                    {{ fold_text('with_province.agency_name') }},
                    {{ fold_text('with_province.province_name_vi') }}
                ) > 0
                then with_province.agency_name
            when {{ fold_text('with_province.agency_name') }} like '% tinh'
                then with_province.agency_name || ' ' || with_province.province_name_vi
            else with_province.agency_name || ' tỉnh ' || with_province.province_name_vi
        end as agency_full_name_vi
    from with_province
    cross join abbreviation_map
),

with_role as (
    select
        *,
        -- the agency's role without its province: 'so thong tin va truyen thong'
        regexp_replace(
            regexp_replace(
                agency_name_folded,
                ' ' || coalesce({{ fold_text('province_name_vi') }}, '') || '$', ''
            ),
            ' (tinh|thanh pho)$', ''
        ) as agency_role_folded
    from with_agency
),

-- supersession, decided here only: the versions of one report (same agency, province,
-- period and kind), latest first by report date, then by when ingest loaded them
versions as (
    select
        *,
        row_number() over report_versions as version_rank,
        lead(document_id) over report_versions as supersedes_document_id
    from with_role
    window report_versions as (
        partition by agency_role_folded, province_key, period_key, document_kind
        order by report_date desc nulls last, ingested_at desc, document_id asc
    )
),

final as (
    select
        * exclude (version_rank),
        md5(agency_role_folded || '|' || coalesce(province_key, '?')) as agency_key,
        version_rank = 1 as is_latest_version
    from versions
)

select * from final
