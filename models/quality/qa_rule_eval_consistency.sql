-- Rule family `consistency`: a report does not contradict itself.
--   consistency.text_vs_text    two sentences of one report state the same indicator, scope,
--                               period, breakdown and window with different values;
--   consistency.table_vs_table  two table cells of one report do so;
--   consistency.window_order    a window stated for figures ends before it starts;
--   consistency.window_in_period a window lies outside its figures' period (from the
--                               start of the year's window, for cumulative figures, to
--                               the period's end, widened by var qa_window_reach_days).
-- A sentence against the table is rule 8 (family `narrative`), not repeated here. Each later
-- statement of an item is compared with the first one it can be compared with: both
-- matched by their wording (var qa_consistency_match_methods), or the same words (folded)
-- put on the same indicator by any method, so a report that writes the same subject twice
-- is checked whatever the match. They agree when any figure of one equals one of the other
-- within the rounding written (macro rounding_tolerance), so a sentence's fraction "41/47"
-- agrees with a later "41". Two figures of one sentence are never compared (a breakdown).
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

rules as (
    select * from {{ ref('reporting_rules') }}
    where rule_family = 'consistency'
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

figures as (
    select
        document_id,
        source_kind,
        agency_key,
        period_key,
        indicator_code,
        scope,
        breakdown_label,
        window_start,
        window_end,
        value_numeric,
        raw_value_text,
        decimals_written,
        source_line,
        -- one statement: a sentence (its figures' group), or one table cell
        case
            when source_kind = 'narrative' then coalesce(figure_group, source_ref)
            else source_ref
        end as statement_ref,
        try_cast(regexp_extract(source_line, '^\d+') as integer) as first_line,
        list_contains({{ var('qa_consistency_match_methods') }}, match_method)
            as is_matched_by_wording,
        {{ fold_text('raw_indicator_text') }} as subject_key
    from facts
    where
        figure_kind = 'actual'
        and value_numeric is not null
        and indicator_code is not null
        and match_method <> 'unmatched'
),

ordered as (
    select
        *,
        dense_rank() over (
            partition by
                document_id, source_kind, indicator_code, scope, period_key,
                breakdown_label, window_start, window_end
            order by first_line nulls last, statement_ref
        ) as statement_rank
    from figures
),

pairs as (
    select
        later.document_id,
        later.source_kind,
        later.agency_key,
        later.period_key,
        later.indicator_code,
        later.scope,
        later.breakdown_label,
        later.statement_ref,
        later.statement_rank,
        later.value_numeric as later_value,
        later.raw_value_text as later_text,
        later.source_line as later_line,
        earlier.statement_rank as earlier_rank,
        earlier.value_numeric as earlier_value,
        earlier.raw_value_text as earlier_text,
        earlier.source_line as earlier_line,
        abs(later.value_numeric - earlier.value_numeric) as difference,
        {{ rounding_tolerance('least(later.decimals_written, earlier.decimals_written)') }}
            as tolerance
    from ordered as later
    inner join ordered as earlier
        on
            later.document_id = earlier.document_id
            and later.source_kind = earlier.source_kind
            and later.indicator_code = earlier.indicator_code
            and later.scope = earlier.scope
            and later.period_key is not distinct from earlier.period_key
            and later.breakdown_label is not distinct from earlier.breakdown_label
            and later.window_start is not distinct from earlier.window_start
            and later.window_end is not distinct from earlier.window_end
            and later.statement_rank > earlier.statement_rank
            and (
                (later.is_matched_by_wording and earlier.is_matched_by_wording)
                or later.subject_key = earlier.subject_key
            )
),

-- each later statement against the first statement it can be compared with
first_partners as (
    select
        *,
        min(earlier_rank) over (
            partition by
                document_id, source_kind, indicator_code, scope, period_key,
                breakdown_label, statement_ref
        ) as first_rank
    from pairs
),

compared as (
    select
        first_partners.document_id,
        first_partners.source_kind,
        first_partners.indicator_code,
        first_partners.scope,
        first_partners.period_key,
        first_partners.breakdown_label,
        first_partners.statement_ref,
        any_value(first_partners.agency_key) as agency_key,
        bool_or(
            first_partners.difference
            <= first_partners.tolerance + coalesce(rules.tolerance, 0)
        ) as agrees,
        arg_min(first_partners.later_value, first_partners.difference) as later_value,
        arg_min(first_partners.later_text, first_partners.difference) as later_text,
        arg_min(first_partners.later_line, first_partners.difference) as later_line,
        arg_min(first_partners.earlier_value, first_partners.difference) as earlier_value,
        arg_min(first_partners.earlier_text, first_partners.difference) as earlier_text,
        arg_min(first_partners.earlier_line, first_partners.difference) as earlier_line,
        any_value(rules.rule_id) as rule_id,
        any_value(rules.rule_family) as rule_family,
        any_value(rules.severity) as severity
    from first_partners
    inner join rules
        on
            rules.rule_id = case first_partners.source_kind
                when 'narrative' then 'consistency.text_vs_text'
                else 'consistency.table_vs_table'
            end
    where first_partners.earlier_rank = first_partners.first_rank
    group by
        first_partners.document_id,
        first_partners.source_kind,
        first_partners.indicator_code,
        first_partners.scope,
        first_partners.period_key,
        first_partners.breakdown_label,
        first_partners.statement_ref
),

contradictions as (
    select
        concat_ws(
            ' | ', compared.rule_id, compared.document_id, compared.source_kind,
            compared.statement_ref, compared.indicator_code, compared.scope,
            compared.period_key, compared.breakdown_label
        ) as evaluation_key,
        compared.rule_id,
        compared.rule_family,
        compared.severity,
        compared.document_id,
        compared.agency_key,
        compared.period_key,
        compared.indicator_code,
        compared.later_value as reported_value,
        compared.earlier_value as expected_value,
        concat_ws(', ', compared.earlier_line, compared.later_line) as source_lines,
        not compared.agrees as is_broken,
        format(
            '"{}"{}: dòng {} ghi {} nhưng dòng {} của cùng báo cáo ghi {} (cùng phạm vi, cùng kỳ).',
            indicators.name_vi,
            coalesce(' (' || compared.breakdown_label || ')', ''),
            compared.later_line, compared.later_text, compared.earlier_line,
            compared.earlier_text
        ) as message_vi,
        format(
            '"{}"{}: line {} states {} but line {} of the same report states {} (same scope '
            || 'and period).',
            indicators.name_en,
            coalesce(' (' || compared.breakdown_label || ')', ''),
            compared.later_line, compared.later_text, compared.earlier_line,
            compared.earlier_text
        ) as message_en
    from compared
    inner join indicators
        on compared.indicator_code = indicators.indicator_code
),

-- windows: one evaluation per window a report states (its wording and dates)
windows as (
    select
        facts.document_id,
        facts.window_text,
        facts.window_start,
        facts.window_end,
        facts.period_key,
        any_value(facts.agency_key) as agency_key,
        case
            when count(distinct facts.indicator_code) = 1
                then any_value(facts.indicator_code)
        end as indicator_code,
        string_agg(
            distinct facts.source_line, ', '
            order by facts.source_line
        ) as source_lines,
        -- a target's window lies ahead of its report: only reported figures are placed
        bool_or(facts.figure_kind = 'actual') as has_actual_figure
    from facts
    where facts.window_start is not null and facts.window_end is not null
    group by
        facts.document_id, facts.window_text, facts.window_start, facts.window_end,
        facts.period_key
),

windows_placed as (
    select
        windows.*,
        -- from the start of the year's window (15 December before): figures marked
        -- 'Lũy kế' accumulate from there in every report of the year
        cast(
            least(
                periods.window_start_date,
                periods.nominal_start_date,
                case
                    when periods.period_type <> 'plan'
                        then make_date(cast(periods.period_year as integer) - 1, 12, 15)
                end
            )
            - to_days({{ var('qa_window_reach_days') }}) as date
        ) as reach_start,
        cast(
            greatest(periods.window_end_date, periods.nominal_end_date)
            + to_days({{ var('qa_window_reach_days') }}) as date
        ) as reach_end,
        periods.label_vi as period_label_vi,
        periods.label_en as period_label_en
    from windows
    left join periods
        on windows.period_key = periods.period_key
),

window_checks as (
    select
        concat_ws(
            ' | ', rules.rule_id, windows_placed.document_id, windows_placed.period_key,
            windows_placed.window_text, cast(windows_placed.window_start as varchar),
            cast(windows_placed.window_end as varchar)
        ) as evaluation_key,
        rules.rule_id,
        rules.rule_family,
        rules.severity,
        windows_placed.document_id,
        windows_placed.agency_key,
        windows_placed.period_key,
        windows_placed.indicator_code,
        cast(null as double) as reported_value,
        cast(null as double) as expected_value,
        windows_placed.source_lines,
        case rules.rule_id
            when 'consistency.window_order'
                then windows_placed.window_end < windows_placed.window_start
            else
                windows_placed.window_start < windows_placed.reach_start
                or windows_placed.window_end > windows_placed.reach_end
        end as is_broken,
        case rules.rule_id
            when 'consistency.window_order'
                then format(
                    'Khoảng thời gian "{}" (dòng {}) kết thúc ({}) trước khi bắt đầu ({}).',
                    windows_placed.window_text, windows_placed.source_lines,
                    strftime(windows_placed.window_end, '%d/%m/%Y'),
                    strftime(windows_placed.window_start, '%d/%m/%Y')
                )
            else format(
                'Khoảng thời gian "{}" (dòng {}) nằm ngoài kỳ báo cáo {} ({} – {}).',
                windows_placed.window_text, windows_placed.source_lines,
                windows_placed.period_label_vi,
                strftime(windows_placed.reach_start, '%d/%m/%Y'),
                strftime(windows_placed.reach_end, '%d/%m/%Y')
            )
        end as message_vi,
        case rules.rule_id
            when 'consistency.window_order'
                then format(
                    'The window "{}" (line {}) ends ({}) before it starts ({}).',
                    windows_placed.window_text, windows_placed.source_lines,
                    strftime(windows_placed.window_end, '%Y-%m-%d'),
                    strftime(windows_placed.window_start, '%Y-%m-%d')
                )
            else format(
                'The window "{}" (line {}) lies outside the period {} ({} to {}).',
                windows_placed.window_text, windows_placed.source_lines,
                windows_placed.period_label_en,
                strftime(windows_placed.reach_start, '%Y-%m-%d'),
                strftime(windows_placed.reach_end, '%Y-%m-%d')
            )
        end as message_en
    from windows_placed
    inner join rules
        on
            rules.rule_id = 'consistency.window_order'
            or (
                -- a window in order, with a period to place it in
                rules.rule_id = 'consistency.window_in_period'
                and windows_placed.has_actual_figure
                and windows_placed.window_end >= windows_placed.window_start
                and windows_placed.reach_start is not null
            )
),

final as (
    select * from contradictions
    union all
    select * from window_checks
)

select * from final
