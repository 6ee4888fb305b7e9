-- One row per reported figure in canonical terms: its indicator, its unit as written
-- (in the unit cell, else inside the value: '1.234 thủ tục') mapped to a canonical
-- unit, its number in that unit (percent on 0–100, amounts in million VND), a
-- code-scale value decoded to its label, and flags for what
-- normalisation did or doubted. A code written as a word ('Có', 'Đã', 'Hoàn thành') is
-- decoded by its item's scale: the scale's labels (code_scales) and the other words
-- reports write for its codes (code_words). Nothing is rounded; empty stays null.
with

parsed as (
    select * from {{ ref('int_values_parsed') }}
),

matched as (
    select * from {{ ref('int_figures_matched') }}
),

catalog as (
    select * from {{ ref('indicator_catalog') }}
),

unit_aliases as (
    select * from {{ ref('unit_aliases') }}
),

units as (
    select * from {{ ref('units') }}
),

code_scales as (
    select * from {{ ref('code_scales') }}
),

code_words as (
    select * from {{ ref('code_words') }}
),

unit_keys as (
    select
        {{ fold_text('unit_text') }} as unit_key,
        any_value(unit_code) as unit_code,
        max(multiplier) as multiplier,
        bool_or(is_doubtful) as is_doubtful
    from unit_aliases
    group by 1
),

-- labels of every scale with their variant spellings ('Thực tuyến' for 'Trực tuyến')
scale_label_variants as (
    select
        scale_code,
        code_value,
        unnest(string_split(label_vi || coalesce('|' || label_variants, ''), '|'))
            as label_variant
    from code_scales
),

scale_labels as (
    select
        scale_code,
        code_value,
        {{ fold_text('label_variant') }} as label_key
    from scale_label_variants
),

-- every word that means a code of a scale: its labels, their variants, code_words
scale_words as (
    select
        scale_code,
        code_value,
        label_key as word_key
    from scale_labels
    union all
    select
        scale_code,
        code_value,
        {{ fold_text('word') }} as word_key
    from code_words
),

-- a word that would mean two codes of one scale decodes to none
word_codes as (
    select
        scale_code,
        word_key,
        min(code_value) as code_value
    from scale_words
    group by 1, 2
    having count(distinct code_value) = 1
),

-- a unit the value column's header names at its end ('Kết quả (%)', 'Số lượng (hồ sơ)'),
-- where it is a known unit alias
header_units as (
    select distinct
        header_written.value_column,
        header_written.header_unit_text
    from (
        select distinct
            value_column,
            trim(regexp_extract(value_column, '\(([^()]+)\)\s*$', 1)) as header_unit_text
        from parsed
        where value_column like '%)'
    ) as header_written
    inner join unit_keys
        on {{ fold_text('header_written.header_unit_text') }} = unit_keys.unit_key
),

with_indicator as (
    select
        parsed.*,
        -- the unit as written: its cell, else the words inside the value, else the
        -- value column's header
        coalesce(
            nullif(trim(parsed.raw_unit_text), ''),
            parsed.value_unit_text,
            header_units.header_unit_text
        ) as written_unit_text,
        matched.indicator_code,
        matched.match_method,
        matched.match_score,
        matched.unmatched_reason,
        catalog.unit_code as catalog_unit_code,
        catalog.value_type as catalog_value_type,
        catalog.scale_code as catalog_scale_code,
        catalog.numerator_code as catalog_numerator_code,
        catalog.denominator_code as catalog_denominator_code,
        -- a code scale written in the unit column: 'Chưa = 0 Hoàn thành = 1'
        list_transform(
            regexp_extract_all(
                coalesce(parsed.raw_unit_text, ''), '[\s;/,]*(.+?)\s*=\s*(\d+)', 1
            ),
            lambda label: trim(label)  -- noqa: RF02
        ) as written_scale_labels,
        regexp_extract_all(
            coalesce(parsed.raw_unit_text, ''), '[\s;/,]*(.+?)\s*=\s*(\d+)', 2
        ) as written_scale_codes
    from parsed
    left join header_units
        on parsed.value_column = header_units.value_column
    inner join matched
        on
            parsed.document_id = matched.document_id
            and parsed.source_kind = matched.source_kind
            and parsed.source_ref = matched.source_ref
    left join catalog
        on matched.indicator_code = catalog.indicator_code
),

with_unit as (
    select
        with_indicator.*,
        len(with_indicator.written_scale_codes) > 0
        or coalesce({{ fold_text('with_indicator.raw_unit_text') }} = 'co hoac khong', false)
            as has_written_scale,
        unit_keys.unit_code as written_unit_code,
        coalesce(unit_keys.multiplier, 1) as unit_multiplier,
        coalesce(unit_keys.is_doubtful, false) as is_doubtful_unit,
        unit_keys.unit_key is not null as is_known_unit_text
    from with_indicator
    left join unit_keys
        on {{ fold_text('with_indicator.written_unit_text') }} = unit_keys.unit_key
),

-- the scale the figure's own unit cell writes: the one whose labels and codes match
-- every entry written (so 'Chưa = 0 Đang làm = 1 Hoàn thành = 2' is progress_3, not
-- done_not_done, though both start with 'Chưa = 0')
written_entries as (
    select
        document_id,
        source_kind,
        source_ref,
        len(written_scale_codes) as entries_written,
        unnest(written_scale_labels) as written_label,
        try_cast(unnest(written_scale_codes) as integer) as written_code
    from with_unit
    where len(written_scale_codes) > 0
),

scale_fits as (
    select
        written_entries.document_id,
        written_entries.source_kind,
        written_entries.source_ref,
        scale_labels.scale_code,
        any_value(written_entries.entries_written) as entries_written,
        count(distinct written_entries.written_code) as entries_matched
    from written_entries
    inner join scale_labels
        on
            {{ fold_text('written_entries.written_label') }} = scale_labels.label_key
            and written_entries.written_code = scale_labels.code_value
    group by 1, 2, 3, 4
),

written_scale as (
    select
        document_id,
        source_kind,
        source_ref,
        arg_max(scale_code, entries_matched) as written_scale_code
    from scale_fits
    where entries_matched = entries_written
    group by 1, 2, 3
),

typed as (
    select
        with_unit.*,
        -- the catalog's type; else a scale written in the unit cell; else the written
        -- unit's type (seeds/units.csv); a count (or no unit) written as words is text
        coalesce(
            with_unit.catalog_value_type,
            case
                when with_unit.has_written_scale then 'code'
                when
                    coalesce(written_units.value_type, 'count') = 'count'
                    and with_unit.value_number is null
                    and not with_unit.is_empty
                    then 'text'
                else coalesce(written_units.value_type, 'count')
            end
        ) as value_type,
        coalesce(
            written_scale.written_scale_code, with_unit.catalog_scale_code,
            case
                when {{ fold_text('with_unit.raw_unit_text') }} = 'co hoac khong'
                    then 'yes_no'
            end
        ) as scale_code
    from with_unit
    left join units as written_units
        on with_unit.written_unit_code = written_units.unit_code
    left join written_scale
        on
            with_unit.document_id = written_scale.document_id
            and with_unit.source_kind = written_scale.source_kind
            and with_unit.source_ref = written_scale.source_ref
),

decoded as (
    select
        typed.*,
        -- a word of the item's scale first: '2 cấp' is the code of '2 cấp', not 2
        case
            when typed.value_type = 'code' and word_codes.code_value is not null
                then word_codes.code_value
            when typed.value_type = 'code' and typed.value_number = round(typed.value_number)
                then cast(typed.value_number as integer)
        end as value_code,
        typed.value_type = 'code' and word_codes.code_value is not null as is_code_from_word,
        -- the label for the code as this report's own scale writes it
        case
            when typed.value_type = 'code' then trim(
                typed.written_scale_labels[
                    list_position(
                        typed.written_scale_codes,
                        cast(cast(typed.value_number as integer) as varchar)
                    )
                ]
            )
        end as written_code_label
    from typed
    left join word_codes
        on
            typed.scale_code = word_codes.scale_code
            and {{ fold_text('typed.raw_value_text') }} = word_codes.word_key
),

final as (
    select
        decoded.*,
        coalesce(
            decoded.catalog_unit_code, decoded.written_unit_code,
            case when decoded.value_type = 'code' then 'code' end
        ) as unit_code,
        case
            when decoded.value_type in ('code', 'text') then null
            else decoded.value_number * decoded.unit_multiplier
        end as value_canonical,
        decoded.target_high_number * decoded.unit_multiplier as target_high_canonical,
        code_scales.label_vi as code_label_vi,
        code_scales.label_en as code_label_en,
        code_scales.is_good as is_good_code,
        -- flags: what normalisation did or doubted
        decoded.written_unit_code is not null
        and decoded.catalog_unit_code is not null
        and decoded.written_unit_code <> decoded.catalog_unit_code
        and not decoded.has_written_scale as unit_differs_from_catalog,
        decoded.written_unit_text is not null
        and not decoded.is_known_unit_text
        and not decoded.has_written_scale as is_unknown_unit,
        decoded.value_type = 'code'
        and decoded.value_number is not null
        and code_scales.code_value is null as is_code_outside_scale,
        decoded.unit_multiplier <> 1 as is_unit_converted
    from decoded
    left join code_scales
        on
            decoded.scale_code = code_scales.scale_code
            and decoded.value_code = code_scales.code_value
)

select * from final
