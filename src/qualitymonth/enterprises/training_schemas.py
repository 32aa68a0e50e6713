"""API shapes of enterprise trainings and the CQO register (training_api.py)."""

import datetime as dt

from django.urls import reverse
from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line
from qualitymonth.core.validators import DbInt, mask_mobile
from qualitymonth.enterprises.models import ChiefQualityOfficer, Training, TrainingAttendance
from qualitymonth.enterprises.services import trainings as services


class TrainingOut(Schema):
    activity_id: int
    kind: str = Field(description=" | ".join(Training.Kind.values))
    kind_label: str
    title: str = Field(alias="activity.title")
    starts_at: dt.datetime = Field(alias="activity.starts_at")
    ends_at: dt.datetime = Field(alias="activity.ends_at")
    venue: str = Field(alias="activity.venue")
    organiser: str = Field(alias="activity.organiser.name")
    capacity: int | None = Field(alias="activity.capacity")
    seats_taken: int

    @staticmethod
    def resolve_kind_label(obj: Training) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_seats_taken(obj: Training) -> int:
        return getattr(obj, "confirmed", 0)


class AttendanceOut(Schema):
    id: int
    activity_id: int = Field(alias="training.activity_id")
    enterprise_id: int
    cqo_id: int | None
    status: str = Field(alias="registration.status")
    ticket_code: str = Field(alias="registration.display_code")
    ticket_url: str
    checked_in_at: dt.datetime | None = Field(alias="registration.checked_in_at")

    @staticmethod
    def resolve_ticket_url(obj: TrainingAttendance) -> str:
        return obj.registration.get_absolute_url()


class TrainingRegistrationIn(InputSchema):
    enterprise_id: DbInt = Field(..., description="One of the enterprises you act for")
    cqo_id: DbInt | None = Field(
        None,
        description="A serving CQO of the enterprise (CQO trainings); name and mobile are then the CQO's",
    )
    name: Line = Field("", max_length=services.NAME_MAX, description="Without cqo_id")
    mobile: Line = Field("", max_length=20, description="Without cqo_id")


class CqoOut(Schema):
    id: int
    enterprise_id: int
    name: str
    mobile: str = Field(description="Masked unless you act for the enterprise")
    position: str
    appointed_on: dt.date
    ended_on: dt.date | None
    has_letter: bool
    certificate_number: str | None
    certified_at: dt.datetime | None
    certificate_url: str | None

    @staticmethod
    def resolve_mobile(obj: ChiefQualityOfficer, context) -> str:
        # The caller's own enterprises see the number; the office and the steward see it masked.
        request = context["request"]
        own = getattr(request, "_qm_own_enterprises", None)
        if own is None:
            own = set(request.user.enterprise_memberships.values_list("enterprise_id", flat=True))
            request._qm_own_enterprises = own
        return obj.mobile if obj.enterprise_id in own else mask_mobile(obj.mobile)

    @staticmethod
    def resolve_has_letter(obj: ChiefQualityOfficer) -> bool:
        return bool(obj.appointment_letter)

    @staticmethod
    def resolve_certificate_url(obj: ChiefQualityOfficer) -> str | None:
        if not obj.certificate_number:
            return None
        return reverse("trainings:cqo_certificate", args=[obj.pk])


class RegisterCqoOut(Schema):
    id: int
    certificate_number: str
    certified_at: dt.datetime | None
    name: str
    mobile: str = Field(description="Masked")
    position: str
    ended_on: dt.date | None
    enterprise_id: int
    enterprise_name: str = Field(alias="enterprise.name")
    uscc: str = Field(alias="enterprise.uscc")
    industry: str | None
    district: str | None

    @staticmethod
    def resolve_mobile(obj: ChiefQualityOfficer) -> str:
        return mask_mobile(obj.mobile)

    @staticmethod
    def resolve_industry(obj: ChiefQualityOfficer) -> str | None:
        return obj.enterprise.industry.code if obj.enterprise.industry_id else None

    @staticmethod
    def resolve_district(obj: ChiefQualityOfficer) -> str | None:
        return obj.enterprise.district.code if obj.enterprise.district_id else None


class CqoRegisterFilterIn(InputSchema):
    q: Line = Field("", max_length=60, description="An enterprise's name or the start of its code")
    district: Line = Field("", description="A district's code")
    section: Line = Field("", description="An industry section (GB/T 4754), e.g. C")
    division: Line = Field("", description="An industry division, e.g. 34")
    serving: Line = Field("", description='"1": appointments not ended only')


class CertifiedOut(Schema):
    certified: int = Field(description="CQOs certified by this request")
    numbers: list[str]
