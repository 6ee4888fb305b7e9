-- The macro fold_text folds every case of tests/cases/fold_cases.csv as Python's
-- ingest.markup.fold does (tests/python/test_fold.py reads the same file).
-- A row returned is a case the macro folds differently.
with

cases as (
    select * from {{ ref('fold_cases') }}
),

folded as (
    select
        case_id,
        input,
        folded as expected,
        {{ fold_text('input') }} as actual
    from cases
)

select *
from folded
where actual is distinct from coalesce(expected, case when input is null then null else '' end)
