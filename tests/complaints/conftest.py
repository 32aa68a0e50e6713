import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualitymonth.complaints.routing.router import Guess
from qualitymonth.complaints.services import CaseInput, complaint_submit


@pytest.fixture
def route(monkeypatch):
    """Make the classifier answer what a test needs: route("construction", 0.9)."""

    def set_guess(unit: str | None, confidence: float = 0.9, nature="quality", category="food"):
        guesses = {
            "nature": Guess(nature, 0.8),
            "category": Guess(category, 0.8),
        }
        if unit:
            guesses["unit"] = Guess(unit, confidence)
        monkeypatch.setattr(
            "qualitymonth.complaints.routing.router.classify", lambda text: dict(guesses)
        )

    set_guess(None)
    return set_guess


def complaint_data(**overrides) -> CaseInput:
    data = {
        "kind": "complaint",
        "complainant_name": "李小红",
        "complainant_mobile": "13912345678",
        "complainant_address": "厦门市思明区湖滨南路100号",
        "respondent_name": "厦门市湖里区鹭佳电器商行",
        "respondent_address": "湖里区嘉禾路88号",
        "request": "退货退款",
        "facts": "9月3日购买的电饭煲使用两次后无法加热，商家拒绝退换。",
        "product_or_service": "电饭煲",
        "amount": "399",
        "purchase_date": "2022-09-03",
        "district": "湖里区",
    }
    data.update(overrides)
    return CaseInput(**data)


@pytest.fixture
def region(campaign):
    from qualitymonth.complaints.services.hotspots import _place_prefix

    campaign.region.name = "厦门市"
    campaign.region.save(update_fields=["name"])
    _place_prefix.cache_clear()  # the place names the grouping strips come from the regions
    return campaign.region


@pytest.fixture
def case(region, unit, route):
    route(unit.code, 0.95)
    return complaint_submit(data=complaint_data(), region=region)


def png_upload(name="photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name="receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
