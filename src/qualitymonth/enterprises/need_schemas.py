"""API shapes of the one-stop service (need_api.py)."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line, Text
from qualitymonth.core.validators import DbInt
from qualitymonth.enterprises.models import Deliverable, Need, Visit
from qualitymonth.enterprises.services import needs as services


class VisitOut(Schema):
    id: int
    visited_on: dt.date
    notes: str
    problems_found: int
    problems_solved: int
    photo_url: str | None = Field(description="Served after the same check as the need")

    @staticmethod
    def resolve_photo_url(obj: Visit) -> str | None:
        if not obj.photo:
            return None
        return reverse("services:photo", args=[obj.need.number, obj.pk])


class DeliverableOut(Schema):
    id: int
    title: str
    original_name: str
    created_at: dt.datetime
    url: str

    @staticmethod
    def resolve_url(obj: Deliverable) -> str:
        return reverse("services:deliverable", args=[obj.need.number, obj.pk])


class NeedOut(Schema):
    number: str
    status: str = Field(description=" | ".join(Need.Status.values))
    status_label: str
    enterprise_id: int
    enterprise_name: str = Field(alias="enterprise.name")
    service_type: str = Field(alias="service_type.code")
    service_name: str = Field(alias="service_type.name")
    provider: str | None
    submitted_at: dt.datetime
    respond_by: dt.date
    complete_by: dt.date | None
    delivered_at: dt.datetime | None
    closed_at: dt.datetime | None
    decline_reason: str
    fee_standard: Decimal | None
    fee_charged: Decimal | None
    relief: str
    money_saved: Decimal | None
    rating: int | None
    rating_comment: str

    @staticmethod
    def resolve_status_label(obj: Need) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_provider(obj: Need) -> str | None:
        return obj.provider.name if obj.provider_id else None


class NeedDetailOut(NeedOut):
    description: str
    products: str
    wished_from: dt.date | None
    wished_until: dt.date | None
    visits: list[VisitOut]
    deliverables: list[DeliverableOut]

    @staticmethod
    def resolve_visits(obj: Need) -> list:
        return list(obj.visits.all())

    @staticmethod
    def resolve_deliverables(obj: Need) -> list:
        return list(obj.deliverables.all())


class SuggestionOut(Schema):
    id: int
    name: str
    kind: str
    open_needs: int
    average_rating: float | None


class NeedIn(InputSchema):
    enterprise_id: DbInt = Field(
        ...,
        description="An enterprise you act for: as its member, its quality steward, or the office",
    )
    service_type: Line = Field(..., max_length=40, description="The service type's code")
    description: Text = Field(..., max_length=services.DESCRIPTION_MAX)
    products: Line = Field("", max_length=services.PRODUCTS_MAX)
    wished_from: dt.date | None = None
    wished_until: dt.date | None = Field(None, description="Not before wished_from, nor past")
    public_consent: bool = False


class NeedRateIn(InputSchema):
    rating: int = Field(..., description="1 to 5")
    comment: Text = Field("", max_length=services.COMMENT_MAX)


class NeedReasonIn(InputSchema):
    reason: Text = Field(..., max_length=services.REASON_MAX, description="The enterprise reads it")


class DispatchIn(InputSchema):
    provider_id: DbInt
    reason: Text = Field(
        "",
        max_length=services.REASON_MAX,
        description="Required when the provider is not the first suggestion",
    )


class FeesIn(InputSchema):
    fee_standard: Line | None = Field(None, max_length=20, description="Yuan, e.g. 800 or 35.50")
    fee_charged: Line | None = Field(None, max_length=20, description="At most the standard fee")
    relief: Line = Field("", description=" | ".join(v for v in Need.Relief.values if v))


class NeedFilterIn(InputSchema):
    q: Line = Field("", max_length=60, description="A need's number or the enterprise's name")
    status: Line = ""
    category: Line = ""
    service_type: Line = Field("", description="A service type's code")
    provider: Line = Field("", description="A provider's id")
    district: Line = Field("", description="A district's code")
    clock: Line = Field("", description="due_soon | overdue")
