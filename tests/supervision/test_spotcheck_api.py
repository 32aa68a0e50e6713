# ruff: noqa: F811 (the fixtures imported from spotcheck_helpers are test parameters)
"""The spot checks through the API: the same services and rights as the pages; what the caller
may not see is 404; refusals name the field; the public notice names no person."""

import datetime as dt
import json

import pytest

from qualitymonth.supervision.models import Sample, SpotCheckPlan
from qualitymonth.supervision.services import spotchecks as services
from tests.supervision.conftest import login
from tests.supervision.spotcheck_helpers import (  # noqa: F401 (fixtures)
    RECEIVED,
    RESULT,
    add_sample,
    categories,
    clock,
    ent_member,
    failed,
    other_unit_staff,
    plan,
    record_fail,
    record_pass,
    sample,
    sv_staff,
)

pytestmark = pytest.mark.django_db
OFFICE = "/api/office/supervision"


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_unit_makes_a_plan_and_lists_it(sv_staff, sv_unit, categories, campaign):
    client = login(sv_staff)
    made = _post(
        client,
        f"{OFFICE}/spot-checks",
        {
            "unit": sv_unit.code,
            "year": 2026,
            "title": "儿童服装专项抽查",
            "categories": ["children-clothing"],
            "campaign": campaign.slug,
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["categories"][0]["code"] == "children-clothing"
    assert body["publish_blockers"] == ["该计划尚无样品。"]  # the API speaks Chinese by default
    listed = client.get(f"{OFFICE}/spot-checks", {"q": "儿童服装"}).json()
    assert listed["count"] == 1 and listed["items"][0]["samples"] == 0


def test_bad_plans_are_refused_by_field_and_nothing_is_stored(sv_staff, sv_unit, categories):
    client = login(sv_staff)
    base = {"unit": sv_unit.code, "year": 2026, "title": "抽查", "categories": ["kettle"]}
    for field, value in [("unit", "nope"), ("categories", ["nope"]), ("campaign", "nope")]:
        refused = _post(client, f"{OFFICE}/spot-checks", {**base, field: value})
        assert refused.status_code == 400 and field in refused.json()["errors"]
    refused = _post(client, f"{OFFICE}/spot-checks", {**base, "year": 1900})
    assert refused.status_code == 422
    assert not SpotCheckPlan.objects.exists()


def test_strangers_get_403_on_the_list_and_404_on_a_plan(
    plan, citizen_client, other_unit_staff, enterprise_user
):
    assert citizen_client.get(f"{OFFICE}/spot-checks").status_code == 403
    assert login(enterprise_user).get(f"{OFFICE}/spot-checks").status_code == 403
    other = login(other_unit_staff)
    assert other.get(f"{OFFICE}/spot-checks").json()["count"] == 0
    assert other.get(f"{OFFICE}/spot-checks/{plan.pk}").status_code == 404
    assert other.get(f"{OFFICE}/spot-checks/{2**63}").status_code in (404, 422)
    refused = _post(other, f"{OFFICE}/spot-checks/{plan.pk}/samples", {})
    assert refused.status_code in (404, 422)


def test_a_sample_through_its_steps(plan, sv_staff, sv_manager, sv_enterprise, ent_member, clock):
    client = login(sv_staff)
    made = _post(
        client,
        f"{OFFICE}/spot-checks/{plan.pk}/samples",
        {
            "enterprise": sv_enterprise.uscc.lower(),
            "category": "kettle",
            "product": "电热水壶",
            "brand": "鹭牌",
            "model_spec": "SH-1.7",
            "batch": "20260801",
            "quantity": "4台",
            "seal_number": "FT-0100",
            "sampled_on": "2026-09-01",
        },
    )
    assert made.status_code == 201, made.content
    sample = made.json()
    assert sample["number"] == "S2026-00001" and sample["fee_charged"] is False
    number = sample["number"]
    bad = _post(
        client,
        f"{OFFICE}/samples/{number}/result",
        {"outcome": "fail", "result_on": "2026-09-15", "failed_items": ""},
    )
    assert bad.status_code == 400 and "failed_items" in bad.json()["errors"]
    failed_result = _post(
        client,
        f"{OFFICE}/samples/{number}/result",
        {
            "outcome": "fail",
            "result_on": "2026-09-15",
            "failed_items": "泄漏电流",
            "rectify_by": "2026-10-31",
        },
    )
    assert failed_result.status_code == 200 and failed_result.json()["final_outcome"] == "fail"
    again = _post(
        client, f"{OFFICE}/samples/{number}/result", {"outcome": "pass", "result_on": "2026-09-15"}
    )
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    clock.day = RECEIVED
    received = _post(client, f"{OFFICE}/samples/{number}/received", {"received_on": "2026-09-20"})
    assert received.json()["retest_closes_on"] == "2026-10-05"
    too_early = _post(login(sv_manager), f"{OFFICE}/spot-checks/{plan.pk}/publish", {})
    assert too_early.status_code == 409 and too_early.json()["code"] == "too_early"
    assert "2026-10-05" in too_early.json()["detail"]

    clock.day = dt.date(2026, 10, 5)
    asked = _post(login(ent_member), f"/api/supervision/samples/{number}/retest")
    assert asked.status_code == 200 and asked.json()["retest_requested_on"] == "2026-10-05"
    retest = _post(
        client,
        f"{OFFICE}/samples/{number}/retest-result",
        {"outcome": "fail", "retest_on": "2026-10-05", "failed_items": "泄漏电流、标志"},
    )
    assert retest.status_code == 400 and "rectify_by" in retest.json()["errors"]
    retest = _post(
        client,
        f"{OFFICE}/samples/{number}/retest-result",
        {
            "outcome": "fail",
            "retest_on": "2026-10-05",
            "failed_items": "泄漏电流、标志",
            "rectify_by": "2026-11-05",
        },
    )
    assert retest.status_code == 200 and retest.json()["failed_items"] == "泄漏电流、标志"
    clock.day = dt.date(2026, 11, 6)
    recheck = _post(
        client,
        f"{OFFICE}/samples/{number}/recheck",
        {"outcome": "pass", "recheck_on": "2026-11-06"},
    )
    assert recheck.status_code == 200 and recheck.json()["recheck_outcome"] == "pass"
    assert _post(client, f"{OFFICE}/spot-checks/{plan.pk}/publish", {}).status_code == 403
    published = _post(login(sv_manager), f"{OFFICE}/spot-checks/{plan.pk}/publish", {"notice": ""})
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert "泄漏电流、标志" in published.json()["notice"]


def test_the_enterprise_reads_its_samples_and_that_receives_them(
    sample, sv_staff, ent_member, citizen_client, clock
):
    record_fail(sample, sv_staff)
    clock.day = dt.date(2026, 9, 28)
    mine = login(ent_member).get("/api/supervision/spot-checks/mine").json()
    assert mine["count"] == 1
    row = mine["items"][0]
    assert row["received_on"] == "2026-09-28" and row["retest_closes_on"] == "2026-10-13"
    assert row["can_request_retest"] is True
    assert citizen_client.get("/api/supervision/spot-checks/mine").json()["count"] == 0
    assert (
        _post(citizen_client, f"/api/supervision/samples/{sample.number}/retest").status_code == 404
    )


def test_a_late_retest_is_409_closed_with_the_day(failed, ent_member, clock):
    clock.day = dt.date(2026, 10, 6)
    late = _post(login(ent_member), f"/api/supervision/samples/{failed.number}/retest")
    assert late.status_code == 409 and late.json()["code"] == "closed"
    assert "2026-10-05" in late.json()["detail"]
    failed.refresh_from_db()
    assert failed.retest_requested_on is None


def test_the_public_api_lists_published_notices_without_persons(
    plan, failed, sv_staff, sv_manager, sv_enterprise, clock, client
):
    assert client.get(f"/api/supervision/spot-checks/{plan.pk}").status_code == 404
    clock.day = dt.date(2026, 10, 6)
    services.spot_check_plan_publish(plan=plan, notice=None, acting_user=sv_manager)
    listed = client.get("/api/supervision/spot-checks").json()
    assert listed["count"] == 1 and listed["items"][0]["failed"] == 1
    detail = client.get(f"/api/supervision/spot-checks/{plan.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["sample_list"][0]["enterprise"] == sv_enterprise.name
    assert body["sample_list"][0]["failed_items"] == "标签标识、耐燃性能"
    assert body["figures"]["total"]["rate"] == 100.0
    text = detail.content.decode()
    for private in ("王某", "sv-staff", "sampled_by", "uscc", "seal_number"):
        assert private not in text
    assert client.get("/api/supervision/spot-checks", {"year": "x"}).status_code == 422


def test_samples_of_a_published_plan_cannot_be_added(
    plan, sample, sv_staff, sv_manager, sv_enterprise, clock
):
    record_pass(sample, sv_staff)
    services.spot_check_plan_publish(plan=plan, notice=None, acting_user=sv_manager)
    refused = _post(
        login(sv_staff),
        f"{OFFICE}/spot-checks/{plan.pk}/samples",
        {
            "enterprise": sv_enterprise.uscc,
            "category": "kettle",
            "product": "水壶",
            "quantity": "2台",
            "seal_number": "FT-7",
            "sampled_on": "2026-09-02",
        },
    )
    assert refused.status_code == 409
    assert Sample.objects.count() == 1


def test_the_office_list_is_a_few_queries_whatever_the_plans(
    plan, sv_staff, sv_unit, categories, django_assert_num_queries
):
    from tests.queries import session_queries

    for n in range(4):
        services.spot_check_plan_create(
            unit=sv_unit, year=2025, title=f"旧抽查{n}", categories=categories, acting_user=sv_staff
        )
    client = login(sv_staff)
    client.get(f"{OFFICE}/spot-checks")
    with django_assert_num_queries(4 + session_queries()):
        listed = client.get(f"{OFFICE}/spot-checks").json()
    assert listed["count"] == 5
