"""API shapes of the checklists and inspections (inspection_api.py)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line, Text
from qualitymonth.core.validators import DbInt
from qualitymonth.supervision.services import checklists as checklist_services


# --- out -----------------------------------------------------------------------------------------
class InspectionOut(Schema):
    number: str
    subject_id: int
    subject: str = Field(alias="subject.name")
    kind: str = Field(alias="subject.kind")
    district: str | None
    unit: str = Field(alias="unit.name")
    inspected_on: dt.date
    status: str
    result: str
    drawn_id: int | None
    signed_at: dt.datetime | None
    hazards: int | None = Field(None, description="Hazards found (lists only)")

    @staticmethod
    def resolve_district(obj) -> str | None:
        district = obj.subject.district
        return district.code if district else None

    @staticmethod
    def resolve_hazards(obj) -> int | None:
        return getattr(obj, "hazard_count", None)


class InspectionDrawnOut(Schema):
    id: int
    task: str = Field(alias="task.number")
    task_title: str = Field(alias="task.title")
    subject_id: int
    subject: str = Field(alias="subject.name")
    kind: str = Field(alias="subject.kind")
    address: str = Field(alias="subject.address")
    starts_on: dt.date = Field(alias="task.starts_on")
    ends_on: dt.date = Field(alias="task.ends_on")
    inspection: str | None = Field(None, description="The number of its inspection in progress")

    @staticmethod
    def resolve_inspection(obj) -> str | None:
        found = getattr(obj, "inspection", None)
        return found.number if found else None


class MineOut(Schema):
    drawn: list[InspectionDrawnOut]
    in_progress: list[InspectionOut]


class InspectionAnswerOut(Schema):
    item_id: int
    verdict: str
    note: str
    updated_at: dt.datetime


class InspectionPhotoOut(Schema):
    id: int
    item_id: int | None
    url: str
    latitude: Decimal | None = Field(None, description="Where it was taken (the office only)")
    longitude: Decimal | None = None
    taken_at: dt.datetime | None = None


class HazardDraftOut(Schema):
    item_id: int
    description: str
    order_text: str
    deadline: dt.date


class ItemOut(Schema):
    id: int
    order: int
    section: str
    text: str
    guidance: str
    photo_required: bool
    answer: InspectionAnswerOut | None
    photos: list[InspectionPhotoOut]
    hazard: HazardDraftOut | None


class RepresentativeOut(Schema):
    name: str
    signed_at: dt.datetime | None
    refused: bool
    refusal_note: str


class SignatureOut(Schema):
    name: str
    signed_at: dt.datetime


class ChecklistRefOut(Schema):
    id: int
    code: str
    version: int
    title: str


class InspectionDetailOut(InspectionOut):
    """Built by inspection_api._detail, which reads the items, photos and drafts once."""

    checklist: ChecklistRefOut
    items: list[ItemOut]
    representative: RepresentativeOut
    signatures: list[SignatureOut]
    missing: list[str] = Field(description="What is still missing before signing")

    @staticmethod
    def resolve_items(obj) -> list:
        return obj.api_items

    @staticmethod
    def resolve_representative(obj) -> dict:
        return {
            "name": obj.representative_name,
            "signed_at": obj.representative_signed_at,
            "refused": obj.representative_refused,
            "refusal_note": obj.refusal_note,
        }

    @staticmethod
    def resolve_signatures(obj) -> list:
        return list(obj.signatures.all())

    @staticmethod
    def resolve_missing(obj) -> list[str]:
        return obj.api_missing


class ChecklistItemOut(Schema):
    id: int
    order: int
    section: str
    text: str
    guidance: str
    photo_required: bool


class ChecklistOut(Schema):
    id: int
    region: str = Field(alias="region.code")
    code: str
    version: int
    title: str
    subject_kind: str
    is_current: bool
    created_at: dt.datetime
    items: list[ChecklistItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


# --- in ------------------------------------------------------------------------------------------
class StartIn(InputSchema):
    drawn_id: DbInt | None = Field(None, description="A drawn subject assigned to me")
    subject_id: DbInt | None = Field(None, description="Or a subject of the city, ad hoc")


class InspectionAnswerIn(InputSchema):
    verdict: Line = Field(
        ..., max_length=20, description="compliant | not_compliant | not_applicable"
    )
    note: Text = ""


class HazardIn(InputSchema):
    item_id: DbInt
    description: Text
    order_text: Text
    deadline: dt.date | None = Field(None, description="Default: 15 days after the inspection")


class RepresentativeIn(InputSchema):
    name: Line = ""
    refused: bool = False
    refusal_note: Line = ""


class CancelIn(InputSchema):
    reason: Text


class InspectionFilterIn(InputSchema):
    q: Line = ""
    status: Line = Field("", max_length=20)
    kind: Line = Field("", max_length=20)
    district: Line = Field("", max_length=12, description="A district's code")
    result: Line = Field("", max_length=20)
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class ChecklistFilterIn(InputSchema):
    code: Line = Field("", max_length=40)


class ChecklistItemIn(InputSchema):
    section: Line = ""
    text: Line
    guidance: Text = ""
    photo_required: bool = True


class ChecklistIn(InputSchema):
    region: Line = Field(
        "", max_length=12, description="The city's code (if the office has several)"
    )
    code: Line = Field(..., max_length=40, description="canteen | elevator | sampling | a new code")
    title: Line = Field("", max_length=checklist_services.TITLE_MAX)
    subject_kind: Line = Field("", max_length=12, description="For a new code")
    items: list[ChecklistItemIn] = Field(..., max_length=checklist_services.ITEMS_MAX)
