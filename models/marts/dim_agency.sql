-- One row per reporting agency version: its name, type and province as they were.
-- Agencies are renamed, merged and ended: a new name or province is a new version, and
-- district-level agencies end on 30 June 2025 (seed agency_types).
with

documents as (
    select * from {{ ref('int_documents_placed') }}
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

named as (
    select
        agency_key,
        arg_max(agency_name, coalesce(report_date, cast(ingested_at as date))) as name_vi,
        arg_max(agency_full_name_vi, coalesce(report_date, cast(ingested_at as date)))
            as full_name_vi,
        any_value(agency_role_folded) as agency_role_folded,
        any_value(agency_type_code) as agency_type_code,
        any_value(province_key) as province_key,
        min(nominal_start_date) as first_period_start_date,
        max(nominal_end_date) as last_period_end_date
    from documents
    group by agency_key
),

english_names as (
    select
        regexp_replace(
            {{ expand_abbreviations(fold_text('agency_names.name_vi'),
                'abbreviation_map.abbreviation_map') }},
            ' (tinh|thanh pho)$', ''
        ) as role_folded,
        agency_names.name_en
    from agency_names
    cross join abbreviation_map
),

final as (
    select
        named.agency_key,
        named.name_vi,
        named.full_name_vi,
        english_names.name_en,
        named.agency_role_folded as role_key,
        named.agency_type_code,
        agency_types.name_vi as agency_type_name_vi,
        agency_types.name_en as agency_type_name_en,
        named.province_key,
        named.first_period_start_date as valid_from,
        agency_types.valid_to
    from named
    left join agency_types
        on named.agency_type_code = agency_types.agency_type_code
    left join english_names
        on named.agency_role_folded = english_names.role_folded
)

select * from final
