"""API shapes of the enforcement cases, penalty publicity and typical cases (case_api.py)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line, Text
from qualitymonth.core.validators import DbInt


class PublicityOut(Schema):
    status: str
    period: str
    due_on: dt.date
    published_at: dt.datetime | None
    visible_until: dt.date | None
    withdraw_due: dt.date | None
    text: str


class CaseOut(Schema):
    number: str
    unit: str = Field(alias="unit.code")
    source: str
    procedure: str
    party_kind: str
    party_name: str = Field(description="A natural person's name is masked in lists")
    party_is_minor: bool
    enterprise_uscc: str | None
    status: str
    decisions: list[str]
    fine_amount: Decimal | None
    decision_number: str
    decided_on: dt.date | None
    changed_on: dt.date | None
    created_at: dt.datetime

    @staticmethod
    def resolve_enterprise_uscc(obj) -> str | None:
        return obj.enterprise.uscc if obj.enterprise_id else None

    @staticmethod
    def resolve_party_name(obj) -> str:
        return getattr(obj, "party_shown", obj.party_name)


class CaseDetailOut(CaseOut):
    facts: str
    legal_basis: str
    decision_text: str
    change_reason: str
    complaint: str | None
    publicity: PublicityOut | None

    @staticmethod
    def resolve_complaint(obj) -> str | None:
        return obj.complaint.tracking_number if obj.complaint_id else None

    @staticmethod
    def resolve_publicity(obj):
        return getattr(obj, "publicity_row", None)


class CaseSearchIn(InputSchema):
    q: Line = Field("", max_length=60, description="Words of the number or the party")
    status: Line = Field("", max_length=14)
    source: Line = Field("", max_length=12)
    procedure: Line = Field("", max_length=12)


class EnforcementCaseIn(InputSchema):
    unit: Line = Field(..., max_length=40, description="The code of the unit handling it")
    source: Line = Field(..., max_length=12, description="complaint | inspection | spot_check …")
    procedure: Line = Field("ordinary", max_length=12, description="ordinary | simplified")
    party_kind: Line = Field(..., max_length=12, description="enterprise | person")
    enterprise_uscc: Line = Field("", max_length=18)
    party_name: Line = Field("", max_length=120)
    party_is_minor: bool = False
    facts: Text = Field(..., max_length=5000)
    legal_basis: Line = Field("", max_length=500)
    complaint: Line = Field("", max_length=20, description="A complaint's tracking number")
    hazard_id: DbInt | None = None
    sample_id: DbInt | None = None


class CaseUpdateIn(InputSchema):
    procedure: Line = Field(..., max_length=12)
    party_kind: Line = Field(..., max_length=12)
    enterprise_uscc: Line = Field("", max_length=18)
    party_name: Line = Field("", max_length=120)
    party_is_minor: bool = False
    facts: Text = Field(..., max_length=5000)
    legal_basis: Line = Field("", max_length=500)


class DecisionIn(InputSchema):
    decisions: list[Line] = Field(..., max_length=12, description="Keys of the penalty kinds")
    fine_amount: Line = Field("", max_length=20, description="Yuan, only with a fine")
    decision_number: Line = Field(..., max_length=60)
    decided_on: dt.date
    decision_text: Text = Field(..., max_length=3000)
    restriction_until: dt.date | None = None


class ChangeIn(InputSchema):
    change: Line = Field(..., max_length=8, description="revise | revoke")
    changed_on: dt.date
    reason: Line = Field(..., max_length=300)
    decisions: list[Line] = Field([], max_length=12, description="For a revision")
    fine_amount: Line = Field("", max_length=20)
    decision_text: Text = Field("", max_length=3000)


class RemoveIn(InputSchema):
    why: Line = Field(
        ...,
        max_length=12,
        description="changed: withdraw after a revision or revocation; application: early "
        "removal on the party's application (all four conditions must hold)",
    )
    reason: Line = Field("", max_length=300)
    carried_out: bool = False
    harm_removed: bool = False
    no_repeat: bool = False
    not_listed: bool = False


class PublicityPublishIn(InputSchema):
    text: Text | None = Field(None, max_length=8000, description="The text, if corrected")


class TypicalOut(Schema):
    id: int
    case_number: str = Field(alias="case.number")
    campaign: str | None
    domain: str | None
    title: str
    facts: str
    actions: str
    warning: str
    status: str
    return_reason: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_campaign(obj) -> str | None:
        return obj.campaign.slug if obj.campaign_id else None

    @staticmethod
    def resolve_domain(obj) -> str | None:
        return obj.domain.code if obj.domain_id else None


class TypicalSearchIn(InputSchema):
    status: Line = Field("", max_length=10)


class TypicalIn(InputSchema):
    case_number: Line = Field(..., max_length=24)
    campaign: Line = Field(..., max_length=60, description="The campaign's slug")
    domain: Line = Field("", max_length=40, description="A domain code of the campaign")
    title: Line = Field(..., max_length=120)
    facts: Text = Field(..., max_length=5000)
    actions: Text = Field(..., max_length=3000)
    warning: Text = Field(..., max_length=2000)


class ReturnIn(InputSchema):
    reason: Line = Field(..., max_length=300)


class PublicPenaltyOut(Schema):
    decision_number: str = Field(alias="case.decision_number")
    authority: str = Field(alias="case.unit.name")
    text: str
    published_on: dt.date
    visible_until: dt.date

    @staticmethod
    def resolve_published_on(obj) -> dt.date:
        return timezone.localtime(obj.published_at).date()


class PenaltySearchIn(InputSchema):
    q: Line = Field("", max_length=60)


class PublicTypicalSearchIn(InputSchema):
    domain: Line = Field("", max_length=40)


class PublicTypicalOut(Schema):
    id: int
    title: str
    domain: str | None
    domain_name: str | None
    authority: str = Field(alias="case.unit.name")
    facts: str
    actions: str
    warning: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_domain(obj) -> str | None:
        return obj.domain.code if obj.domain_id else None

    @staticmethod
    def resolve_domain_name(obj) -> str | None:
        return obj.domain.localized_name if obj.domain_id else None
