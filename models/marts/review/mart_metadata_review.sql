-- One row per document and metadata field (agency, province, period) a reviewer should
-- look at: other places of the document state another value (its conflicts, weighed by
-- ingest.evidence), or the value rests on weak evidence (confidence below the var
-- metadata_review_confidence). A manifest line that overrides what the document says
-- is listed too, with what the document said.
with

documents as (
    select * from {{ ref('int_documents_placed') }}
    -- a document placed twice (set aside by int_documents_quarantined) is reviewed once
    qualify row_number() over (
        partition by document_id order by province_key nulls last
    ) = 1
),

fields as (
    select
        document_id,
        file_path,
        is_current_document,
        'agency_name' as field_name,
        agency_name as field_value,
        agency_name_found_by as found_by,
        agency_name_confidence as confidence,
        agency_name_conflicts as conflicts
    from documents
    union all
    select
        document_id,
        file_path,
        is_current_document,
        'province_name' as field_name,
        province_name as field_value,
        province_name_found_by as found_by,
        province_name_confidence as confidence,
        province_name_conflicts as conflicts
    from documents
    union all
    select
        document_id,
        file_path,
        is_current_document,
        'period' as field_name,
        concat_ws(
            ' ',
            period_type,
            cast(period_year as varchar)
            || case
                when period_type = 'quarter' then '-' || cast(period_number as varchar)
                when period_type = 'plan' then '-' || cast(period_end_year as varchar)
                else ''
            end
        ) as field_value,
        period_type_found_by as found_by,
        period_confidence as confidence,
        period_conflicts as conflicts
    from documents
),

final as (
    select
        fields.document_id || '|' || fields.field_name as review_key,
        fields.document_id,
        fields.file_path,
        fields.field_name,
        fields.field_value,
        fields.found_by,
        fields.confidence,
        cast(coalesce(json_array_length(fields.conflicts), 0) as integer) as conflict_count,
        cast(fields.conflicts as varchar) as conflicts_json,
        case
            when fields.conflicts is not null then 'conflict'
            else 'low_confidence'
        end as review_reason,
        case
            when fields.conflicts is not null
                then 'Các nơi trong văn bản nêu giá trị khác nhau'
            else 'Căn cứ xác định còn yếu'
        end as review_reason_vi,
        fields.is_current_document
    from fields
    where
        fields.conflicts is not null
        or fields.confidence < {{ var('metadata_review_confidence') }}
)

select * from final
