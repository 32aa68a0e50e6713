"""API shapes of claims and memberships (enterprises/api.py for the person, office_api.py for
the office)."""

import datetime as dt

from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line, Text
from qualitymonth.core.validators import mask_mobile
from qualitymonth.enterprises.models import Claim, EnterpriseMember
from qualitymonth.enterprises.services.claims import REASON_MAX


class ClaimOut(Schema):
    id: int
    enterprise_uscc: str = Field(alias="enterprise.uscc")
    enterprise_name: str = Field(alias="enterprise.name")
    position: str
    status: str = Field(description="pending | approved | declined")
    status_label: str
    reason: str = Field(description="Why the office declined, when it did")
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: Claim) -> str:
        return str(obj.get_status_display())


class OfficeClaimOut(ClaimOut):
    username: str = Field(alias="user.username")
    name: str = Field(alias="user.first_name")
    mobile: str = Field(description="The verified mobile, masked")

    @staticmethod
    def resolve_mobile(obj: Claim) -> str:
        return mask_mobile(obj.mobile)


class MembershipOut(Schema):
    enterprise_id: int
    uscc: str = Field(alias="enterprise.uscc")
    name: str = Field(alias="enterprise.name")
    since: dt.datetime = Field(alias="created_at")

    @staticmethod
    def resolve_enterprise_id(obj: EnterpriseMember) -> int:
        return obj.enterprise_id


class ClaimFilterIn(InputSchema):
    status: Line = Field("", description="pending | approved | declined; empty for all")
    q: Line = Field("", max_length=60, description="Enterprise name or code, or the person")


class DeclineIn(InputSchema):
    reason: Text = Field(..., max_length=REASON_MAX, description="Shown to the person")
