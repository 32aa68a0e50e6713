"""API shapes of the office's enterprise registry (office_api.py)."""

import datetime as dt

from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema
from qualitymonth.enterprises.models import Enterprise


class EnterpriseOut(Schema):
    id: int
    uscc: str
    uscc_exception_reason: str = Field(description="Why a code failing the check is accepted")
    name: str
    region: str = Field(alias="region.code", description="The city's GB/T 2260 code")
    district: str | None = Field(None, description="The district's GB/T 2260 code")
    industry: str | None = Field(None, description="GB/T 4754 section letter or division code")
    size: str = Field(description="large | medium | small | micro, or empty")
    is_key_industry: bool
    is_sme: bool
    is_specialised: bool
    steward: str | None = Field(None, description="The quality steward's username")
    updated_at: dt.datetime

    @staticmethod
    def resolve_district(obj: Enterprise) -> str | None:
        return obj.district.code if obj.district_id else None

    @staticmethod
    def resolve_industry(obj: Enterprise) -> str | None:
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_steward(obj: Enterprise) -> str | None:
        return obj.steward.get_username() if obj.steward_id else None


class EnterpriseDetailOut(EnterpriseOut):
    """One enterprise for the office that keeps it: its contact in full, as on its edit page."""

    legal_representative: str
    registered_address: str
    operating_address: str
    main_products: str
    contact_name: str
    contact_mobile: str


class EnterpriseIn(InputSchema):
    uscc: str = Field(max_length=40, description="18 characters; spaces are ignored")
    uscc_exception_reason: str = Field(
        "", max_length=200, description="Only for a legally issued code that fails the check"
    )
    name: str = Field(max_length=120)
    legal_representative: str = Field(max_length=40)
    registered_address: str = Field(max_length=200)
    operating_address: str = Field("", max_length=200)
    region: str = Field(
        "",
        max_length=12,
        description="The city's code, when creating for an office of several cities",
    )
    district: str = Field("", max_length=12, description="A district's code within the city")
    industry: str = Field("", max_length=4, description="GB/T 4754 section or division code")
    size: str = Field("", max_length=10, description="large | medium | small | micro")
    main_products: str = Field("", max_length=300)
    contact_name: str = Field("", max_length=40)
    contact_mobile: str = Field("", max_length=20)
    is_key_industry: bool = False
    is_sme: bool = False
    is_specialised: bool = False


class EnterpriseFilterIn(InputSchema):
    q: str = Field("", max_length=60, description="Words of the name, or a code's beginning")
    district: str = Field("", max_length=12)
    section: str = Field("", max_length=4, description="GB/T 4754 section letter")
    size: str = Field("", max_length=10)
    flag: str = Field("", max_length=20, description="key_industry | sme | specialised")
    order: str = Field("", max_length=10, description="name | -updated | -created | uscc")
