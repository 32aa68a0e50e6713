"""An inspection on a phone (390×844): an inspector opens the kindergarten canteen drawn for
them, answers every item (each answer saves itself through htmx as it is tapped; a reload shows
them), marks two items not compliant with a photo each taken through the file input, writes the
orders, the canteen's representative signs, then both inspectors sign with their own accounts.
The two hazards exist afterwards, and the draw has its result.

Steps are found by the forms' ids and test ids, not by their words (the page speaks Chinese)."""

import re
from pathlib import Path

import pytest
from PIL import Image

from qualitymonth.core.models import Region
from qualitymonth.supervision.models import DrawnSubject, Hazard, Inspection
from tests.browser.conftest import settled
from tests.factories import UnitFactory
from tests.supervision.conftest import make_canteen, make_inspector
from tests.supervision.inspection_helpers import make_drawn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-12345678"
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
NOT_COMPLIANT = {2: "一名帮厨人员健康证明过期", 7: "午餐两个品种未留样"}


def _login(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button.primary").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def _fits_the_phone(page) -> None:
    # Against the viewport's own width: on a phone innerWidth grows with a page that overflows.
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport + 1, f"{page.url} scrolls sideways ({width}px > {viewport}px)"


def _photo(path: Path) -> str:
    image = Image.new("RGB", (1200, 900), (236, 240, 243))
    image.save(path, format="JPEG")
    return str(path)


def _sign(page) -> None:
    page.locator("[data-testid=sign]").click()
    page.wait_for_url(re.compile(r"/sign/$"))
    page.locator("[data-testid=confirm-sign]").click()
    page.wait_for_load_state()


def test_an_inspector_inspects_a_kindergarten_canteen_on_a_phone(
    live_server, browser, campaign, tmp_path
):
    districts = list(Region.objects.filter(parent=campaign.region).order_by("code"))
    unit = UnitFactory(region=campaign.region, code="amr", kind="market_supervision")
    other = UnitFactory(region=campaign.region, code="sei", kind="market_supervision")
    first = make_inspector(unit, "insp-a", districts=districts)
    second = make_inspector(other, "insp-c", districts=districts)
    canteen = make_canteen(campaign.region, districts[0], 1)
    drawn = make_drawn(canteen, [first, second], unit=unit)
    base = live_server.url

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    phone = context.new_page()
    _login(phone, base, "insp-a", "/inspect/")
    assert canteen.name in phone.content()
    _fits_the_phone(phone)
    phone.locator(f"[data-testid=start-{drawn.pk}]").click()
    phone.wait_for_url(re.compile(r"/inspect/inspections/J\d{4}-\d{5}/$"))
    inspection = Inspection.objects.get(drawn=drawn)
    items = list(inspection.checklist.items.all())
    assert len(items) == 10

    for item in items:
        verdict = 1 if item.order in NOT_COMPLIANT else 0
        with phone.expect_response(lambda r, pk=item.pk: r.url.endswith(f"/items/{pk}/answer/")):
            phone.locator(f"label[for=i{item.pk}_verdict_{verdict}]").tap()
        settled(phone)
        phone.wait_for_selector(f"#item-{item.pk} [data-testid=saved]")
    for item in (i for i in items if i.order in NOT_COMPLIANT):
        card = f"#item-{item.pk}"
        with phone.expect_response(lambda r, pk=item.pk: r.url.endswith(f"/items/{pk}/photos/")):
            phone.set_input_files(f"#i{item.pk}_photo", _photo(tmp_path / f"p{item.order}.jpg"))
        settled(phone)
        photo = phone.wait_for_selector(f"{card} .photos img", state="attached")
        photo.scroll_into_view_if_needed()
        phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo)
        phone.fill(f"#i{item.pk}_description", NOT_COMPLIANT[item.order])
        phone.fill(f"#i{item.pk}_order_text", "立即整改，三日内报送整改情况")
        with phone.expect_response(lambda r, pk=item.pk: r.url.endswith(f"/items/{pk}/hazard/")):
            phone.locator(f"{card} [data-testid=hazard-{item.order}] button.primary").tap()
        settled(phone)
        phone.wait_for_selector(f"{card} [data-testid=saved]")

    # Nothing is lost on a reload: every answer comes back from the server.
    phone.reload()
    for item in items:
        verdict = 1 if item.order in NOT_COMPLIANT else 0
        assert phone.is_checked(f"#i{item.pk}_verdict_{verdict}")
    _fits_the_phone(phone)
    SCREENS.mkdir(parents=True, exist_ok=True)
    phone.locator(f"#item-{items[6].pk}").screenshot(path=str(SCREENS / "sv-inspection-item.png"))

    phone.locator("[data-testid=finish]").first.click()
    phone.wait_for_url(re.compile(r"/finish/$"))
    phone.fill("#id_name", "王园长")
    phone.locator("[data-testid=representative-form] button.primary").click()
    phone.wait_for_selector("[data-testid=representative]")
    _sign(phone)
    assert inspection.signatures.count() == 1
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.IN_PROGRESS
    context.close()

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    phone = context.new_page()
    _login(phone, base, "insp-c", "/inspect/")
    phone.locator("[data-testid=in-progress]").first.click()
    phone.locator("[data-testid=finish]").first.click()
    phone.wait_for_url(re.compile(r"/finish/$"))
    _sign(phone)
    phone.wait_for_selector("[data-testid=inspection-status].status-signed")
    _fits_the_phone(phone)
    phone.screenshot(path=str(SCREENS / "sv-inspection-signed.png"), full_page=True)
    context.close()

    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.SIGNED and inspection.result == "rectify"
    hazards = list(Hazard.objects.filter(inspection=inspection).order_by("answer__item__order"))
    assert [h.description for h in hazards] == [NOT_COMPLIANT[2], NOT_COMPLIANT[7]]
    assert all(h.status == Hazard.Status.OPEN for h in hazards)
    assert DrawnSubject.objects.get(pk=drawn.pk).result == "rectify"
