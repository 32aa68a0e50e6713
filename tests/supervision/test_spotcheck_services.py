# ruff: noqa: F811 (the fixtures imported from spotcheck_helpers are test parameters)
"""Product spot checks through their services: plans, free sampling, results served on the
enterprise, the re-test window (calendar days from receipt), re-tests replacing first results,
rectification and re-check, publishing the notice, the failure rates and what other topics read."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qualitymonth.core.models import AuditEvent
from qualitymonth.core.notify import ConsoleBackend
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.supervision import spotcheck_selectors as selectors
from qualitymonth.supervision.models import ProductCategory, Rules, Sample, SpotCheckPlan
from qualitymonth.supervision.services import spotchecks as services
from tests.factories import CampaignFactory
from tests.supervision.spotcheck_helpers import (  # noqa: F401 (fixtures)
    RECEIVED,
    RESULT,
    SAMPLED,
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


# --- plans ---------------------------------------------------------------------------------------
def test_a_unit_makes_a_plan_of_its_citys_categories_audited(plan, sv_unit, campaign, categories):
    assert plan.region == campaign.region and plan.unit == sv_unit
    assert plan.status == SpotCheckPlan.Status.SAMPLING
    assert set(plan.categories.all()) == set(categories)
    event = AuditEvent.objects.get(event_type="supervision.spotcheck.plan_created")
    assert event.object_id == str(plan.pk) and event.detail["year"] == 2026


def test_another_unit_and_a_citizen_may_not_plan_for_the_unit(
    sv_unit, categories, other_unit_staff, citizen_user
):
    for user in (other_unit_staff, citizen_user):
        with pytest.raises(PermissionDenied):
            services.spot_check_plan_create(
                unit=sv_unit, year=2026, title="抽查", categories=categories, acting_user=user
            )
    assert not SpotCheckPlan.objects.exists()


def test_a_plan_with_bad_input_is_refused_by_field_and_nothing_is_stored(
    sv_unit, sv_staff, categories, db
):
    elsewhere = CampaignFactory(slug="elsewhere-sc")
    foreign = ProductCategory.objects.create(region=elsewhere.region, code="x", name="外地")
    with pytest.raises(ValidationError) as caught:
        services.spot_check_plan_create(
            unit=sv_unit, year=1999, title=" ", categories=[], acting_user=sv_staff
        )
    assert set(caught.value.error_dict) == {"year", "title", "categories"}
    with pytest.raises(ValidationError) as caught:
        services.spot_check_plan_create(
            unit=sv_unit,
            year=2026,
            title="抽查",
            categories=[foreign],
            campaign=elsewhere,
            acting_user=sv_staff,
        )
    assert set(caught.value.error_dict) == {"categories", "campaign"}
    assert not SpotCheckPlan.objects.exists()


def test_the_same_title_twice_in_a_year_is_refused(plan, sv_unit, sv_staff, categories):
    with pytest.raises(ValidationError) as caught:
        services.spot_check_plan_create(
            unit=sv_unit, year=2026, title=plan.title, categories=categories, acting_user=sv_staff
        )
    assert caught.value.error_dict["title"][0].code == "duplicate"


# --- sampling ------------------------------------------------------------------------------------
def test_samples_are_numbered_by_year_carry_the_district_and_no_fee(
    plan, sv_enterprise, categories, sv_staff, districts
):
    first = add_sample(plan, sv_enterprise, categories[0], sv_staff, 1)
    second = add_sample(plan, sv_enterprise, categories[1], sv_staff, 2)
    assert (first.number, second.number) == ("S2026-00001", "S2026-00002")
    assert first.district == districts[0] and first.sampled_by == sv_staff
    # The law forbids a fee: there is nowhere to enter one, and the audit says so.
    assert not any("fee" in f.name for f in Sample._meta.get_fields())
    event = AuditEvent.objects.filter(event_type="supervision.spotcheck.sampled").first()
    assert event.detail["fee"] == "none"


def test_a_sample_with_bad_input_is_refused_and_nothing_is_stored(
    plan, sv_enterprise, categories, sv_staff, campaign, clock
):
    foreign = other_enterprise(CampaignFactory(slug="elsewhere-s"), [None, None], 852)
    other_category = ProductCategory.objects.create(region=campaign.region, code="z", name="其他")
    with pytest.raises(ValidationError) as caught:
        add_sample(
            plan,
            foreign,
            other_category,
            sv_staff,
            product="",
            quantity="",
            sampled_on=clock.day + dt.timedelta(days=1),
        )
    assert set(caught.value.error_dict) == {
        "enterprise",
        "category",
        "product",
        "quantity",
        "sampled_on",
    }
    with pytest.raises(ValidationError) as caught:
        add_sample(plan, sv_enterprise, categories[0], sv_staff, seal_number="A\x00B")
    assert "seal_number" in caught.value.error_dict
    assert not Sample.objects.exists()


def test_a_seal_number_is_used_once_in_a_plan(sample, plan, sv_enterprise, categories, sv_staff):
    with pytest.raises(ValidationError) as caught:
        add_sample(plan, sv_enterprise, categories[1], sv_staff, 2, seal_number=sample.seal_number)
    assert caught.value.error_dict["seal_number"][0].code == "duplicate"


def test_another_unit_may_not_sample_for_the_plan(
    plan, sv_enterprise, categories, other_unit_staff
):
    with pytest.raises(PermissionDenied):
        add_sample(plan, sv_enterprise, categories[0], other_unit_staff)


# --- results -------------------------------------------------------------------------------------
def test_a_failure_needs_its_items_and_a_deadline(sample, sv_staff):
    with pytest.raises(ValidationError) as caught:
        services.sample_result_record(
            sample=sample, outcome="fail", result_on=RESULT, acting_user=sv_staff
        )
    assert "failed_items" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.sample_result_record(
            sample=sample,
            outcome="fail",
            failed_items="标签",
            result_on=RESULT,
            rectify_by=RESULT,
            acting_user=sv_staff,
        )
    assert "rectify_by" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.sample_result_record(
            sample=sample, outcome="maybe", result_on=RESULT, acting_user=sv_staff
        )
    assert "outcome" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        record_pass(sample, sv_staff, on=SAMPLED - dt.timedelta(days=1))
    assert "result_on" in caught.value.error_dict
    sample.refresh_from_db()
    assert sample.outcome == Sample.Outcome.PENDING


def test_the_result_is_recorded_once_and_told_to_the_enterprise_after_commit(
    sample, sv_staff, ent_member, sv_enterprise, django_capture_on_commit_callbacks
):
    sv_enterprise.contact_mobile = "13900002222"
    sv_enterprise.save()
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record_fail(sample, sv_staff)
    sent = [n for n in ConsoleBackend.outbox if sample.number in n.text]
    assert {n.email for n in sent if n.email} == {"member@example.invalid"}
    assert {n.mobile for n in sent if n.mobile} == {"13900002222"}
    assert "标签标识" in sent[0].text
    sample.plan.refresh_from_db()
    assert sample.plan.status == SpotCheckPlan.Status.TESTING
    with pytest.raises(ValidationError) as caught:
        record_pass(sample, sv_staff)
    assert caught.value.code == "invalid_transition"


def test_the_unit_records_receipt_after_the_result_only(sample, sv_staff, clock):
    with pytest.raises(ValidationError) as caught:
        services.sample_received_record(sample=sample, received_on=RESULT, acting_user=sv_staff)
    assert caught.value.code == "invalid_transition"
    record_fail(sample, sv_staff)
    with pytest.raises(ValidationError) as caught:
        services.sample_received_record(
            sample=sample, received_on=RESULT - dt.timedelta(days=1), acting_user=sv_staff
        )
    assert "received_on" in caught.value.error_dict
    services.sample_received_record(sample=sample, received_on=RESULT, acting_user=sv_staff)
    with pytest.raises(ValidationError) as caught:
        services.sample_received_record(sample=sample, received_on=RESULT, acting_user=sv_staff)
    assert caught.value.code == "duplicate"


def test_an_enterprise_user_opening_a_result_receives_it_that_day(
    sample, sv_staff, ent_member, clock
):
    services.sample_opened(sample=sample, acting_user=ent_member)  # nothing to receive yet
    sample.refresh_from_db()
    assert sample.received_on is None
    record_fail(sample, sv_staff)
    clock.day = dt.date(2026, 9, 22)
    services.sample_opened(sample=sample, acting_user=ent_member)
    clock.day = dt.date(2026, 9, 25)
    services.sample_opened(sample=Sample.objects.get(pk=sample.pk), acting_user=ent_member)
    sample.refresh_from_db()
    assert sample.received_on == dt.date(2026, 9, 22)
    assert (
        AuditEvent.objects.filter(
            event_type="supervision.spotcheck.received", detail__by="enterprise"
        ).count()
        == 1
    )


# --- the re-test window --------------------------------------------------------------------------
def test_a_retest_may_be_asked_for_on_the_windows_last_day_across_the_month(
    failed, ent_member, clock
):
    assert selectors.retest_closes_on(failed) == dt.date(2026, 10, 5)
    clock.day = dt.date(2026, 10, 5)
    services.sample_retest_request(sample=failed, acting_user=ent_member)
    failed.refresh_from_db()
    assert failed.retest_requested_on == dt.date(2026, 10, 5)
    with pytest.raises(ValidationError) as caught:
        services.sample_retest_request(sample=failed, acting_user=ent_member)
    assert caught.value.code == "duplicate"


def test_a_retest_the_day_after_the_window_is_refused_with_the_day_it_closed(
    failed, ent_member, clock
):
    clock.day = dt.date(2026, 10, 6)
    with pytest.raises(ValidationError) as caught:
        services.sample_retest_request(sample=failed, acting_user=ent_member)
    assert caught.value.code == "closed"
    assert "2026-10-05" in caught.value.messages[0]
    failed.refresh_from_db()
    assert failed.retest_requested_on is None


def test_the_citys_own_retest_days_set_the_window(failed, ent_member, clock, campaign):
    Rules.objects.create(region=campaign.region, retest_days=10)
    assert selectors.retest_closes_on(failed) == dt.date(2026, 9, 30)
    clock.day = dt.date(2026, 10, 1)
    with pytest.raises(ValidationError) as caught:
        services.sample_retest_request(sample=failed, acting_user=ent_member)
    assert "2026-09-30" in caught.value.messages[0]


def test_asking_without_a_recorded_receipt_starts_the_clock_today(
    sample, sv_staff, ent_member, clock
):
    record_fail(sample, sv_staff)
    clock.day = dt.date(2026, 11, 30)
    services.sample_retest_request(sample=sample, acting_user=ent_member)
    sample.refresh_from_db()
    assert sample.received_on == sample.retest_requested_on == dt.date(2026, 11, 30)


def test_only_the_enterprises_users_ask_and_only_for_a_failure(
    sample, failed, sv_staff, sv_manager, enterprise_user, campaign, districts, ent_member
):
    stranger_enterprise = other_enterprise(campaign, districts)
    from qualitymonth.enterprises.models import EnterpriseMember
    from tests.factories import UserFactory

    stranger = UserFactory(username="stranger-ent")
    EnterpriseMember.objects.create(enterprise=stranger_enterprise, user=stranger)
    for user in (stranger, sv_staff, sv_manager):
        with pytest.raises(PermissionDenied):
            services.sample_retest_request(sample=failed, acting_user=user)
    passed = add_sample(sample.plan, sample.enterprise, sample.category, sv_staff, 2)
    record_pass(passed, sv_staff)
    with pytest.raises(ValidationError) as caught:
        services.sample_retest_request(sample=passed, acting_user=ent_member)
    assert caught.value.code == "invalid_transition"


def test_a_passing_retest_replaces_the_failure_for_the_figures(
    failed, ent_member, sv_staff, clock, django_capture_on_commit_callbacks
):
    services.sample_retest_request(sample=failed, acting_user=ent_member)
    assert selectors.plan_figures(failed.plan).total.failed == 1
    with pytest.raises(ValidationError) as caught:
        services.sample_retest_result_record(
            sample=failed,
            outcome="pass",
            retest_on=RECEIVED - dt.timedelta(days=1),
            acting_user=sv_staff,
        )
    assert "retest_on" in caught.value.error_dict
    clock.day = dt.date(2026, 10, 9)
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sample_retest_result_record(
            sample=failed, outcome="pass", retest_on=dt.date(2026, 10, 9), acting_user=sv_staff
        )
    failed.refresh_from_db()
    assert failed.final_outcome == "pass" and failed.rectify_by is None
    assert any("re-test passed" in n.text for n in ConsoleBackend.outbox)
    figures = selectors.plan_figures(failed.plan)
    assert (figures.total.tested, figures.total.failed) == (1, 0)
    from qualitymonth.enterprises import problems

    assert not [n for name, _label, n in problems.breakdown(failed.enterprise) if name == "samples"]


def test_a_failed_retest_needs_items_and_a_new_deadline(failed, ent_member, sv_staff, clock):
    services.sample_retest_request(sample=failed, acting_user=ent_member)
    clock.day = dt.date(2026, 10, 9)
    with pytest.raises(ValidationError) as caught:
        services.sample_retest_result_record(
            sample=failed, outcome="fail", retest_on=clock.day, acting_user=sv_staff
        )
    assert "failed_items" in caught.value.error_dict
    services.sample_retest_result_record(
        sample=failed,
        outcome="fail",
        failed_items="耐燃性能",
        retest_on=clock.day,
        rectify_by=dt.date(2026, 11, 9),
        acting_user=sv_staff,
    )
    failed.refresh_from_db()
    assert (failed.final_outcome, failed.failed_items) == ("fail", "耐燃性能")
    assert failed.rectify_by == dt.date(2026, 11, 9)


# --- rectification -------------------------------------------------------------------------------
def test_a_failure_is_rechecked_once_after_its_rectification_order(
    failed, sample, sv_staff, clock, other_unit_staff
):
    clock.day = dt.date(2026, 10, 20)
    with pytest.raises(PermissionDenied):
        services.sample_recheck_record(
            sample=failed, outcome="pass", recheck_on=clock.day, acting_user=other_unit_staff
        )
    services.sample_recheck_record(
        sample=failed, outcome="pass", recheck_on=clock.day, acting_user=sv_staff
    )
    failed.refresh_from_db()
    assert (failed.recheck_outcome, failed.recheck_on) == ("pass", clock.day)
    with pytest.raises(ValidationError) as caught:
        services.sample_recheck_record(
            sample=failed, outcome="fail", recheck_on=clock.day, acting_user=sv_staff
        )
    assert caught.value.code == "invalid_transition"


def test_a_passed_sample_is_not_rechecked(sample, sv_staff):
    record_pass(sample, sv_staff)
    with pytest.raises(ValidationError) as caught:
        services.sample_recheck_record(
            sample=sample, outcome="pass", recheck_on=RESULT, acting_user=sv_staff
        )
    assert caught.value.code == "invalid_transition"


# --- publishing ----------------------------------------------------------------------------------
def test_the_notice_waits_for_every_final_result_and_closed_window(
    plan, sample, sv_staff, sv_manager, sv_enterprise, categories, clock
):
    assert "awaits the laboratory" in " ".join(selectors.publish_blockers(plan))
    record_fail(sample, sv_staff)
    assert "not been received" in " ".join(selectors.publish_blockers(plan))
    clock.day = RECEIVED
    services.sample_received_record(sample=sample, received_on=RECEIVED, acting_user=sv_staff)
    clock.day = dt.date(2026, 10, 5)
    blockers = selectors.publish_blockers(plan)
    assert any("2026-10-05" in b for b in blockers)
    with pytest.raises(ValidationError) as caught:
        services.spot_check_plan_publish(plan=plan, notice=None, acting_user=sv_manager)
    assert caught.value.code == "too_early"
    clock.day = dt.date(2026, 10, 6)
    assert selectors.publish_blockers(plan) == []


def test_a_manager_publishes_the_generated_notice_staff_may_not(
    plan, failed, sv_staff, sv_manager, sv_enterprise, categories, clock
):
    other = add_sample(plan, sv_enterprise, categories[1], sv_staff, 2)
    record_pass(other, sv_staff)
    clock.day = dt.date(2026, 10, 6)
    with pytest.raises(PermissionDenied):
        services.spot_check_plan_publish(plan=plan, notice=None, acting_user=sv_staff)
    services.spot_check_plan_publish(plan=plan, notice=None, acting_user=sv_manager)
    plan.refresh_from_db()
    assert plan.status == SpotCheckPlan.Status.PUBLISHED and plan.published_at
    assert "2 batches" in plan.notice and "1 failed" in plan.notice
    assert "50.0%" in plan.notice and sv_enterprise.name in plan.notice
    assert "No fee was charged" in plan.notice
    with pytest.raises(ValidationError) as caught:
        services.spot_check_plan_publish(plan=plan, notice="再发", acting_user=sv_manager)
    assert caught.value.code == "invalid_transition"
    with pytest.raises(ValidationError):
        add_sample(plan, sv_enterprise, categories[1], sv_staff, 3)


def test_an_edited_notice_is_published_as_written_and_a_blank_one_refused(
    plan, sample, sv_staff, office_user
):
    record_pass(sample, sv_staff)
    with pytest.raises(ValidationError) as caught:
        services.spot_check_plan_publish(plan=plan, notice="  ", acting_user=office_user)
    assert "notice" in caught.value.error_dict
    services.spot_check_plan_publish(plan=plan, notice="公告\n正文", acting_user=office_user)
    plan.refresh_from_db()
    assert plan.notice == "公告\n正文"


# --- figures and what other topics read ----------------------------------------------------------
def test_failure_rates_by_category_and_district(
    plan, sv_enterprise, categories, sv_staff, campaign, districts
):
    huli = other_enterprise(campaign, districts)
    samples = [
        add_sample(plan, sv_enterprise, categories[0], sv_staff, 1),
        add_sample(plan, sv_enterprise, categories[0], sv_staff, 2),
        add_sample(plan, huli, categories[1], sv_staff, 3),
        add_sample(plan, huli, categories[1], sv_staff, 4),
    ]
    record_fail(samples[0], sv_staff)
    record_pass(samples[1], sv_staff)
    record_fail(samples[2], sv_staff)
    figures = selectors.plan_figures(plan)
    assert (figures.total.tested, figures.total.failed, figures.total.pending) == (3, 2, 1)
    by_category = {r.key: (r.tested, r.failed, r.rate) for r in figures.categories}
    assert by_category["children-clothing"][:2] == (2, 1)
    assert str(by_category["children-clothing"][2]) == "50.0"
    assert by_category["kettle"][:2] == (1, 1)
    by_district = {r.key: (r.tested, r.failed) for r in figures.districts}
    assert by_district == {districts[0].code: (2, 1), districts[1].code: (1, 1)}
    from qualitymonth.enterprises import problems

    for enterprise in (sv_enterprise, huli):
        found = {name: n for name, _label, n in problems.breakdown(enterprise)}
        assert found.get("samples") == 1


def test_timeline_entries_list_the_enterprises_samples_newest_first(
    plan, sv_enterprise, categories, sv_staff, django_assert_num_queries
):
    add_sample(plan, sv_enterprise, categories[0], sv_staff, 1, sampled_on=dt.date(2026, 9, 1))
    add_sample(plan, sv_enterprise, categories[1], sv_staff, 2, sampled_on=dt.date(2026, 9, 3))
    with django_assert_num_queries(1):
        entries = selectors.timeline_entries(sv_enterprise)
    assert [e.when for e in entries] == [dt.date(2026, 9, 3), dt.date(2026, 9, 1)]
    assert entries[0].url.startswith("/office/supervision/spot-checks/samples/")
