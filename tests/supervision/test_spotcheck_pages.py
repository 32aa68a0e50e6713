# ruff: noqa: F811 (the fixtures imported from spotcheck_helpers are test parameters)
"""The spot-check pages: the office's and the unit's plans, sampling from the registry, the
sample's steps, the printable record, publishing after a preview, the public notices (no
persons) and the enterprise's own results with their re-test request."""

import datetime as dt

import pytest

from qualitymonth.supervision.models import Sample, SpotCheckPlan
from qualitymonth.supervision.services import spotchecks as services
from tests.queries import session_queries
from tests.supervision.conftest import login
from tests.supervision.spotcheck_helpers import (  # noqa: F401 (fixtures)
    RECEIVED,
    RESULT,
    add_sample,
    categories,
    clock,
    ent_member,
    failed,
    other_enterprise,
    other_unit_staff,
    plan,
    record_fail,
    record_pass,
    sample,
    sv_staff,
)

pytestmark = pytest.mark.django_db
BASE = "/office/supervision/spot-checks/"


def _published(plan, sv_staff, sv_manager, clock):
    for s in plan.samples.filter(outcome="pending"):
        record_pass(s, sv_staff)
    clock.day = dt.date(2026, 10, 6)
    return services.spot_check_plan_publish(plan=plan, notice=None, acting_user=sv_manager)


# --- plans ---------------------------------------------------------------------------------------
def test_the_plan_list_searches_filters_and_counts_in_a_few_queries(
    plan, sample, sv_staff, sv_unit, categories, django_assert_num_queries
):
    for n in range(3):
        services.spot_check_plan_create(
            unit=sv_unit, year=2025, title=f"旧抽查{n}", categories=categories, acting_user=sv_staff
        )
    client = login(sv_staff)
    client.get(BASE)  # warm the caches the first request fills (jieba, the session)
    with django_assert_num_queries(8 + session_queries()):
        page = client.get(BASE)
    assert page.status_code == 200
    assert page.content.decode().count(f'href="{BASE}') >= 4
    found = client.get(BASE, {"q": "质量月", "year": "2026"})
    assert [p.pk for p in found.context["page"]] == [plan.pk]
    assert (
        client.get(BASE, {"year": "1900", "status": "x", "page": "99999999999"}).status_code == 200
    )


def test_strangers_do_not_see_the_plans(plan, citizen_client, other_unit_staff, enterprise_user):
    assert citizen_client.get(BASE).status_code == 403
    assert login(enterprise_user).get(BASE).status_code == 403
    other = login(other_unit_staff)
    assert other.get(BASE).context["page"].paginator.count == 0
    assert other.get(f"{BASE}{plan.pk}/").status_code == 404


def test_a_plan_is_created_on_its_page_and_bad_input_is_shown(
    sv_staff, sv_unit, categories, campaign
):
    client = login(sv_staff)
    assert client.get(f"{BASE}new/").status_code == 200
    bad = client.post(f"{BASE}new/", {"unit": sv_unit.pk, "year": "2026", "title": ""})
    assert bad.status_code == 400 and {"title", "categories"} <= set(bad.context["form"].errors)
    assert not SpotCheckPlan.objects.exists()
    done = client.post(
        f"{BASE}new/",
        {
            "unit": sv_unit.pk,
            "year": "2026",
            "title": "电热水壶专项抽查",
            "categories": [categories[1].pk],
            "laboratory": "测试质检院",
        },
    )
    created = SpotCheckPlan.objects.get()
    assert done.status_code == 302 and done.url == f"{BASE}{created.pk}/"


def test_the_plan_page_shows_figures_samples_and_what_blocks_the_notice(
    plan, sample, sv_staff, sv_manager
):
    page = login(sv_manager).get(f"{BASE}{plan.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and sample.number in text
    assert 'data-testid="failure-rates"' in text and 'data-testid="blockers"' in text
    assert f"{BASE}{plan.pk}/publish/" in text
    staff_page = login(sv_staff).get(
        f"{BASE}{plan.pk}/", {"q": sample.number, "outcome": "pending"}
    )
    assert list(staff_page.context["page"]) == [sample]
    assert f"{BASE}{plan.pk}/publish/" not in staff_page.content.decode()  # managers publish


# --- sampling ------------------------------------------------------------------------------------
def test_sampling_finds_the_enterprise_by_name_or_code_and_records_the_sample(
    plan, sv_staff, sv_enterprise, categories, clock
):
    client = login(sv_staff)
    url = f"{BASE}{plan.pk}/samples/new/"
    by_name = client.get(url, {"find": "测试餐饮"})
    assert [e.pk for e in by_name.context["matches"]] == [sv_enterprise.pk]
    by_code = client.get(url, {"find": sv_enterprise.uscc[:10]})
    assert [e.pk for e in by_code.context["matches"]] == [sv_enterprise.pk]
    chosen = client.get(url, {"enterprise": sv_enterprise.uscc})
    assert chosen.context["form"]["enterprise"].value() == sv_enterprise.uscc
    data = {
        "enterprise": sv_enterprise.uscc,
        "category": categories[0].pk,
        "product": "儿童T恤",
        "brand": "小鹭",
        "quantity": "6件",
        "seal_number": "FT-9001",
        "sampled_on": "2026-09-10",
    }
    bad = client.post(url, {**data, "enterprise": "没有这家"})
    assert bad.status_code == 400 and "enterprise" in bad.context["form"].errors
    done = client.post(url, data)
    created = Sample.objects.get()
    assert done.status_code == 302 and done.url == f"{BASE}samples/{created.number}/"
    assert created.product == "儿童T恤" and created.enterprise == sv_enterprise


def test_the_sampling_record_says_no_fee_was_charged(sample, sv_staff):
    page = login(sv_staff).get(f"{BASE}samples/{sample.number}/record/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="no-fee"' in text and sample.seal_number in text
    assert "15" in text


def test_the_sample_page_offers_the_next_step_and_the_steps_record_it(sample, sv_staff, clock):
    client = login(sv_staff)
    page = client.get(f"{BASE}samples/{sample.number}/")
    assert f"{BASE}samples/{sample.number}/result/" in page.content.decode()
    step = f"{BASE}samples/{sample.number}/result/"
    assert client.get(step).status_code == 200
    bad = client.post(step, {"outcome": "fail", "result_on": "2026-09-15", "confirm": "on"})
    assert bad.status_code == 400 and "failed_items" in bad.context["form"].errors
    unconfirmed = client.post(step, {"outcome": "pass", "result_on": "2026-09-15"})
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.context["form"].errors
    done = client.post(
        step,
        {
            "outcome": "fail",
            "failed_items": "标签标识",
            "result_on": "2026-09-15",
            "rectify_by": "2026-10-30",
            "confirm": "on",
        },
    )
    assert done.status_code == 302
    sample.refresh_from_db()
    assert sample.outcome == "fail" and sample.rectify_by == dt.date(2026, 10, 30)
    received = client.post(
        f"{BASE}samples/{sample.number}/received/", {"received_on": "2026-09-16"}
    )
    assert received.status_code == 302
    page = client.get(f"{BASE}samples/{sample.number}/")
    assert "2026-10-01" in page.content.decode()  # the re-test window's last day


def test_another_units_staff_cannot_open_a_sample_or_its_steps(sample, other_unit_staff):
    client = login(other_unit_staff)
    assert client.get(f"{BASE}samples/{sample.number}/").status_code == 404
    assert client.post(f"{BASE}samples/{sample.number}/result/", {}).status_code == 404
    assert client.get(f"{BASE}samples/{'9' * 30}/").status_code == 404


# --- publishing ----------------------------------------------------------------------------------
def test_publishing_is_previewed_refused_while_blocked_then_confirmed(
    plan, failed, sv_manager, sv_staff, clock
):
    client = login(sv_manager)
    url = f"{BASE}{plan.pk}/publish/"
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="blockers"' in page.content.decode()
    refused = client.post(url, {"notice": "公告", "confirm": "on"})
    assert refused.status_code == 400
    plan.refresh_from_db()
    assert plan.status != SpotCheckPlan.Status.PUBLISHED
    clock.day = dt.date(2026, 10, 6)
    draft = client.get(url).context["form"]["notice"].value()
    assert "不合格" in draft and failed.enterprise.name in draft
    unconfirmed = client.post(url, {"notice": draft})
    assert unconfirmed.status_code == 400
    done = client.post(url, {"notice": draft, "confirm": "on"})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == SpotCheckPlan.Status.PUBLISHED
    assert login(sv_staff).get(url).status_code == 403


# --- public --------------------------------------------------------------------------------------
def test_the_public_notice_names_enterprises_and_no_person(
    plan, failed, sv_staff, sv_manager, clock, client, sv_enterprise
):
    sv_enterprise.contact_name = "李小明"
    sv_enterprise.save()
    assert client.get(f"/supervision/spot-checks/{plan.pk}/").status_code == 404
    _published(plan, sv_staff, sv_manager, clock)
    listed = client.get("/supervision/spot-checks/")
    assert listed.status_code == 200 and plan.title in listed.content.decode()
    page = client.get(f"/supervision/spot-checks/{plan.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert sv_enterprise.name in text and "标签标识" in text
    for private in ("李小明", "王某", sv_staff.username, "sv-manager"):
        assert private not in text
    assert 'data-testid="rates-by-district"' in text
    filtered = client.get(f"/supervision/spot-checks/{plan.pk}/", {"outcome": "pass"})
    assert filtered.context["page"].paginator.count == 0


# --- the enterprise ------------------------------------------------------------------------------
def test_the_enterprise_page_needs_a_login_and_shows_only_its_own_samples(
    sample, ent_member, citizen_client, client
):
    assert client.get("/supervision/spot-checks/mine/").status_code == 302
    assert citizen_client.get("/supervision/spot-checks/mine/").context["page"].paginator.count == 0
    assert citizen_client.get(f"/supervision/spot-checks/mine/{sample.number}/").status_code == 404
    page = login(ent_member).get("/supervision/spot-checks/mine/")
    assert [s.pk for s in page.context["page"]] == [sample.pk]


def test_opening_a_result_receives_it_and_the_retest_is_confirmed_then_asked(
    sample, sv_staff, ent_member, clock
):
    record_fail(sample, sv_staff)
    clock.day = dt.date(2026, 9, 25)
    client = login(ent_member)
    page = client.get(f"/supervision/spot-checks/mine/{sample.number}/")
    assert page.status_code == 200 and "2026-10-10" in page.content.decode()
    sample.refresh_from_db()
    assert sample.received_on == dt.date(2026, 9, 25)
    confirm = client.get(f"/supervision/spot-checks/mine/{sample.number}/retest/")
    assert confirm.status_code == 200 and "<form" in confirm.content.decode()
    sample.refresh_from_db()
    assert sample.retest_requested_on is None  # the confirmation page changes nothing
    done = client.post(f"/supervision/spot-checks/mine/{sample.number}/retest/")
    assert done.status_code == 302
    sample.refresh_from_db()
    assert sample.retest_requested_on == dt.date(2026, 9, 25)


def test_a_late_retest_request_is_refused_with_the_closing_day(failed, ent_member, clock):
    clock.day = dt.date(2026, 10, 6)
    client = login(ent_member)
    confirm = client.get(f"/supervision/spot-checks/mine/{failed.number}/retest/")
    assert "2026-10-05" in confirm.content.decode()
    refused = client.post(f"/supervision/spot-checks/mine/{failed.number}/retest/", follow=True)
    assert "2026-10-05" in refused.content.decode()
    failed.refresh_from_db()
    assert failed.retest_requested_on is None


def test_a_number_typed_into_the_notice_is_masked_in_public(
    plan, sample, sv_staff, sv_manager, client
):
    record_pass(sample, sv_staff)
    services.spot_check_plan_publish(
        plan=plan, notice="咨询电话 13912345678。", acting_user=sv_manager
    )
    text = client.get(f"/supervision/spot-checks/{plan.pk}/").content.decode()
    assert "139****5678" in text and "13912345678" not in text
    body = client.get(f"/api/supervision/spot-checks/{plan.pk}").json()
    assert body["notice"] == "咨询电话 139****5678。"


def test_the_public_list_is_a_few_queries_whatever_the_plans(
    plan, sample, sv_staff, sv_manager, sv_unit, categories, client, django_assert_num_queries
):
    record_pass(sample, sv_staff)
    services.spot_check_plan_publish(plan=plan, notice=None, acting_user=sv_manager)
    for n in range(3):
        other = services.spot_check_plan_create(
            unit=sv_unit, year=2025, title=f"旧抽查{n}", categories=categories, acting_user=sv_staff
        )
        passed = add_sample(other, sample.enterprise, categories[0], sv_staff, 10 + n)
        record_pass(passed, sv_staff)
        services.spot_check_plan_publish(plan=other, notice=None, acting_user=sv_manager)
    client.get("/supervision/spot-checks/")
    with django_assert_num_queries(6):
        page = client.get("/supervision/spot-checks/")
    assert page.context["page"].paginator.count == 4
