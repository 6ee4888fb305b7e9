-- One row per reported figure (the grain of int_values_normalised) with, for a ratio
-- figure whose indicator has a numerator and a denominator in the catalog (carried by
-- int_values_normalised), the values of those parts as the same report states them (the
-- nearest figure of each part in the same table, or the same sentence line) and the
-- ratio they imply; null for every other figure. The implied ratio is computed here
-- once; rules and derivation both use it. The parts are found and joined back in this
-- one model, so no downstream model rejoins int_values_normalised.
with

figures as (
    select * from {{ ref('int_values_normalised') }}
),

ratios as (
    select
        figures.document_id,
        figures.source_kind,
        figures.source_ref,
        figures.figure_group,
        figures.figure_position,
        figures.catalog_numerator_code as numerator_code,
        figures.catalog_denominator_code as denominator_code
    from figures
    where
        figures.catalog_numerator_code is not null
        and figures.catalog_denominator_code is not null
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
    inner join figures as parts
        on
            ratios.document_id = parts.document_id
            and ratios.figure_group = parts.figure_group
            and parts.indicator_code in (ratios.numerator_code, ratios.denominator_code)
            and parts.value_canonical is not null
),

ratio_parts as (
    select
        ratios.document_id,
        ratios.source_kind,
        ratios.source_ref,
        ratios.numerator_code,
        ratios.denominator_code,
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
),

final as (
    select
        figures.*,
        ratio_parts.numerator_code as ratio_numerator_code,
        ratio_parts.denominator_code as ratio_denominator_code,
        ratio_parts.numerator_value as ratio_numerator_value,
        ratio_parts.denominator_value as ratio_denominator_value,
        ratio_parts.implied_ratio as ratio_implied_value,
        ratio_parts.numerator_decimals as ratio_numerator_decimals,
        ratio_parts.denominator_decimals as ratio_denominator_decimals,
        ratio_parts.has_doubtful_part as ratio_has_doubtful_part,
        ratio_parts.numerator_source_line as ratio_numerator_source_line,
        ratio_parts.denominator_source_line as ratio_denominator_source_line,
        ratio_parts.is_ratio_undefined
    from figures
    left join ratio_parts
        on
            figures.document_id = ratio_parts.document_id
            and figures.source_kind = ratio_parts.source_kind
            and figures.source_ref = ratio_parts.source_ref
)

select * from final
