-- One row per reported figure: a value cell of a table row or a figure stated in a
-- sentence, with the same columns, so that everything downstream treats them alike.
-- Documents set aside (int_documents_quarantined) do not enter: their data would break
-- the figure key every later model promises.
with

quarantined as (
    select distinct document_id from {{ ref('int_documents_quarantined') }}
),

appendix_rows as (
    select * from {{ ref('stg_raw__appendix_rows') }}
    where document_id not in (select quarantined.document_id from quarantined)
),

narrative_facts as (
    select * from {{ ref('stg_raw__narrative_facts') }}
    where document_id not in (select quarantined.document_id from quarantined)
),

parent_rows as (
    select distinct
        document_id,
        table_no,
        row_no,
        raw_indicator_text
    from appendix_rows
),

table_figures as (
    select
        appendix_rows.document_id,
        appendix_rows.source_kind,
        appendix_rows.source_ref,
        appendix_rows.source_line,
        'table ' || appendix_rows.table_no as figure_group,
        appendix_rows.row_no as figure_position,
        appendix_rows.scope,
        appendix_rows.table_kind,
        appendix_rows.appendix_no,
        appendix_rows.stt_normalised as stt,
        appendix_rows.parent_stt,
        parent_rows.raw_indicator_text as parent_text,
        -- a cross-tab's indicator is its value column; the row is a breakdown of it
        case
            when appendix_rows.table_kind = 'crosstab' then appendix_rows.value_column
            else appendix_rows.raw_indicator_text
        end as match_text,
        cast(null as varchar) as unit_match_text,
        case
            when appendix_rows.table_kind = 'crosstab' then appendix_rows.raw_indicator_text
        end as breakdown_label,
        false as is_fraction_whole,
        appendix_rows.raw_indicator_text,
        appendix_rows.raw_unit_text,
        appendix_rows.raw_value_text,
        appendix_rows.value_column,
        appendix_rows.note_text,
        null as fact_kind,
        null as comparator,
        cast(null as integer) as target_year,
        cast(null as varchar) as target_high_text,
        cast(null as varchar) as target_change,
        cast(null as integer) as breakdown_position,
        appendix_rows.window_text,
        appendix_rows.window_start,
        appendix_rows.window_end,
        appendix_rows.read_method,
        appendix_rows.ocr_confidence,
        cast(null as varchar) as stated_period_key,
        cast(null as varchar) as stated_period_text,
        false as is_stated_later
    from appendix_rows
    left join parent_rows
        on
            appendix_rows.document_id = parent_rows.document_id
            and appendix_rows.table_no = parent_rows.table_no
            and appendix_rows.parent_row_no = parent_rows.row_no
    where appendix_rows.table_kind in ('indicators', 'crosstab')
),

-- the wholes of fractions ('05/61 nhiệm vụ'): a part (the numerator) breaks them down
-- with the same words; ingest links a part to its whole by the whole's fact_no
fraction_wholes as (
    select distinct
        document_id,
        whole_fact_no as fact_no,
        raw_indicator_text
    from narrative_facts
    where whole_fact_no is not null
),

narrative_figures as (
    select
        narrative_facts.document_id,
        narrative_facts.source_kind,
        narrative_facts.source_ref,
        narrative_facts.source_line,
        'line ' || narrative_facts.source_line as figure_group,
        narrative_facts.fact_no as figure_position,
        narrative_facts.scope,
        null as table_kind,
        null as appendix_no,
        narrative_facts.section as stt,
        null as parent_stt,
        wholes.raw_indicator_text as parent_text,
        -- matched by what is counted: the subject without the period it states (read
        -- into its own columns)
        trim(
            case
                when narrative_facts.is_stated_later
                    then replace(
                        narrative_facts.raw_indicator_text,
                        narrative_facts.stated_period_text, ''
                    )
                else narrative_facts.raw_indicator_text
            end
        ) as match_text,
        -- a second reading, for when the words alone match nothing: with the unit, when
        -- the subject does not say it ('công bố 247 Danh mục TTHC': subject 'công bố')
        case
            when
                coalesce(narrative_facts.raw_unit_text, '%') <> '%'
                and strpos(
                    lower(narrative_facts.raw_indicator_text),
                    lower(narrative_facts.raw_unit_text)
                ) = 0
                then trim(
                    case
                        when narrative_facts.is_stated_later
                            then replace(
                                narrative_facts.raw_indicator_text,
                                narrative_facts.stated_period_text, ''
                            )
                        else narrative_facts.raw_indicator_text
                    end
                ) || ' ' || narrative_facts.raw_unit_text
        end as unit_match_text,
        null as breakdown_label,
        fraction_wholes.document_id is not null as is_fraction_whole,
        narrative_facts.raw_indicator_text,
        narrative_facts.raw_unit_text,
        narrative_facts.raw_value_text,
        null as value_column,
        narrative_facts.sentence as note_text,
        narrative_facts.fact_kind,
        narrative_facts.comparator,
        narrative_facts.target_year,
        narrative_facts.target_high_text,
        narrative_facts.target_change,
        narrative_facts.breakdown_position,
        narrative_facts.window_text,
        narrative_facts.window_start,
        narrative_facts.window_end,
        narrative_facts.read_method,
        narrative_facts.ocr_confidence,
        -- a figure of an earlier period, stated later (DESIGN.md): that period's key
        case
            when narrative_facts.is_stated_later
                then {{ period_key('narrative_facts.stated_period_type',
                    'narrative_facts.stated_period_year', 'narrative_facts.stated_period_number',
                    'narrative_facts.stated_period_end_year') }}
        end as stated_period_key,
        narrative_facts.stated_period_text,
        narrative_facts.is_stated_later
    from narrative_facts
    -- the total a "trong đó" part breaks down, for telling same-worded parts apart
    left join narrative_facts as wholes
        on
            narrative_facts.document_id = wholes.document_id
            and narrative_facts.whole_fact_no = wholes.fact_no
    left join fraction_wholes
        on
            narrative_facts.document_id = fraction_wholes.document_id
            and narrative_facts.fact_no = fraction_wholes.fact_no
            and narrative_facts.raw_indicator_text = fraction_wholes.raw_indicator_text
),

unioned as (
    select * from table_figures
    union all
    select * from narrative_figures
)

select * from unioned
