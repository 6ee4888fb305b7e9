-- One row per reported figure with its number read the Vietnamese way. The text as
-- written stays beside it; flags say what reading it did or doubted. A unit written
-- inside the value ('1.234 thủ tục', '98 %', '12 người') is split out as
-- value_unit_text (int_values_normalised resolves it through seeds/unit_aliases.csv).
with

figures as (
    select * from {{ ref('int_figures_unioned') }}
),

tokens as (
    select
        *,
        trim(coalesce(raw_value_text, '')) as value_trimmed,
        {{ vn_number_token('raw_value_text') }} as number_token,
        {{ vn_number_token('target_high_text') }} as target_high_token
    from figures
),

parsed as (
    select
        *,
        {{ parse_vn_number('number_token') }} as value_number,
        -- a target range's upper end ('từ 6% - 10%'), read the same way
        {{ parse_vn_number('target_high_token') }} as target_high_number,
        -- digits after the decimal mark as written: the rounding the report used
        case
            when number_token like '%,%' then length(split_part(number_token, ',', -1))
            when
                number_token like '%.%'
                and not regexp_full_match(number_token, '\d{1,3}(\.\d{3})+')
                then length(split_part(number_token, '.', -1))
            else 0
        end as decimals_written
    from tokens
),

flagged as (
    select
        *,
        -- the words after the number, when the cell writes its unit inside the value
        nullif(trim(regexp_extract(
            value_trimmed,
            '^[<>~≤≥]?\s*(?:\d[\d.,]*\d|\d)(?:\s\d{3})*[.,]?\s*([^\d\s.,].*)$',
            1
        )), '') as value_unit_text,
        value_trimmed = '' as is_empty,
        value_trimmed like '%\%%' escape '\' as has_percent_sign,
        number_token is not null
        and regexp_full_match(number_token, '\d{1,3}\.\d{3}') as has_ambiguous_separator,
        number_token is not null
        and not regexp_full_match(
            value_trimmed, '[<>~≤≥]?\s*' || replace(number_token, '.', '\.') || '\s*%?'
        ) as is_number_from_words,
        number_token is not null and regexp_full_match(number_token, '0\d+')
            as has_leading_zero
    from parsed
),

-- a figure read from a picture (OCR) is evidence, not truth: it goes to review
-- (mart_unmatched_rows) rather than into the current facts when tesseract was unsure
-- of it (var ocr_min_confidence) or it holds what a number cannot (a digit stuck to
-- a letter or sign, '2g', 'Ă5'; only signs, ')')
ocr_checked as (
    select
        *,
        coalesce(read_method = 'ocr' and not is_empty and (
            ocr_confidence is null
            or ocr_confidence < {{ var('ocr_min_confidence') }}
            or regexp_matches(value_trimmed, '\d[^\d\s.,%]|[^\d\s.,%<>~≤≥+-]\d')
            or not regexp_matches(value_trimmed, '[\p{L}\d]')
        ), false) as is_ocr_doubtful
    from flagged
),

final as (
    select
        *,
        case
            when is_ocr_doubtful then 'đọc từ ảnh, độ tin cậy thấp'
        end as review_reason
    from ocr_checked
)

select * from final
