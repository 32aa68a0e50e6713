"""What the office met on the complaint pages (issue 9, section 6): step links after unmasking,
template placeholders sent as answers, the triage form's suggestion, the status filter, the
similar-cases lookup, a kettle classed as food and the attachment label in English."""

import re
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qualitymonth.complaints import selectors
from qualitymonth.complaints.forms import CaseFilterForm
from qualitymonth.complaints.models import Complaint, ResponseTemplate
from qualitymonth.complaints.routing import router
from qualitymonth.complaints.services import complaint_step, complaint_submit
from qualitymonth.complaints.services.hotspots import _place_prefix
from qualitymonth.core.models import Region
from tests.complaints.conftest import complaint_data

pytestmark = pytest.mark.django_db

NOT_ACCEPT = (
    "您好！您提交的投诉（编号：{tracking_number}）已收悉。经审查，决定不予受理。"
    "建议您向【有关部门名称】反映。"
)


def _hrefs(html: str, marker: str) -> list[str]:
    return [
        href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*)"', html) if marker in href
    ]


# --- 1. step links after "show personal data" ------------------------------------------------
def test_step_links_after_unmasking_lead_to_the_case_page(staff_client, case):
    ResponseTemplate.objects.create(step="not_accept", title="不予受理", body=NOT_ACCEPT)
    url = reverse("office_complaints:personal", args=[case.tracking_number])
    page = staff_client.post(url)
    assert page.status_code == 200
    links = _hrefs(page.content.decode(), "step=")
    assert any("template=" in link for link in links)
    assert {"accept", "not_accept"} <= {re.search(r"step=(\w+)", x)[1] for x in links}
    for link in links:
        # Resolved as the browser does, against the address of the POST's answer.
        followed = staff_client.get(urljoin(url, link))
        assert followed.status_code == 200, link
    chosen = staff_client.get(urljoin(url, links[-1]))
    assert chosen.context["step_form"].initial["step"] in ("accept", "not_accept")


def test_step_links_after_a_refused_step_lead_to_the_case_page(staff_client, case):
    url = reverse("office_complaints:step", args=[case.tracking_number])
    page = staff_client.post(url, {"step": "agree", "message": "x"})
    assert page.status_code == 400
    for link in _hrefs(page.content.decode(), "step="):
        assert staff_client.get(urljoin(url, link)).status_code == 200


# --- 2. template placeholders are not an answer -----------------------------------------------
def test_a_message_with_a_template_placeholder_is_refused(case, staff_user):
    text = ResponseTemplate(step="not_accept", title="t", body=NOT_ACCEPT).render(case)
    with pytest.raises(ValidationError) as refused:
        complaint_step(
            complaint=case,
            step="not_accept",
            acting_user=staff_user,
            message=text,
            reason=Complaint.NotAcceptedReason.NOT_WITHIN_DUTY,
        )
    assert "【有关部门名称】" in refused.value.message_dict["message"][0]
    case.refresh_from_db()
    assert case.status == Complaint.Status.TRIAGED
    assert not case.final_answer


def test_the_completed_template_is_sent(case, staff_user):
    text = NOT_ACCEPT.replace("【有关部门名称】", "厦门市人力资源和社会保障局")
    complaint_step(
        complaint=case,
        step="not_accept",
        acting_user=staff_user,
        message=text.format(tracking_number=case.tracking_number),
        reason=Complaint.NotAcceptedReason.NOT_WITHIN_DUTY,
    )
    case.refresh_from_db()
    assert case.status == Complaint.Status.NOT_ACCEPTED
    assert "人力资源" in case.final_answer


def test_the_case_page_refuses_a_placeholder_and_keeps_the_text(staff_client, case):
    text = "调解达成一致：【写明协议内容，如退货退款的金额、方式和期限】。请双方履行。"
    complaint_step(complaint=case, step="accept", acting_user=case.unit.memberships.first().user)
    complaint_step(complaint=case, step="mediate", acting_user=case.unit.memberships.first().user)
    response = staff_client.post(
        reverse("office_complaints:step", args=[case.tracking_number]),
        {"step": "agree", "message": text, "note": "内部备注"},
    )
    assert response.status_code == 400
    form = response.context["step_form"]
    assert "message" in form.errors
    html = response.content.decode()
    assert "请双方履行" in html and "内部备注" in html  # nothing typed is lost
    case.refresh_from_db()
    assert case.status == Complaint.Status.MEDIATING


# --- 5. the triage form and the status filter --------------------------------------------------
def test_the_triage_form_preselects_the_classifiers_suggestion(office_client, region, unit, route):
    route(unit.code, 0.3, nature="safety", category="household_appliances")
    case = complaint_submit(data=complaint_data(), region=region)
    assert case.unit_id is None and case.routing_suggestion == unit.code
    page = office_client.get(reverse("office_complaints:case", args=[case.tracking_number]))
    form = page.context["move_form"]
    assert form.initial == {
        "unit": unit.pk,
        "nature": "safety",
        "category": "household_appliances",
    }
    html = page.content.decode()
    assert re.search(rf'<option value="{unit.pk}" selected>', html)
    assert '<option value="household_appliances" selected>' in html


def test_a_handler_transferring_gets_no_preselected_unit(staff_client, case):
    page = staff_client.get(reverse("office_complaints:case", args=[case.tracking_number]))
    assert page.context["move_form"].initial == {}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_status_filter_lists_each_choice_once(language):
    form = CaseFilterForm(districts=[], units=[])
    with translation.override(language):
        labels = []
        for _value, label in form.fields["status"].choices:
            if isinstance(label, list | tuple):
                labels += [str(inner) for _inner_value, inner in label]
            else:
                labels.append(str(label))
    assert len(labels) == len(set(labels)), labels


def test_the_finished_filter_still_finds_every_outcome(office_client, office_user, case):
    complaint_step(
        complaint=case,
        step="not_accept",
        acting_user=office_user,
        message="不属于本机关职责范围。",
        reason=Complaint.NotAcceptedReason.NOT_WITHIN_DUTY,
    )
    page = office_client.get(reverse("office_complaints:cases"), {"status": "finished"})
    assert case.tracking_number in page.content.decode()
    page = office_client.get(reverse("office_complaints:cases"), {"status": "answered"})
    assert case.tracking_number not in page.content.decode()


# --- 4. similar open cases -----------------------------------------------------------------------
GYM = "厦门市集美区力健坊健身会所"


@pytest.fixture
def gym_cases(region, unit, route):
    Region.objects.get_or_create(
        code="350211", defaults={"name": "集美区", "level": "district", "parent": region}
    )
    _place_prefix.cache_clear()
    route(unit.code, 0.95)
    cases = [
        complaint_submit(
            data=complaint_data(
                respondent_name=GYM,
                complainant_mobile=f"1391234567{n}",
                facts=f"办理的健身年卡第{n}张，会所突然关门，老板失联，要求退还剩余会费。",
            ),
            region=region,
        )
        for n in range(4)
    ]
    other = complaint_submit(data=complaint_data(respondent_name="美的电器"), region=region)
    yield cases, other
    _place_prefix.cache_clear()


@pytest.mark.parametrize(
    "typed",
    [GYM, "厦门市集美区力健坊", "力健坊", "集美区 力健坊健身会所有限公司", "力健坊湖里店"],
)
def test_similar_cases_are_found_from_a_partial_business_name(region, gym_cases, typed):
    cases, _other = gym_cases
    found = selectors.similar_open_cases(region_id=region.pk, respondent_name=typed)
    assert {c.pk for c in found} == {c.pk for c in cases}


@pytest.mark.parametrize("typed", ["鹭佳电器", "健身", "无关商店", "店", ""])
def test_similar_cases_leave_other_businesses_out(region, gym_cases, typed):
    # A shared trade word ("电器", "健身") is not the same business.
    assert selectors.similar_open_cases(region_id=region.pk, respondent_name=typed) == []


def test_a_brand_alone_finds_its_business_in_one_query(
    region, gym_cases, django_assert_num_queries
):
    _cases, other = gym_cases
    selectors.similar_open_cases(region_id=region.pk, respondent_name="美的")  # place names
    with django_assert_num_queries(1):
        assert selectors.similar_open_cases(region_id=region.pk, respondent_name="美的") == [other]


def test_the_intake_form_offers_the_cases_for_the_short_name(client, gym_cases):
    html = client.get(
        reverse("complaints:similar"), {"respondent_name": "厦门市集美区力健坊"}
    ).content.decode()
    assert all(f"join={c.tracking_number}" in html for c in gym_cases[0])


# --- 6. a kettle is not food ---------------------------------------------------------------------
@pytest.mark.skipif(not router.shipped_path("category").exists(), reason="shipped model not built")
@pytest.mark.parametrize(
    "text",
    [
        "网上买的养生壶玻璃炸裂了",
        "买了一个电热水壶，烧出来的水有塑料味",
        "在超市买的电水壶用了一周就漏水，底座还冒烟，要求退货",
        "热水壶烧水时开关不会自动跳闸，差点烧干",
    ],
)
def test_a_kettle_complaint_is_a_household_appliance_not_food(text):
    router.reset()
    assert router.classify(text)["category"].label == "household_appliances"


# --- 7. the attachment label follows the language ------------------------------------------------
@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Photos or PDF files (up to 5)"), ("zh-hans", "照片或PDF文件（最多5个）")],
)
def test_the_attachment_label_is_translated(region, language, label):
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = browser.get(reverse("complaints:new")).content.decode()
    field = re.search(r'<label for="id_attachments">([^<]*)</label>', html)[1]
    assert label in field
