-- One row per reported figure with the catalog indicator it is, how it was matched and
-- how sure the match is. Methods, strongest first:
--   bnv_code  the row's number is the Ministry form's number and its words agree;
--   alias     its words (and its parent's, where the alias names one) are an alias;
--   name      its words are a catalog name;
--   fuzzy     its words are close to exactly one indicator's alias or name.
-- Text is folded (case, diacritics, đ, tone placement, punctuation) and abbreviations
-- expanded before comparing. A figure with no candidate, or with two indicators equally
-- good, stays unmatched with the reason and its closest candidates.
{% set bnv_min_score = 0.85 %}
{% set fuzzy_min_score = 0.92 %}
{% set fuzzy_margin = 0.02 %}

with

figures as (
    select * from {{ ref('int_figures_unioned') }}
),

catalog as (
    select * from {{ ref('indicator_catalog') }}
),

aliases as (
    select * from {{ ref('indicator_aliases') }}
),

abbreviation_map as (
    select * from {{ ref('int_abbreviation_map') }}
),

figure_keys as (
    select
        figures.document_id,
        figures.source_kind,
        figures.source_ref,
        figures.stt,
        coalesce(figures.raw_value_text, '') <> '' as has_value,
        figures.is_fraction_whole,
        -- written as a percent: a '%' in the value, or a percent unit
        coalesce(figures.raw_value_text, '') like '%\%%' escape '\'
        or coalesce({{ fold_text('figures.raw_unit_text') }}, '') in ('%', 'ty le', 'ty le %')
            as is_percent_figure,
        {{ expand_abbreviations(fold_text("regexp_replace(figures.match_text, '^[-+•]\s*', '')"),
            'abbreviation_map.abbreviation_map') }} as text_key,
        {{ expand_abbreviations(fold_text('figures.parent_text'),
            'abbreviation_map.abbreviation_map') }} as parent_key
    from figures
    cross join abbreviation_map
),

catalog_keys as (
    select
        catalog.indicator_code,
        catalog.bnv_code,
        {{ expand_abbreviations(fold_text('catalog.name_vi'),
            'abbreviation_map.abbreviation_map') }} as name_key,
        {{ expand_abbreviations(fold_text('parents.name_vi'),
            'abbreviation_map.abbreviation_map') }} as parent_key
    from catalog
    left join catalog as parents
        on catalog.parent_code = parents.indicator_code
    cross join abbreviation_map
),

alias_keys as (
    select distinct
        aliases.indicator_code,
        aliases.template_code,
        {{ expand_abbreviations(fold_text('aliases.alias_text'),
            'abbreviation_map.abbreviation_map') }} as alias_key,
        nullif({{ expand_abbreviations(fold_text('aliases.parent_alias_text'),
            'abbreviation_map.abbreviation_map') }}, '') as parent_key
    from aliases
    cross join abbreviation_map
),

by_number as (
    select
        figure_keys.document_id,
        figure_keys.source_kind,
        figure_keys.source_ref,
        catalog_keys.indicator_code,
        'bnv_code' as match_method,
        'bnv_2022' as template_code,
        1 as priority,
        jaro_winkler_similarity(figure_keys.text_key, catalog_keys.name_key) as match_score
    from figure_keys
    inner join catalog_keys
        on figure_keys.stt = catalog_keys.bnv_code
    where
        figure_keys.source_kind = 'table'
        and jaro_winkler_similarity(figure_keys.text_key, catalog_keys.name_key)
        >= {{ bnv_min_score }}
),

by_alias as (
    select
        figure_keys.document_id,
        figure_keys.source_kind,
        figure_keys.source_ref,
        alias_keys.indicator_code,
        'alias' as match_method,
        alias_keys.template_code,
        -- an alias that names the parent too is the stronger evidence
        case when alias_keys.parent_key is not null then 2 else 3 end as priority,
        1.0 as match_score
    from figure_keys
    inner join alias_keys
        on figure_keys.text_key = alias_keys.alias_key
    where
        alias_keys.parent_key is null
        or alias_keys.parent_key = figure_keys.parent_key
),

by_name as (
    select
        figure_keys.document_id,
        figure_keys.source_kind,
        figure_keys.source_ref,
        catalog_keys.indicator_code,
        'name' as match_method,
        null as template_code,
        case when catalog_keys.parent_key = figure_keys.parent_key then 4 else 5 end
            as priority,
        1.0 as match_score
    from figure_keys
    inner join catalog_keys
        on figure_keys.text_key = catalog_keys.name_key
),

exact_candidates as (
    select * from by_number
    union all
    select * from by_alias
    union all
    select * from by_name
),

best_exact as (
    select
        document_id,
        source_kind,
        source_ref,
        min(priority) as best_priority
    from exact_candidates
    group by document_id, source_kind, source_ref
),

exact_at_best as (
    select
        exact_candidates.document_id,
        exact_candidates.source_kind,
        exact_candidates.source_ref,
        count(distinct exact_candidates.indicator_code) as codes_at_best,
        arg_max(exact_candidates.indicator_code, exact_candidates.match_score)
            as indicator_code,
        any_value(exact_candidates.match_method) as match_method,
        mode(exact_candidates.template_code) as template_code,
        max(exact_candidates.match_score) as match_score,
        list(distinct exact_candidates.indicator_code) as tied_codes
    from exact_candidates
    inner join best_exact
        on
            exact_candidates.document_id = best_exact.document_id
            and exact_candidates.source_kind = best_exact.source_kind
            and exact_candidates.source_ref = best_exact.source_ref
            and exact_candidates.priority = best_exact.best_priority
    group by
        exact_candidates.document_id, exact_candidates.source_kind,
        exact_candidates.source_ref
),

fuzzy_pool as (
    select
        indicator_code,
        alias_key as candidate_key
    from alias_keys
    union
    select
        indicator_code,
        name_key as candidate_key
    from catalog_keys
),

-- closeness is computed only for figures no exact rule settled: it is the costly part
-- (every figure against every alias and name)
unsettled as (
    select figure_keys.*
    from figure_keys
    left join exact_at_best
        on
            figure_keys.document_id = exact_at_best.document_id
            and figure_keys.source_kind = exact_at_best.source_kind
            and figure_keys.source_ref = exact_at_best.source_ref
    where
        figure_keys.text_key <> ''
        and coalesce(exact_at_best.codes_at_best, 0) <> 1
),

fuzzy_scores as (
    select
        figure_keys.document_id,
        figure_keys.source_kind,
        figure_keys.source_ref,
        fuzzy_pool.indicator_code,
        max(jaro_winkler_similarity(figure_keys.text_key, fuzzy_pool.candidate_key))
            as match_score
    from unsettled as figure_keys
    cross join fuzzy_pool
    group by
        figure_keys.document_id, figure_keys.source_kind, figure_keys.source_ref,
        fuzzy_pool.indicator_code
),

fuzzy_ranked as (
    select
        *,
        row_number() over (
            partition by document_id, source_kind, source_ref
            order by match_score desc, indicator_code asc
        ) as candidate_rank
    from fuzzy_scores
),

fuzzy_best as (
    select
        document_id,
        source_kind,
        source_ref,
        max(case when candidate_rank = 1 then indicator_code end) as indicator_code,
        max(case when candidate_rank = 1 then match_score end) as match_score,
        max(case when candidate_rank = 2 then match_score end) as runner_up_score,
        list(
            { 'indicator_code': indicator_code, 'score': round(match_score, 3) }
            order by candidate_rank
        ) filter (where candidate_rank <= 3) as closest_candidates
    from fuzzy_ranked
    group by document_id, source_kind, source_ref
),

chosen as (
    select
        figure_keys.is_percent_figure,
        figure_keys.is_fraction_whole,
        figure_keys.document_id,
        figure_keys.source_kind,
        figure_keys.source_ref,
        figure_keys.has_value,
        figure_keys.text_key as matched_text_key,
        case
            when exact_at_best.codes_at_best = 1 then exact_at_best.indicator_code
            when exact_at_best.codes_at_best > 1 then null
            when
                fuzzy_best.match_score >= {{ fuzzy_min_score }}
                and coalesce(fuzzy_best.runner_up_score, 0)
                <= fuzzy_best.match_score - {{ fuzzy_margin }}
                then fuzzy_best.indicator_code
        end as indicator_code,
        case
            when exact_at_best.codes_at_best = 1 then exact_at_best.match_method
            when exact_at_best.codes_at_best > 1 then 'ambiguous'
            when
                fuzzy_best.match_score >= {{ fuzzy_min_score }}
                and coalesce(fuzzy_best.runner_up_score, 0)
                <= fuzzy_best.match_score - {{ fuzzy_margin }}
                then 'fuzzy'
            else 'unmatched'
        end as match_method,
        case
            when exact_at_best.codes_at_best >= 1 then exact_at_best.match_score
            else fuzzy_best.match_score
        end as match_score,
        case
            when exact_at_best.codes_at_best > 1
                then
                    'ambiguous: equally good matches '
                    || array_to_string(exact_at_best.tied_codes, ', ')
            when figure_keys.text_key = '' then 'no text to match'
            when fuzzy_best.match_score is null then 'no candidate'
            when fuzzy_best.match_score < {{ fuzzy_min_score }}
                then
                    'no indicator close enough (best score '
                    || round(fuzzy_best.match_score, 3) || ' < {{ fuzzy_min_score }})'
            when
                fuzzy_best.runner_up_score
                > fuzzy_best.match_score - {{ fuzzy_margin }}
                then 'ambiguous: two indicators within {{ fuzzy_margin }} of each other'
        end as unmatched_reason,
        case when exact_at_best.codes_at_best = 1 then exact_at_best.template_code end
            as matched_template,
        fuzzy_best.closest_candidates
    from figure_keys
    left join exact_at_best
        on
            figure_keys.document_id = exact_at_best.document_id
            and figure_keys.source_kind = exact_at_best.source_kind
            and figure_keys.source_ref = exact_at_best.source_ref
    left join fuzzy_best
        on
            figure_keys.document_id = fuzzy_best.document_id
            and figure_keys.source_kind = fuzzy_best.source_kind
            and figure_keys.source_ref = fuzzy_best.source_ref
),

-- a percent matched to a count (or a plain number to a ratio) is the catalog's ratio of
-- that count (or the ratio's numerator) when the catalog has one: the words said what is
-- counted, the '%' says it is its share
ratio_of as (
    select
        numerator_code,
        min(indicator_code) as ratio_code,
        min(denominator_code) as denominator_code
    from catalog
    where numerator_code is not null
    group by numerator_code
),

redirected as (
    select
        chosen.*,
        words_indicator.value_type as words_value_type,
        case
            when
                chosen.is_percent_figure and words_indicator.value_type in ('count', 'amount')
                and ratio_of.ratio_code is not null
                then ratio_of.ratio_code
            -- 'a/b' under a numerator's words: b is the ratio's denominator
            when chosen.is_fraction_whole and ratio_of.denominator_code is not null
                then ratio_of.denominator_code
            when
                not chosen.is_percent_figure and chosen.has_value
                and words_indicator.value_type = 'percent'
                and words_indicator.numerator_code is not null
                and chosen.source_kind = 'narrative'
                then words_indicator.numerator_code
            else chosen.indicator_code
        end as redirected_code
    from chosen
    left join catalog as words_indicator
        on chosen.indicator_code = words_indicator.indicator_code
    left join ratio_of
        on chosen.indicator_code = ratio_of.numerator_code
),

final as (
    select
        redirected.document_id,
        redirected.source_kind,
        redirected.source_ref,
        redirected.has_value,
        redirected.matched_text_key,
        redirected.indicator_code as words_indicator_code,
        -- a sentence's percent is not a count, nor its count a percent: when the catalog
        -- has no indicator of the right kind for the words, the figure stays unmatched
        coalesce(
            redirected.source_kind = 'narrative' and redirected.has_value
            and redirected.redirected_code = redirected.indicator_code
            and (
                (
                    redirected.is_percent_figure
                    and redirected.words_value_type in ('count', 'amount')
                )
                or (not redirected.is_percent_figure and redirected.words_value_type = 'percent')
            ),
            false
        ) as is_kind_mismatch,
        case when not is_kind_mismatch then redirected.redirected_code end as indicator_code,
        case when is_kind_mismatch then 'unmatched' else redirected.match_method end
            as match_method,
        redirected.match_score,
        case
            when is_kind_mismatch
                then
                    'the words are ' || redirected.indicator_code || ' (a '
                    || redirected.words_value_type || ') but the figure is '
                    || case
                        when redirected.is_percent_figure then 'a percent' else 'not a percent'
                    end
            else redirected.unmatched_reason
        end as unmatched_reason,
        redirected.matched_template,
        redirected.closest_candidates
    from redirected
)

select * from final
