"""The supervision journey end to end on a phone (390×844), every step in the browser but the
enforcement case and its decision (made with the services, as the case pages are not part of
this journey):

1. Two inspectors of two units are drawn for a kindergarten canteen. The first opens /inspect/,
   starts the inspection, answers every item, marks two not compliant with a photo each, writes
   the orders; the canteen's representative signs, then both inspectors sign, each with their
   own account in their own browser context.
2. The canteen's enterprise finds the rectification orders under /inspect/hazards/mine/ and
   answers one with a note and a photo.
3. The inspector's unit re-inspects it and closes the order.
4. The office publishes the drawn subject's result from the task's page under
   /office/supervision/plans/; the public results page /supervision/results/ shows it.
5. A typical case is written from a decided case whose penalty is published, submitted, approved
   by a manager (the writer may not), shown on /supervision/typical-cases/, and gone once the
   publicity period has ended (`publicity_expire` run for a later day).

Steps are found by ids, hrefs and test ids, not by their words (the pages speak Chinese)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation

from qualitymonth.core.models import Membership, Region
from qualitymonth.enterprises.models import EnterpriseMember
from qualitymonth.supervision.models import (
    DrawnSubject,
    Hazard,
    Inspection,
    Publicity,
    TypicalCase,
)
from qualitymonth.supervision.services import publicity as publicity_services
from tests.browser.conftest import settled
from tests.browser.test_supervision_inspection import _login, _photo, _sign
from tests.enterprises.conftest import make_enterprise
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from tests.supervision.case_helpers import decide, open_case
from tests.supervision.conftest import make_canteen, make_inspector
from tests.supervision.inspection_helpers import make_drawn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
NOT_COMPLIANT = {2: "一名帮厨人员健康证明过期", 7: "午餐两个品种未留样"}
PHONE_WIDTH = 390
TYPICAL_TITLE = "某幼儿园食堂未按规定留样案"


def _phone(browser):
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    return context, context.new_page()


def _fits_the_phone(page) -> None:
    """No sideways scrolling. Measured against the viewport's 390px, not window.innerWidth: in
    a mobile context Chromium widens the layout viewport to a too-wide page (and zooms out), so
    innerWidth grows with the page and a comparison with it never fails."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH + 1, f"{page.url} scrolls sideways ({width}px > {PHONE_WIDTH}px)"


def _screen(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"journey-{name}.png"), full_page=True)


def _image_shown(page, selector: str) -> None:
    image = page.wait_for_selector(selector, state="attached")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image)


def _inspect(browser, base, drawn, tmp_path) -> Inspection:
    """Part 1: the inspection, signed by the representative and both inspectors."""
    context, phone = _phone(browser)
    _login(phone, base, "insp-a", "/inspect/")
    assert drawn.subject.name in phone.content()
    _fits_the_phone(phone)
    phone.locator(f"[data-testid=start-{drawn.pk}]").click()
    phone.wait_for_url(re.compile(r"/inspect/inspections/J\d{4}-\d{5}/$"))
    inspection = Inspection.objects.get(drawn=drawn)
    items = list(inspection.checklist.items.all())
    assert items

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
        _image_shown(phone, f"{card} .photos img")
        phone.fill(f"#i{item.pk}_description", NOT_COMPLIANT[item.order])
        phone.fill(f"#i{item.pk}_order_text", "立即整改，三日内报送整改情况")
        with phone.expect_response(lambda r, pk=item.pk: r.url.endswith(f"/items/{pk}/hazard/")):
            phone.locator(f"{card} [data-testid=hazard-{item.order}] button.primary").tap()
        settled(phone)
        phone.wait_for_selector(f"{card} [data-testid=saved]")
    _fits_the_phone(phone)
    bad = next(i for i in items if i.order == 7)
    phone.locator(f"#item-{bad.pk}").scroll_into_view_if_needed()
    phone.screenshot(path=str(SCREENS / "journey-1-inspection.png"))

    phone.locator("[data-testid=finish]").first.click()
    phone.wait_for_url(re.compile(r"/finish/$"))
    phone.fill("#id_name", "王园长")
    phone.locator("[data-testid=representative-form] button.primary").click()
    phone.wait_for_selector("[data-testid=representative]")
    _sign(phone)
    assert inspection.signatures.count() == 1
    context.close()

    context, phone = _phone(browser)
    _login(phone, base, "insp-c", "/inspect/")
    phone.locator("[data-testid=in-progress]").first.click()
    phone.locator("[data-testid=finish]").first.click()
    phone.wait_for_url(re.compile(r"/finish/$"))
    _sign(phone)
    phone.wait_for_selector("[data-testid=inspection-status].status-signed")
    context.close()

    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.SIGNED and inspection.result == "rectify"
    assert inspection.signatures.count() == 2
    return inspection


def _enterprise_answers(browser, base, hazard, tmp_path) -> None:
    """Part 2: the enterprise finds its orders and reports one rectified, with a photo."""
    context, phone = _phone(browser)
    _login(phone, base, "ent-user", "/inspect/hazards/mine/")
    orders = phone.locator("[data-testid=rectifications] article")
    assert orders.count() == 2
    listed = phone.locator("[data-testid=rectifications]").inner_text()
    assert NOT_COMPLIANT[2] in listed and NOT_COMPLIANT[7] in listed
    _fits_the_phone(phone)
    phone.locator(f"[data-testid=rectifications] a[href$='/hazards/{hazard.pk}/reply/']").click()
    phone.wait_for_url(re.compile(rf"/inspect/hazards/{hazard.pk}/reply/$"))
    phone.fill("#id_note", "已为帮厨人员重新办理健康证明，并建立证件到期提醒台账。")
    phone.set_input_files("#id_photo", _photo(tmp_path / "reply.jpg"))
    _fits_the_phone(phone)
    phone.locator("main form button.primary").click()
    phone.wait_for_url(re.compile(rf"/inspect/hazards/{hazard.pk}/$"))
    phone.wait_for_selector("[data-testid=hazard-reply]")
    _image_shown(phone, "[data-testid=hazard-reply] .photos img")
    assert "status-answered" in phone.get_attribute("[data-testid=hazard-status]", "class")
    _fits_the_phone(phone)
    _screen(phone, "2-enterprise-reply")
    context.close()


def _unit_closes(browser, base, hazard) -> None:
    """Part 3: the inspector's unit re-inspects and closes the order (a confirmation first)."""
    context, phone = _phone(browser)
    _login(phone, base, "insp-a", "/inspect/hazards/")
    phone.locator(f"[data-testid=hazards] a[href$='/hazards/{hazard.pk}/']").click()
    phone.wait_for_url(re.compile(rf"/inspect/hazards/{hazard.pk}/$"))
    assert phone.locator("[data-testid=hazard-reply]").count() == 1
    phone.locator(f"a[href$='/hazards/{hazard.pk}/reinspect/']").click()
    phone.wait_for_url(re.compile(r"/reinspect/$"))
    assert phone.is_checked("#id_outcome_0")  # close, the default
    phone.fill("#id_note", "现场复查，健康证明已更新。")
    phone.locator("main form.stack button.primary").click()
    phone.wait_for_selector("[data-testid=confirm]")
    phone.locator("[data-testid=confirm] button.primary").click()
    phone.wait_for_url(re.compile(rf"/inspect/hazards/{hazard.pk}/$"))
    assert "status-closed" in phone.get_attribute("[data-testid=hazard-status]", "class")
    _fits_the_phone(phone)
    context.close()
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.CLOSED and hazard.closed_at is not None


def _office_publishes(browser, base, drawn) -> None:
    """Part 4: the office publishes the result; the public results page shows it."""
    task = drawn.task
    context, phone = _phone(browser)
    _login(phone, base, "office", "/office/supervision/plans/")
    phone.locator(f"a[href$='/office/supervision/plans/{task.plan_id}/']").click()
    phone.locator(f"a[href$='/plans/tasks/{task.number}/']").click()
    phone.wait_for_url(re.compile(rf"/plans/tasks/{task.number}/$"))
    _fits_the_phone(phone)  # the seed and its digest wrap
    phone.locator(f"[data-testid=drawn] a[href$='/drawn/{drawn.pk}/publish/']").click()
    phone.wait_for_url(re.compile(rf"/drawn/{drawn.pk}/publish/$"))
    assert drawn.subject.name in phone.locator("[data-testid=to-publish]").inner_text()
    phone.locator("main form button.primary").click()
    phone.wait_for_url(re.compile(rf"/plans/tasks/{task.number}/$"))
    phone.wait_for_selector("[data-testid=drawn] .status-published")
    context.close()
    drawn.refresh_from_db()
    assert drawn.published_at is not None

    # Anyone, signed out.
    context, phone = _phone(browser)
    phone.goto(f"{base}/supervision/results/")
    _fits_the_phone(phone)
    phone.locator(
        f"[data-testid=public-tasks] a[href$='/supervision/results/{task.number}/']"
    ).click()
    phone.wait_for_url(re.compile(rf"/supervision/results/{task.number}/$"))
    row = phone.locator("[data-testid=public-results] tbody tr", has_text=drawn.subject.name)
    assert row.count() == 1
    with translation.override("zh-hans"):
        assert str(drawn.get_result_display()) in row.inner_text()
    _fits_the_phone(phone)
    _screen(phone, "3-public-results")
    context.close()


def _typical_case(browser, base, campaign, case) -> TypicalCase:
    """Part 5: written by an inspector of the unit, approved by its manager, shown publicly."""
    context, phone = _phone(browser)
    _login(phone, base, "insp-a", "/office/supervision/cases/typical/")
    phone.locator(f"a[href$='/typical/new/?case={case.number}']").click()
    phone.wait_for_url(re.compile(r"/typical/new/\?case="))
    assert phone.input_value("#id_facts")  # prefilled with the published text
    phone.select_option("#id_campaign", str(campaign.pk))
    phone.fill("#id_title", TYPICAL_TITLE)
    phone.fill("#id_actions", "责令立即改正，处罚款二千元，并督促建立留样台账。")
    phone.fill("#id_warning", "学校食堂须按规定对每餐次食品留样，留足48小时，切勿心存侥幸。")
    _fits_the_phone(phone)
    phone.locator("main form.stack button.primary").click()
    phone.wait_for_url(re.compile(r"/typical/\d+/$"))
    typical = TypicalCase.objects.get(case=case)
    phone.locator(f"main form[action$='/typical/{typical.pk}/submit/'] button").click()
    phone.wait_for_selector("[data-testid=typical-status].status-submitted")
    # The writer cannot approve their own write-up.
    assert phone.locator(f"a[href$='/typical/{typical.pk}/approve/']").count() == 0
    context.close()

    context, phone = _phone(browser)
    _login(phone, base, "sv-manager", f"/office/supervision/cases/typical/{typical.pk}/")
    phone.locator(f"a[href$='/typical/{typical.pk}/approve/']").click()
    phone.wait_for_url(re.compile(r"/approve/$"))
    phone.locator("main form button.primary").click()
    phone.wait_for_selector("[data-testid=typical-status].status-published")
    context.close()
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.PUBLISHED
    return typical


def test_an_inspection_goes_from_the_draw_to_a_typical_case(
    live_server, browser, campaign, office_user, tmp_path
):
    districts = list(Region.objects.filter(parent=campaign.region).order_by("code"))
    unit = UnitFactory(region=campaign.region, code="amr", kind="market_supervision")
    other = UnitFactory(region=campaign.region, code="sei", kind="market_supervision")
    first = make_inspector(unit, "insp-a", districts=districts)
    second = make_inspector(other, "insp-c", districts=districts)
    manager = UserFactory(username="sv-manager")
    MembershipFactory(unit=unit, role=Membership.Role.UNIT_MANAGER, user=manager)
    enterprise = make_enterprise(
        campaign.region, 801, name="厦门市测试餐饮管理有限公司", district=districts[0]
    )
    EnterpriseMember.objects.create(enterprise=enterprise, user=UserFactory(username="ent-user"))
    canteen = make_canteen(campaign.region, districts[0], 1, enterprise=enterprise)
    drawn = make_drawn(canteen, [first, second], unit=unit)
    base = live_server.url

    # 1. The inspection.
    inspection = _inspect(browser, base, drawn, tmp_path)
    hazards = list(Hazard.objects.filter(inspection=inspection).order_by("answer__item__order"))
    assert [h.description for h in hazards] == [NOT_COMPLIANT[2], NOT_COMPLIANT[7]]
    assert all(h.status == Hazard.Status.OPEN for h in hazards)
    assert DrawnSubject.objects.get(pk=drawn.pk).result == "rectify"

    # 2. The enterprise answers the first order; 3. the unit re-inspects and closes it.
    _enterprise_answers(browser, base, hazards[0], tmp_path)
    _unit_closes(browser, base, hazards[0])
    hazards[1].refresh_from_db()
    assert hazards[1].status == Hazard.Status.OPEN

    # 4. The office publishes the drawn subject's result.
    _office_publishes(browser, base, DrawnSubject.objects.get(pk=drawn.pk))

    # 5. A case from the inspection (the second order, not rectified), decided and its penalty
    # published, made with the services.
    case = open_case(
        unit,
        first.user,
        enterprise=enterprise,
        inspection=inspection,
        facts="经查，当事人食堂午餐两个品种未按规定留样。",
        legal_basis="《中华人民共和国食品安全法》第一百二十六条",
    )
    case = decide(case, first.user, fine="2000", on=dt.date.today() - dt.timedelta(days=3))
    publicity = publicity_services.publicity_publish(publicity=case.publicity, acting_user=manager)
    assert publicity.status == Publicity.Status.PUBLISHED

    typical = _typical_case(browser, base, campaign, case)
    context, phone = _phone(browser)
    phone.goto(f"{base}/supervision/typical-cases/")
    listed = phone.locator("[data-testid=typical-cases]")
    assert TYPICAL_TITLE in listed.inner_text()
    _fits_the_phone(phone)
    _screen(phone, "4-typical-cases")
    phone.locator(f"a[href$='/supervision/typical-cases/{typical.pk}/']").click()
    phone.wait_for_url(re.compile(rf"/typical-cases/{typical.pk}/$"))
    assert TYPICAL_TITLE in phone.locator("main").inner_text()

    # The publicity period ends: the daily expiry takes the penalty and the write-up down.
    assert publicity_services.publicity_expire(publicity.visible_until) == 0
    assert publicity_services.publicity_expire(publicity.visible_until + dt.timedelta(days=1)) == 1
    phone.goto(f"{base}/supervision/typical-cases/")
    assert TYPICAL_TITLE not in phone.locator("[data-testid=typical-cases]").inner_text()
    response = phone.goto(f"{base}/supervision/typical-cases/{typical.pk}/")
    assert response.status == 404
    context.close()
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.WITHDRAWN
