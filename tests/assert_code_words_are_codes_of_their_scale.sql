-- Every word of seeds/code_words.csv means a code its scale has (code_scales), and no
-- word means two codes of one scale once the scale's own labels are counted (such a
-- word would decode to nothing: int_values_normalised.word_codes). A row returned is a
-- break.
with

code_words as (
    select * from {{ ref('code_words') }}
),

code_scales as (
    select * from {{ ref('code_scales') }}
),

not_a_code as (
    select
        'word means a code its scale does not have' as problem,
        code_words.scale_code || ': ' || code_words.word as subject
    from code_words
    left join code_scales
        on
            code_words.scale_code = code_scales.scale_code
            and code_words.code_value = code_scales.code_value
    where code_scales.scale_code is null
),

label_words as (
    select
        scale_code,
        code_value,
        {{ fold_text('label_vi') }} as word_key
    from code_scales
    union all
    select
        scale_code,
        code_value,
        {{ fold_text('word') }} as word_key
    from code_words
),

two_codes as (
    select
        'word means two codes of one scale' as problem,
        scale_code || ': ' || word_key as subject
    from label_words
    group by scale_code, word_key
    having count(distinct code_value) > 1
),

final as (
    select * from not_a_code
    union all
    select * from two_codes
)

select * from final
