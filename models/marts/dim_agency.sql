-- One row per agency version: every agency expected to report in every province of both
-- eras (int_agencies_expected: the standard structure × the provinces, and the agencies
-- the expected_reporters seed adds), then every agency seen in reports that is none of
-- them. Agencies are renamed, merged and ended: a new name, a merger or a new province is a
-- new version (valid_from / valid_to); versions of one line share agency_line_key (in
-- the 2025 unit, so a series compares across both reforms), and a line that ended in a
-- merger names the line that took it over (successor_line_key). District-level agencies
-- end on 30 June 2025 (seed agency_types).
with

documents as (
    select * from {{ ref('int_documents_placed') }}
),

expected as (
    select * from {{ ref('int_agencies_expected') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

agency_types as (
    select * from {{ ref('agency_types') }}
),

agency_names as (
    select * from {{ ref('agency_names') }}
),

abbreviation_map as (
    select * from {{ ref('int_abbreviation_map') }}
),

reported as (
    select
        agency_key,
        -- the latest report's wording; reports of the same day (an appendix, a
        -- resubmission) tie, so the document id settles it: the same name every night
        arg_max(
            agency_name, (coalesce(report_date, cast(ingested_at as date)), document_id)
        ) as name_vi,
        arg_max(
            agency_full_name_vi,
            (coalesce(report_date, cast(ingested_at as date)), document_id)
        ) as full_name_vi,
        any_value(agency_role_folded) as agency_role_folded,
        any_value(agency_type_code) as agency_type_code,
        any_value(province_key) as province_key,
        min(nominal_start_date) as first_period_start_date,
        max(nominal_end_date) as last_period_end_date,
        count(distinct document_id) as documents
    from documents
    group by agency_key
),

-- agencies seen in reports that no expected version is (a district, a department of
-- its own, a name as written)
seen_only as (
    select
        reported.agency_key,
        md5(
            reported.agency_role_folded || '|'
            || coalesce(provinces.province_2025_key, reported.province_key, '?')
        ) as agency_line_key,
        cast(null as varchar) as successor_line_key,
        reported.name_vi,
        reported.full_name_vi,
        reported.agency_role_folded as role_key,
        reported.agency_type_code,
        reported.province_key,
        provinces.province_2025_key,
        reported.first_period_start_date as valid_from,
        agency_types.valid_to,
        'seen in reports' as expected_by,
        -- seen reporting: expected for the regular periods from its first one on
        'quarter|half_year|nine_months|year' as expected_period_types
    from reported
    left join provinces
        on reported.province_key = provinces.province_key
    left join agency_types
        on reported.agency_type_code = agency_types.agency_type_code
    where not exists (
        select 1 from expected
        where expected.agency_key = reported.agency_key
    )
),

listed as (
    select
        expected.agency_key,
        expected.agency_line_key,
        expected.successor_line_key,
        coalesce(reported.name_vi, expected.name_vi) as name_vi,
        expected.full_name_vi,
        expected.role_key,
        expected.agency_type_code,
        expected.province_key,
        expected.province_2025_key,
        expected.valid_from,
        expected.valid_to,
        expected.expected_by,
        expected.period_types as expected_period_types
    from expected
    left join reported
        on expected.agency_key = reported.agency_key
),

unioned as (
    select * from listed
    union all
    select * from seen_only
),

english_names as (
    select
        regexp_replace(
            {{ expand_abbreviations(fold_text('agency_names.name_vi'),
                'abbreviation_map.abbreviation_map') }},
            ' (tinh|thanh pho)$', ''
        ) as role_folded,
        any_value(agency_names.name_en) as name_en
    from agency_names
    cross join abbreviation_map
    group by role_folded
),

final as (
    select
        unioned.agency_key,
        unioned.name_vi,
        unioned.full_name_vi,
        english_names.name_en,
        unioned.role_key,
        unioned.agency_type_code,
        agency_types.name_vi as agency_type_name_vi,
        agency_types.name_en as agency_type_name_en,
        unioned.province_key,
        unioned.valid_from,
        unioned.valid_to,
        unioned.agency_line_key,
        unioned.successor_line_key,
        unioned.province_2025_key,
        unioned.expected_by,
        unioned.expected_period_types,
        coalesce(reported.documents, 0) as documents_reported
    from unioned
    left join agency_types
        on unioned.agency_type_code = agency_types.agency_type_code
    left join english_names
        on unioned.role_key = english_names.role_folded
    left join reported
        on unioned.agency_key = reported.agency_key
)

select * from final
