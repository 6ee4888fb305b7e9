-- One row per reported ratio figure whose indicator has a numerator and a denominator
-- in the catalog, with the values of those parts as the same report states them (the
-- nearest figure of each part in the same table, or the same sentence line). The
-- ratio the parts imply is computed here once; rules and derivation both use it.
with

figures as (
    select * from {{ ref('int_values_normalised') }}
),

unioned as (
    select
        document_id,
        source_kind,
        source_ref,
        figure_group,
        figure_position
    from {{ ref('int_figures_unioned') }}
),

catalog as (
    select * from {{ ref('indicator_catalog') }}
),

placed as (
    select
        figures.*,
        unioned.figure_group,
        unioned.figure_position
    from figures
    inner join unioned
        on
            figures.document_id = unioned.document_id
            and figures.source_kind = unioned.source_kind
            and figures.source_ref = unioned.source_ref
),

ratios as (
    select
        placed.*,
        catalog.numerator_code,
        catalog.denominator_code
    from placed
    inner join catalog
        on placed.indicator_code = catalog.indicator_code
    where catalog.numerator_code is not null and catalog.denominator_code is not null
),

part_candidates as (
    select
        ratios.document_id,
        ratios.source_kind,
        ratios.source_ref,
        case
            when parts.indicator_code = ratios.numerator_code then 'numerator'
            else 'denominator'
        end as part,
        parts.source_ref as part_source_ref,
        parts.value_canonical as part_value,
        parts.decimals_written as part_decimals,
        parts.has_percent_sign and parts.value_type = 'count' as is_part_doubtful,
        parts.source_line as part_source_line,
        row_number() over (
            partition by
                ratios.document_id, ratios.source_kind, ratios.source_ref,
                parts.indicator_code
            order by
                abs(parts.figure_position - ratios.figure_position),
                parts.figure_position
        ) as nearness
    from ratios
    inner join placed as parts
        on
            ratios.document_id = parts.document_id
            and ratios.figure_group = parts.figure_group
            and parts.indicator_code in (ratios.numerator_code, ratios.denominator_code)
            and parts.value_canonical is not null
),

final as (
    select
        ratios.document_id,
        ratios.source_kind,
        ratios.source_ref,
        ratios.indicator_code,
        ratios.numerator_code,
        ratios.denominator_code,
        ratios.value_canonical as reported_ratio,
        ratios.decimals_written as reported_decimals,
        numerators.part_value as numerator_value,
        denominators.part_value as denominator_value,
        numerators.part_decimals as numerator_decimals,
        denominators.part_decimals as denominator_decimals,
        coalesce(numerators.is_part_doubtful, false)
        or coalesce(denominators.is_part_doubtful, false) as has_doubtful_part,
        numerators.part_source_line as numerator_source_line,
        denominators.part_source_line as denominator_source_line,
        {{ percent_of('numerators.part_value', 'denominators.part_value') }} as implied_ratio,
        denominators.part_value = 0 as is_ratio_undefined
    from ratios
    left join part_candidates as numerators
        on
            ratios.document_id = numerators.document_id
            and ratios.source_kind = numerators.source_kind
            and ratios.source_ref = numerators.source_ref
            and numerators.part = 'numerator'
            and numerators.nearness = 1
    left join part_candidates as denominators
        on
            ratios.document_id = denominators.document_id
            and ratios.source_kind = denominators.source_kind
            and ratios.source_ref = denominators.source_ref
            and denominators.part = 'denominator'
            and denominators.nearness = 1
)

select * from final
