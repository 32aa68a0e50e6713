"""API shapes of campaign participation (participation_api.py)."""

import datetime as dt

from ninja import Field, Schema

from qualitymonth.campaigns.models import Participation
from qualitymonth.campaigns.services import participation as services
from qualitymonth.core.schemas import InputFilterSchema, InputSchema, Line, Text
from qualitymonth.core.validators import mask_mobile, mask_name


class ParticipationOut(Schema):
    """An application as its applicant sees it: the contact masked."""

    id: int
    campaign: str = Field(alias="campaign.slug")
    kind: str = Field(description=" | ".join(Participation.Kind.values))
    name: str
    uscc: str
    district: str | None
    contact_name: str = Field(description="Masked")
    contact_mobile: str = Field(description="Masked")
    plan: str
    status: str = Field(description=" | ".join(Participation.Status.values))
    status_label: str
    reason: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    unit_code: str | None = Field(description="The participating unit, once accepted")

    @staticmethod
    def resolve_district(obj: Participation) -> str | None:
        return obj.district.code if obj.district_id else None

    @staticmethod
    def resolve_contact_name(obj: Participation) -> str:
        return mask_name(obj.contact_name)

    @staticmethod
    def resolve_contact_mobile(obj: Participation) -> str:
        return mask_mobile(obj.contact_mobile)

    @staticmethod
    def resolve_status_label(obj: Participation) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_unit_code(obj: Participation) -> str | None:
        return obj.unit.code if obj.unit_id else None


class OfficeParticipationOut(ParticipationOut):
    """The office handles the application: the contact in full."""

    @staticmethod
    def resolve_contact_name(obj: Participation) -> str:
        return obj.contact_name

    @staticmethod
    def resolve_contact_mobile(obj: Participation) -> str:
        return obj.contact_mobile


class ParticipantOut(Schema):
    """A participating organisation on the public page: no personal data."""

    code: str
    name: str
    kind: str
    activity_count: int
    calendar_url: str = Field(description="The campaign's calendar, this unit's activities")


class ParticipationIn(InputSchema):
    kind: Line = Field(..., description=" | ".join(Participation.Kind.values))
    name: Line = Field(..., max_length=services.NAME_MAX)
    uscc: Line = Field(..., max_length=18, description="Starts with 5 (association) or 9")
    district: Line = Field("", max_length=12, description="A district code of the campaign")
    contact_name: Line = Field(..., max_length=services.CONTACT_MAX)
    contact_mobile: Line = Field(..., max_length=20)
    plan: Text = Field(..., max_length=services.PLAN_MAX)


class ParticipationReasonIn(InputSchema):
    reason: Text = Field(..., max_length=services.REASON_MAX, description="The applicant reads it")


class ParticipationFilterIn(InputFilterSchema):
    status: Line = Field("", description=" | ".join(Participation.Status.values))
    kind: Line = Field("", description=" | ".join(Participation.Kind.values))
    campaign: Line = Field("", max_length=60, description="A campaign's slug")
    q: Line = Field("", max_length=100, description="Words of the name, or the code's start")
