-- One row per document, placed: its period, its province as it was in that period (the
-- 63 before the 2025 merger, the 34 after: the eras' days come from the provinces seed),
-- its agency, and which version of its report it belongs to — the one place that decides
-- supersession (DESIGN.md, "Versions and the current figure"):
--   * a report is one agency's, for one period and document kind (report_key);
--   * files stating the same report number and date are parts of one version
--     (version_key over several document_ids; an appendix sent alone states its body's
--     number and date in its caption "(Kèm theo Báo cáo số … ngày …)", which ingest
--     reads as its own; one stating the number without a date takes its body's date);
--     a file stating no number is a version by itself;
--   * within a version, a newer file at the same path replaces the older one (a file
--     changed in place);
--   * versions are ordered by report date, then by when ingest loaded them; a later
--     version replaces the earlier ones as a whole, unless it only says it supplements
--     (revision_kind): then it adds to the version before it. The current versions are the
--     latest that is not a supplement and the supplements after it;
--   * a document no file of the latest folder scan showed is "source missing": it stays
--     current until a newer version retires it;
--   * its agency is the version of its name in its province as of the report's date
--     (int_agencies_expected: the 2025 reorganisation's departments are versions).
--   * the agency's role is its name without its province written after it, in any of the
--     province's spellings ('ỦY BAN NHÂN DÂN TPHCM' is the committee of Hồ Chí Minh City).
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

ingest_runs as (
    select * from {{ ref('stg_raw__ingest_runs') }}
),

sightings as (
    select * from {{ ref('stg_raw__document_sightings') }}
),

agencies_expected as (
    select * from {{ ref('int_agencies_expected') }}
),

-- the latest run that scanned the folder to the end and recorded what it saw
latest_scan as (
    select ingest_run_id
    from ingest_runs
    where status in ('ok', 'failed_files') and files_sighted is not null
    order by started_at desc, ingest_run_id desc
    limit 1
),

scan_state as (
    select count(*) > 0 as has_scan from latest_scan
),

seen_in_latest_scan as (
    select distinct sightings.document_id
    from sightings
    inner join latest_scan
        on sightings.ingest_run_id = latest_scan.ingest_run_id
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

-- each province's spellings, folded and expanded as agency names are, as one pattern that
-- matches them at the end of a name
province_spellings as (
    select
        province_aliases.province_key,
        ' (' || string_agg(
            distinct {{ expand_abbreviations('province_aliases.alias_key',
                'abbreviation_map.abbreviation_map') }}, '|'
        ) || ')$' as spelling_pattern
    from province_aliases
    cross join abbreviation_map
    group by province_aliases.province_key
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
            -- the province already written after the name, in another spelling
            when
                regexp_matches(
                    {{ expand_abbreviations(fold_text('with_province.agency_name'),
                        'abbreviation_map.abbreviation_map') }},
                    province_spellings.spelling_pattern
                )
                then with_province.agency_name
            -- a city's official name carries its kind ('Thành phố Hồ Chí Minh')
            when {{ fold_text('with_province.province_name_vi') }} like 'thanh pho %'
                then with_province.agency_name || ' ' || with_province.province_name_vi
            else with_province.agency_name || ' tỉnh ' || with_province.province_name_vi
        end as agency_full_name_vi,
        province_spellings.spelling_pattern
    from with_province
    cross join abbreviation_map
    left join province_spellings
        on with_province.province_key = province_spellings.province_key
),

with_role as (
    select
        *,
        -- the agency's role without its province: 'so thong tin va truyen thong'
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    agency_name_folded,
                    ' ' || coalesce({{ fold_text('province_name_vi') }}, '') || '$', ''
                ),
                coalesce(spelling_pattern, '^$'), ''
            ),
            ' (tinh|thanh pho)$', ''
        ) as agency_role_folded
    from with_agency
),

with_report as (
    select
        *,
        md5(
            agency_role_folded || '|' || coalesce(province_key, '?') || '|'
            || coalesce(period_key, '?') || '|' || coalesce(document_kind, '?')
        ) as report_key,
        upper(replace(report_number, ' ', '')) as report_number_key
    from with_role
),

with_label as (
    select
        *,
        -- the parts of one version state the same number and date; a part that states
        -- the number only (an appendix caption without a date) takes its body's date
        case
            when report_number_key is not null
                then report_number_key || '@' || coalesce(
                    cast(report_date as varchar),
                    cast(
                        max(report_date) over (partition by report_key, report_number_key)
                        as varchar
                    ),
                    '?'
                )
            else 'document ' || document_id
        end as version_label
    from with_report
),

with_version as (
    select
        *,
        md5(report_key || '|' || version_label) as version_key,
        -- 1: the newest file at its path within the version
        row_number() over (
            partition by report_key, version_label, file_path
            order by ingested_at desc, document_id asc
        ) as path_rank,
        -- the older file at the same path that this one replaced in place
        lead(document_id) over (
            partition by report_key, version_label, file_path
            order by ingested_at desc, document_id asc
        ) as replaces_in_place_document_id
    from with_label
),

-- the agency version a document is: its name (role) in its province, as of the report's
-- date (else the period's end); a name no version holds on that day takes the nearest
-- version of that name; a name the expected agencies do not have is an agency of its own
agency_versions as (
    select
        with_version.document_id,
        arg_min(
            agencies_expected.agency_key,
            case
                when
                    coalesce(with_version.report_date, with_version.era_date)
                    between agencies_expected.valid_from
                    and coalesce(agencies_expected.valid_to, date '9999-12-31')
                    then 0
                else least(
                    abs(date_diff(
                        'day', coalesce(with_version.report_date, with_version.era_date),
                        agencies_expected.valid_from
                    )),
                    abs(date_diff(
                        'day', coalesce(with_version.report_date, with_version.era_date),
                        coalesce(agencies_expected.valid_to, date '9999-12-31')
                    ))
                )
            end
        ) as agency_key
    from with_version
    inner join agencies_expected
        on
            with_version.province_key = agencies_expected.province_key
            and with_version.agency_role_folded = agencies_expected.role_key
    group by with_version.document_id
),

versions as (
    select
        report_key,
        version_key,
        max(report_date) as version_date,
        max(ingested_at) as version_loaded_at,
        -- the version's stated relation: a replacement if any part says so, a supplement
        -- only if every part says so
        case
            when bool_or(revision_kind = 'replacement') then 'replacement'
            when bool_and(revision_kind = 'supplement') then 'supplement'
            else 'original'
        end as version_revision_kind,
        -- the document that stands for the version in supersedes_document_id
        min(document_id) filter (where path_rank = 1) as lead_document_id
    from with_version
    group by report_key, version_key
),

versions_ranked as (
    select
        *,
        row_number() over (
            partition by report_key
            order by version_date desc nulls last, version_loaded_at desc, version_key asc
        ) as version_rank
    from versions
),

versions_placed as (
    select
        *,
        -- the latest version that replaces as a whole (null: only supplements so far)
        min(version_rank) filter (where version_revision_kind <> 'supplement')
            over (partition by report_key) as base_version_rank,
        lead(lead_document_id) over (
            partition by report_key order by version_rank
        ) as previous_lead_document_id
    from versions_ranked
),

-- for a version the current ones no longer include: the version that retired it, the
-- nearest newer one that replaces as a whole (its figures decide what was withdrawn)
versions_retired as (
    select
        older.version_key,
        max_by(newer.version_key, newer.version_rank) as retired_by_version_key,
        max_by(newer.lead_document_id, newer.version_rank) as retired_by_document_id
    from versions_placed as older
    inner join versions_placed as newer
        on
            older.report_key = newer.report_key
            and older.version_rank > newer.version_rank
            and newer.version_revision_kind <> 'supplement'
    group by older.version_key
),

final as (
    select
        -- noqa: disable=RF02
        with_version.* exclude (
            path_rank, replaces_in_place_document_id, version_label, report_number_key,
            spelling_pattern
        ),
        -- noqa: enable=RF02
        coalesce(
            agency_versions.agency_key,
            md5(
                with_version.agency_role_folded || '|'
                || coalesce(with_version.province_key, '?')
            )
        ) as agency_key,
        versions_placed.version_rank,
        versions_placed.version_revision_kind,
        -- the document this one replaces: the older file at its path, or (for the
        -- document standing for its version) the previous version's
        coalesce(
            with_version.replaces_in_place_document_id,
            case
                when with_version.document_id = versions_placed.lead_document_id
                    then versions_placed.previous_lead_document_id
            end
        ) as supersedes_document_id,
        with_version.path_rank > 1 as is_replaced_in_place,
        versions_placed.version_rank = 1 and with_version.path_rank = 1 as is_latest_version,
        versions_placed.version_rank <= coalesce(
            versions_placed.base_version_rank, versions_placed.version_rank
        ) as is_current_version,
        versions_placed.version_rank <= coalesce(
            versions_placed.base_version_rank, versions_placed.version_rank
        ) and with_version.path_rank = 1 as is_current_document,
        -- what retired this document: the newer file at its path, or the newer version
        case
            when with_version.path_rank > 1
                then versions_placed.version_key
            else versions_retired.retired_by_version_key
        end as retired_by_version_key,
        case
            when with_version.path_rank > 1
                then lag(with_version.document_id) over (
                    partition by
                        with_version.report_key,
                        with_version.version_key,
                        with_version.file_path
                    order by with_version.path_rank
                )
            else versions_retired.retired_by_document_id
        end as retired_by_document_id,
        scan_state.has_scan and seen_in_latest_scan.document_id is null as is_source_missing
    from with_version
    inner join versions_placed
        on with_version.version_key = versions_placed.version_key
    left join versions_retired
        on with_version.version_key = versions_retired.version_key
    left join agency_versions
        on with_version.document_id = agency_versions.document_id
    left join seen_in_latest_scan
        on with_version.document_id = seen_in_latest_scan.document_id
    cross join scan_state
)

select * from final
