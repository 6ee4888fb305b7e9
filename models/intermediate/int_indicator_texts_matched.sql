-- One row per distinct text (int_indicator_texts) with the catalog indicator it is, how
-- it was matched and how sure the match is. Methods, strongest first:
--   bnv_code  a table row's number is the Ministry form's number and its words agree;
--   alias     its words (and its parent's, where the alias names one) are an alias;
--   name      its words are a catalog name;
--   fuzzy     its words share the distinctive words of exactly one indicator's alias or
--             name: a weighted token-set score (rare words weigh much, words every
--             indicator has weigh little); a candidate is rejected when it has a
--             distinctive word the text lacks, when a kind of qualifier
--             (seeds/match_qualifiers.csv) disagrees, or when the shared words are too
--             common to name one indicator.
-- A text with no candidate, or with two indicators equally good, stays unmatched with the
-- reason and its closest candidates. Thresholds: the match_* vars of dbt_project.yml.
--
-- Incremental: a text's match depends only on its keys and the reference (the wordings
-- of int_indicator_candidates: catalog, aliases, abbreviations; match_qualifiers; the
-- match_* vars; this code), so a text is matched once and kept while that reference
-- stays the same (reference_fingerprint); when it changes every text is matched again.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="delete from {{ this }} where text_id not in (select text_id from "
        ~ "{{ ref('int_indicator_texts') }})",
) }}
{% set number_min_score = var('match_number_min_score') %}
{% set fuzzy_min_score = var('match_fuzzy_min_score') %}
{% set fuzzy_margin = var('match_fuzzy_margin') %}
{% set distinctive_weight = var('match_distinctive_weight') %}
{% set min_shared_weight = var('match_fuzzy_min_shared_weight') %}

{% set match_vars = '' ~ number_min_score ~ fuzzy_min_score ~ fuzzy_margin
    ~ distinctive_weight ~ min_shared_weight %}

with

candidates as (
    select * from {{ ref('int_indicator_candidates') }}
),

qualifiers as (
    select * from {{ ref('match_qualifiers') }}
),

-- what every match depends on besides the text itself
match_reference as (
    select
        {{ reference_fingerprint(['candidates', 'qualifiers'], match_vars) }}
            as reference_fingerprint
),

-- the texts to match: on an incremental run, those not matched yet with this reference
texts as (
    select all_texts.*
    from {{ ref('int_indicator_texts') }} as all_texts
    {% if is_incremental() %}
        where all_texts.text_id not in (
            select already_matched.text_id
            from {{ this }} as already_matched
            where
                already_matched.reference_fingerprint
                = (select r.reference_fingerprint from match_reference as r)
        )
    {% endif %}
),

indicators as (
    select distinct
        indicator_code,
        value_type,
        numerator_code,
        ratio_code,
        ratio_denominator_code
    from candidates
),

-- exact tiers ----------------------------------------------------------------------------

by_number as (
    select
        texts.text_id,
        candidates.indicator_code,
        'bnv_code' as match_method,
        'bnv_2022' as template_code,
        1 as priority,
        jaro_winkler_similarity(texts.text_key, candidates.candidate_key) as match_score
    from texts
    inner join candidates
        on
            texts.number_key = candidates.bnv_code
            and candidates.candidate_kind = 'name'
    where
        texts.source_kind = 'table'
        and jaro_winkler_similarity(texts.text_key, candidates.candidate_key)
        >= {{ number_min_score }}
),

by_alias as (
    select
        texts.text_id,
        candidates.indicator_code,
        'alias' as match_method,
        candidates.template_code,
        -- an alias that names the parent too is the stronger evidence
        case when candidates.candidate_parent_key is not null then 2 else 3 end as priority,
        1.0 as match_score
    from texts
    inner join candidates
        on
            texts.text_key = candidates.candidate_key
            and candidates.candidate_kind = 'alias'
    where
        candidates.candidate_parent_key is null
        or candidates.candidate_parent_key = texts.parent_key
),

by_name as (
    select
        texts.text_id,
        candidates.indicator_code,
        'name' as match_method,
        null as template_code,
        case when candidates.candidate_parent_key = texts.parent_key then 4 else 5 end
            as priority,
        1.0 as match_score
    from texts
    inner join candidates
        on
            texts.text_key = candidates.candidate_key
            and candidates.candidate_kind = 'name'
),

exact_candidates as (
    select * from by_number
    union all
    select * from by_alias
    union all
    select * from by_name
),

exact_ranked as (
    select
        *,
        min(priority) over (partition by text_id) as best_priority
    from exact_candidates
),

-- the template most of the best candidates come from; a wording several templates share
-- as often names none of them (it is no evidence of the document's template: taking the
-- first by name made every shared row count for bnv_2022)
template_counts as (
    select
        text_id,
        template_code,
        count(*) as candidate_count,
        max(count(*)) over (partition by text_id) as top_count
    from exact_ranked
    where priority = best_priority and template_code is not null
    group by text_id, template_code
),

best_templates as (
    select
        text_id,
        case
            when count(*) filter (where candidate_count = top_count) = 1
                then max(template_code) filter (where candidate_count = top_count)
        end as template_code
    from template_counts
    group by text_id
),

exact_at_best as (
    select
        exact_ranked.text_id,
        count(distinct exact_ranked.indicator_code) as codes_at_best,
        -- ties settled by the code, so every run (and an incremental one) picks alike
        arg_max(
            exact_ranked.indicator_code,
            (exact_ranked.match_score, exact_ranked.indicator_code)
        ) as indicator_code,
        arg_max(
            exact_ranked.match_method,
            (exact_ranked.match_score, exact_ranked.indicator_code, exact_ranked.match_method)
        ) as match_method,
        any_value(best_templates.template_code) as template_code,
        max(exact_ranked.match_score) as match_score,
        list(distinct exact_ranked.indicator_code order by exact_ranked.indicator_code)
            as tied_codes
    from exact_ranked
    left join best_templates
        on exact_ranked.text_id = best_templates.text_id
    where exact_ranked.priority = exact_ranked.best_priority
    group by exact_ranked.text_id
),

-- fuzzy tier: a token index over the candidates' wordings ---------------------------------

candidate_keys as (
    select distinct candidate_key
    from candidates
    where candidate_key <> ''
),

candidate_words as (
    select
        candidate_key,
        unnest(string_split(candidate_key, ' ')) as token
    from candidate_keys
),

-- a word is a token; a number of two or more digits (a year, a value written beside the
-- words) is not: '2020', '1 042' neither help nor hurt, 'mức độ 3' vs '4' does
candidate_tokens as (
    select distinct
        candidate_key,
        token
    from candidate_words
    where not regexp_full_match(token, '[0-9]{2,}')
),

-- how rare a word is across the catalog's and aliases' wordings, on 0–1: 1 for a word of
-- one wording, near 0 for a word of nearly all ('so', 'thu tuc hanh chinh')
token_weights as (
    select
        candidate_tokens.token,
        ln((select count(*) from candidate_keys) / count(*))
        / ln((select count(*) from candidate_keys)) as weight
    from candidate_tokens
    group by candidate_tokens.token
),

candidate_profiles as (
    select
        candidate_tokens.candidate_key,
        list(candidate_tokens.token) as tokens,
        list(candidate_tokens.token) filter (
            where token_weights.weight >= {{ distinctive_weight }}
        ) as distinctive_tokens,
        sum(token_weights.weight) as total_weight
    from candidate_tokens
    inner join token_weights
        on candidate_tokens.token = token_weights.token
    group by candidate_tokens.candidate_key
),

-- texts no exact rule settled
unsettled as (
    select texts.*
    from texts
    left join exact_at_best
        on texts.text_id = exact_at_best.text_id
    where
        texts.text_key <> ''
        and coalesce(exact_at_best.codes_at_best, 0) <> 1
),

text_words as (
    select
        text_id,
        unnest(string_split(text_key, ' ')) as token
    from unsettled
),

text_tokens as (
    select distinct
        text_id,
        token
    from text_words
    where not regexp_full_match(token, '[0-9]{2,}')
),

-- only the words the catalog knows weigh: a place name beside the words neither helps
-- nor hurts; other extra words of the text lower its score
text_profiles as (
    select
        text_tokens.text_id,
        list(text_tokens.token) as tokens,
        sum(token_weights.weight) as total_weight
    from text_tokens
    inner join token_weights
        on text_tokens.token = token_weights.token
    group by text_tokens.text_id
),

-- the words a text looks its candidates up by: its distinctive words, and its three
-- rarest words in any case (so 'tổng số TTHC của Sở', all common words, still has some)
index_tokens as (
    select
        text_tokens.text_id,
        text_tokens.token
    from text_tokens
    inner join token_weights
        on text_tokens.token = token_weights.token
    qualify
        token_weights.weight >= {{ distinctive_weight }}
        or row_number() over (
            partition by text_tokens.text_id
            order by token_weights.weight desc, text_tokens.token asc
        ) <= 3
),

-- candidates through the index: wordings sharing a looked-up word, never a cross join of
-- every text with every wording
pairs as (
    select distinct
        index_tokens.text_id,
        candidate_tokens.candidate_key
    from index_tokens
    inner join candidate_tokens
        on index_tokens.token = candidate_tokens.token
),

shared_weights as (
    select
        pairs.text_id,
        pairs.candidate_key,
        sum(token_weights.weight) as shared_weight
    from pairs
    inner join text_tokens
        on pairs.text_id = text_tokens.text_id
    inner join candidate_tokens
        on
            pairs.candidate_key = candidate_tokens.candidate_key
            and text_tokens.token = candidate_tokens.token
    inner join token_weights
        on text_tokens.token = token_weights.token
    group by pairs.text_id, pairs.candidate_key
),

scored as (
    select
        shared_weights.text_id,
        shared_weights.candidate_key,
        shared_weights.shared_weight,
        -- weighted Dice: the weight both share over the weight each has
        2 * shared_weights.shared_weight
        / (text_profiles.total_weight + candidate_profiles.total_weight) as match_score,
        -- a distinctive word of the indicator the text does not say
        list_filter(
            coalesce(candidate_profiles.distinctive_tokens, []),
            lambda word: not list_contains(text_profiles.tokens, word)  -- noqa: RF02
        ) as only_in_candidate
    from shared_weights
    inner join text_profiles
        on shared_weights.text_id = text_profiles.text_id
    inner join candidate_profiles
        on shared_weights.candidate_key = candidate_profiles.candidate_key
),

qualifier_words as (
    select distinct
        qualifiers.kind,
        {{ fold_text('qualifiers.word') }} as qualifier
    from qualifiers
),

text_qualifiers as (
    select
        unsettled.text_id,
        qualifier_words.kind,
        qualifier_words.qualifier
    from unsettled
    inner join qualifier_words
        on
            ' ' || unsettled.text_key || ' ' || coalesce(unsettled.unit_key || ' ', '')
            like '% ' || qualifier_words.qualifier || ' %'
),

candidate_qualifiers as (
    select
        candidate_keys.candidate_key,
        qualifier_words.kind,
        qualifier_words.qualifier
    from candidate_keys
    inner join qualifier_words
        on
            ' ' || candidate_keys.candidate_key || ' '
            like '% ' || qualifier_words.qualifier || ' %'
),

pair_qualifiers as (
    select
        scored.text_id,
        scored.candidate_key,
        text_qualifiers.kind,
        text_qualifiers.qualifier,
        'text' as side
    from scored
    inner join text_qualifiers
        on scored.text_id = text_qualifiers.text_id
    union all
    select
        scored.text_id,
        scored.candidate_key,
        candidate_qualifiers.kind,
        candidate_qualifiers.qualifier,
        'indicator' as side
    from scored
    inner join candidate_qualifiers
        on scored.candidate_key = candidate_qualifiers.candidate_key
),

-- within a kind, both sides have none or share one: 'sửa đổi' agrees with 'sửa đổi, bổ
-- sung, thay thế', not with 'bãi bỏ', nor with no action at all
qualifier_kinds as (
    select
        text_id,
        candidate_key,
        kind,
        coalesce(list(distinct qualifier) filter (where side = 'text'), [])
            as text_words,
        coalesce(list(distinct qualifier) filter (where side = 'indicator'), [])
            as indicator_words
    from pair_qualifiers
    group by text_id, candidate_key, kind
),

qualifier_conflicts as (
    select
        text_id,
        candidate_key,
        string_agg(
            kind || ' [' || array_to_string(list_sort(text_words), ', ')
            || '] in the text vs [' || array_to_string(list_sort(indicator_words), ', ')
            || '] in the indicator',
            '; ' order by kind
        ) as disagreement
    from qualifier_kinds
    where len(list_intersect(text_words, indicator_words)) = 0
    group by text_id, candidate_key
),

judged as (
    select
        scored.text_id,
        scored.candidate_key,
        scored.match_score,
        case
            when qualifier_conflicts.disagreement is not null
                then qualifier_conflicts.disagreement
            when len(scored.only_in_candidate) > 0
                then
                    'words only in the indicator: '
                    || array_to_string(list_sort(scored.only_in_candidate), ' ')
            -- words so common that, however alike, they do not name one indicator
            -- ('nhiệm vụ đã hoàn thành' of any task list is not the CCHC plan's)
            when scored.shared_weight < {{ min_shared_weight }}
                then
                    'too common words to name an indicator (shared weight '
                    || round(scored.shared_weight, 2) || ' < {{ min_shared_weight }})'
        end as rejected_by
    from scored
    left join qualifier_conflicts
        on
            scored.text_id = qualifier_conflicts.text_id
            and scored.candidate_key = qualifier_conflicts.candidate_key
),

wordings as (
    select distinct
        indicator_code,
        candidate_key
    from candidates
),

-- one score per indicator: its best accepted wording, else its best rejected one
indicator_scores as (
    select
        judged.text_id,
        wordings.indicator_code,
        max(judged.match_score) filter (where judged.rejected_by is null) as accepted_score,
        max(judged.match_score) as best_score,
        arg_max(
            judged.rejected_by, (judged.match_score, coalesce(judged.rejected_by, ''))
        ) as rejected_by
    from judged
    inner join wordings
        on judged.candidate_key = wordings.candidate_key
    group by judged.text_id, wordings.indicator_code
),

fuzzy_best as (
    select
        text_id,
        -- ties settled by the code, so every run (and an incremental one) picks alike
        arg_max(indicator_code, (accepted_score, indicator_code))
        filter (where accepted_score is not null) as indicator_code,
        max(accepted_score) as match_score,
        -- the runner-up among accepted candidates, for the margin
        list_sort(list(accepted_score) filter (where accepted_score is not null), 'DESC')[2]
            as runner_up_score,
        max(best_score) as best_any_score,
        arg_max(indicator_code, (best_score, indicator_code)) as best_any_code,
        arg_max(rejected_by, (best_score, indicator_code)) as best_any_rejected_by,
        -- for review: the three closest, accepted or not, and why a rejected one was
        max_by(
            {
                'indicator_code': indicator_code,
                'score': round(coalesce(accepted_score, best_score), 3),
                'rejected_by': case when accepted_score is null then rejected_by end
            },
            (coalesce(accepted_score, best_score), indicator_code),
            3
        ) as closest_candidates
    from indicator_scores
    group by text_id
),

chosen as (
    select
        texts.text_id,
        texts.source_kind,
        texts.has_value,
        texts.is_percent_figure,
        texts.is_fraction_whole,
        texts.text_key as matched_text_key,
        fuzzy_best.match_score >= {{ fuzzy_min_score }}
        and coalesce(fuzzy_best.runner_up_score, 0)
        <= fuzzy_best.match_score - {{ fuzzy_margin }} as is_fuzzy_match,
        case
            when exact_at_best.codes_at_best = 1 then exact_at_best.indicator_code
            when exact_at_best.codes_at_best > 1 then null
            when is_fuzzy_match then fuzzy_best.indicator_code
        end as indicator_code,
        case
            when exact_at_best.codes_at_best = 1 then exact_at_best.match_method
            when exact_at_best.codes_at_best > 1 then 'ambiguous'
            when is_fuzzy_match then 'fuzzy'
            else 'unmatched'
        end as match_method,
        case
            when exact_at_best.codes_at_best >= 1 then exact_at_best.match_score
            else coalesce(fuzzy_best.match_score, fuzzy_best.best_any_score)
        end as match_score,
        case
            when exact_at_best.codes_at_best = 1 then null
            when exact_at_best.codes_at_best > 1
                then
                    'ambiguous: equally good matches '
                    || array_to_string(exact_at_best.tied_codes, ', ')
            when coalesce(texts.text_key, '') = '' then 'no text to match'
            when fuzzy_best.best_any_score is null then 'no candidate'
            -- the closest was rejected, and no accepted one is close enough
            when
                fuzzy_best.best_any_score > coalesce(fuzzy_best.match_score, 0)
                and coalesce(fuzzy_best.match_score, 0) < {{ fuzzy_min_score }}
                then
                    'closest ' || fuzzy_best.best_any_code || ' ('
                    || round(fuzzy_best.best_any_score, 3) || ') rejected: '
                    || fuzzy_best.best_any_rejected_by
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
    from texts
    left join exact_at_best
        on texts.text_id = exact_at_best.text_id
    left join fuzzy_best
        on texts.text_id = fuzzy_best.text_id
),

-- a percent matched to a count (or a plain number to a ratio) is the catalog's ratio of
-- that count (or the ratio's numerator) when the catalog has one: the words said what is
-- counted, the '%' says it is its share
redirected as (
    select
        chosen.*,
        words_indicator.value_type as words_value_type,
        case
            when
                chosen.is_percent_figure and words_indicator.value_type in ('count', 'amount')
                and words_indicator.ratio_code is not null
                then words_indicator.ratio_code
            -- 'a/b' under a numerator's words: b is the ratio's denominator
            when chosen.is_fraction_whole and words_indicator.ratio_denominator_code is not null
                then words_indicator.ratio_denominator_code
            when
                not chosen.is_percent_figure and chosen.has_value
                and words_indicator.value_type = 'percent'
                and words_indicator.numerator_code is not null
                and chosen.source_kind = 'narrative'
                then words_indicator.numerator_code
            else chosen.indicator_code
        end as redirected_code
    from chosen
    left join indicators as words_indicator
        on chosen.indicator_code = words_indicator.indicator_code
),

final as (
    select
        redirected.text_id,
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
        -- b of 'a/b' under a's words with no ratio to name b: not counted as a
        coalesce(
            redirected.is_fraction_whole and redirected.has_value
            and redirected.redirected_code = redirected.indicator_code, false
        ) as is_unnamed_whole,
        case
            when not (is_kind_mismatch or is_unnamed_whole) then redirected.redirected_code
        end as indicator_code,
        case
            when is_kind_mismatch or is_unnamed_whole then 'unmatched'
            else redirected.match_method
        end as match_method,
        redirected.match_score,
        case
            when is_unnamed_whole
                then 'a fraction''s whole; ' || redirected.indicator_code || ' has no ratio'
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
        redirected.closest_candidates,
        match_reference.reference_fingerprint,
        '{{ invocation_id }}' as matched_invocation_id
    from redirected
    cross join match_reference
)

select * from final
