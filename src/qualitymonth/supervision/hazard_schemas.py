"""API shapes of hazards and their rectification (hazard_api.py). No person is named: a reply
says whether the enterprise sent it or an inspector recorded it."""

import datetime as dt
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line, Text
from qualitymonth.core.validators import DbInt
from qualitymonth.supervision.services import hazards as services

Tab = Literal["open", "due_soon", "overdue", "closed", "escalated"]
Kind = Literal["", "enterprise", "canteen", "elevator"]


class HazardFilterIn(InputSchema):
    tab: Tab = Field("open", description="open | due_soon | overdue | closed | escalated")
    q: Line = Field(
        "", max_length=60, description="Words of the subject's name, or an inspection number"
    )
    district: Line = Field("", max_length=12, description="A district's code")
    kind: Kind = Field("", description="The kind of subject")
    unit: DbInt | None = Field(None, description="The inspecting unit's id")


class RectificationFilterIn(InputSchema):
    status: Literal["open", "done", "all"] = Field(
        "open", description="open: ordered or reported; done: closed or escalated"
    )


class HazardSubjectOut(Schema):
    id: int
    name: str
    kind: str
    district: str | None = Field(None, description="The district's code")

    @staticmethod
    def resolve_district(obj) -> str | None:
        return obj.district.code if obj.district_id else None


class HazardOut(Schema):
    id: int
    status: str
    description: str
    order_text: str
    deadline: dt.date
    overdue: bool = Field(description="Past its deadline without an answer")
    due_soon: bool = Field(description="Its deadline is within 3 working days, no answer yet")
    extended: bool = Field(description="The deadline was extended (once only)")
    subject: HazardSubjectOut
    inspection: str = Field(alias="inspection.number")
    inspected_on: dt.date = Field(alias="inspection.inspected_on")
    unit_id: int
    reinspected_on: dt.date | None
    closed_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return bool(getattr(obj, "overdue", False))

    @staticmethod
    def resolve_due_soon(obj) -> bool:
        return bool(getattr(obj, "due_soon", False))

    @staticmethod
    def resolve_extended(obj) -> bool:
        return bool(getattr(obj, "extended", False))


class ReplyOut(Schema):
    id: int
    note: str
    from_enterprise: bool = Field(description="False: an inspector recorded it for the subject")
    photo_url: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_from_enterprise(obj) -> bool:
        return bool(getattr(obj, "from_enterprise", False))

    @staticmethod
    def resolve_photo_url(obj) -> str | None:
        if not obj.photo:
            return None
        return reverse("sv_hazard:reply_photo", args=[obj.hazard_id, obj.pk])


class HazardPhotoOut(Schema):
    id: int
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("sv_hazard:photo", args=[obj.hazard_pk, obj.pk])


class HazardDetailOut(HazardOut):
    item: str | None = Field(None, description="The checklist item found not compliant")
    reinspection_note: str
    case: str | None = Field(None, description="The enforcement case's number, if escalated")
    replies: list[ReplyOut]
    photos: list[HazardPhotoOut] = Field(description="The inspectors' photos of the item")

    @staticmethod
    def resolve_item(obj) -> str | None:
        return obj.answer.item.text if obj.answer_id else None

    @staticmethod
    def resolve_case(obj) -> str | None:
        case = getattr(obj, "case", None)
        return case.number if case else None

    @staticmethod
    def resolve_replies(obj) -> list:
        return getattr(obj, "replies_list", [])

    @staticmethod
    def resolve_photos(obj) -> list:
        return getattr(obj, "photos_list", [])


class RectificationOut(HazardOut):
    replies_count: int


class ReinspectionIn(InputSchema):
    reinspected_on: dt.date
    outcome: Literal["close", "escalate"] = Field(
        description="close: rectified; escalate: open an enforcement case"
    )
    note: Text = Field(
        "",
        max_length=services.NOTE_MAX,
        description="Required when escalating and when closing an order never answered",
    )
    legal_basis: Line = Field("", max_length=services.LEGAL_BASIS_MAX)


class ExtendIn(InputSchema):
    deadline: dt.date = Field(description="The new deadline (once per hazard)")
    reason: Line = Field(..., max_length=services.REASON_MAX)


class ReplyFields(InputSchema):
    """The reply's text, as a multipart form field beside its photo."""

    note: Text = Field(..., max_length=services.NOTE_MAX)
