import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qualitymonth.campaigns import services
from qualitymonth.campaigns.models import Activity, Registration
from qualitymonth.campaigns.services.activities import available_transitions
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from tests.factories import ActivityFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
S = Activity.Status


def _plan(campaign):
    start = timezone.now() + dt.timedelta(days=5)
    return {
        "title": "首席质量官培训班",
        "summary": "面向企业质量负责人的系统培训",
        "description": "",
        "co_organisers": [],
        "domains": list(campaign.domains.all()[:2]),
        "focus_area": campaign.focus_areas.first(),
        "kind": Activity.Kind.OFFLINE,
        "activity_type": Activity.Type.TRAINING,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "district": campaign.region.children.first(),
        "venue": "厦门国际会展中心",
        "online_url": "",
        "capacity": 80,
        "registration_opens_at": None,
        "registration_closes_at": None,
    }


def test_the_whole_workflow_writes_an_audit_row_per_step(campaign, unit, staff_user, office_user):
    activity = services.activity_create(
        acting_user=staff_user, campaign=campaign, organiser=unit, data=_plan(campaign)
    )
    assert activity.status == S.DRAFT and "首席质量官" in activity.search_text
    services.activity_submit(acting_user=staff_user, activity=activity)
    services.activity_return(acting_user=office_user, activity=activity, reason="请补充议程")
    activity.refresh_from_db()
    assert activity.status == S.RETURNED and activity.review_note == "请补充议程"
    services.activity_update(
        acting_user=staff_user, activity=activity, data={"summary": "已补充议程"}
    )
    services.activity_submit(acting_user=staff_user, activity=activity)
    services.activity_approve(acting_user=office_user, activity=activity)
    services.activity_publish(acting_user=staff_user, activity=activity)
    activity.refresh_from_db()
    assert activity.status == S.PUBLISHED and activity.published_at
    events = list(
        AuditEvent.objects.filter(object_id=str(activity.pk), object_type="campaigns.activity")
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert events == [
        "activity.create",
        "activity.submit",
        "activity.return",
        "activity.update",
        "activity.submit",
        "activity.approve",
        "activity.publish",
    ]


def test_steps_out_of_order_are_refused(activity, staff_user, office_user):
    activity.status = S.DRAFT
    activity.save()
    with pytest.raises(ValidationError) as caught:
        services.activity_publish(acting_user=staff_user, activity=activity)
    assert caught.value.code == "invalid_transition"
    with pytest.raises(ValidationError):
        services.activity_approve(acting_user=office_user, activity=activity)


def test_unit_staff_cannot_approve_their_own_plan(activity, staff_user):
    activity.status = S.SUBMITTED
    activity.save()
    with pytest.raises(PermissionDenied):
        services.activity_approve(acting_user=staff_user, activity=activity)
    assert available_transitions(user=staff_user, activity=activity) == []


def test_return_needs_a_reason(activity, office_user):
    activity.status = S.SUBMITTED
    activity.save()
    with pytest.raises(ValidationError):
        services.activity_return(acting_user=office_user, activity=activity, reason="  ")


def test_other_units_cannot_edit(activity, other_staff_user):
    activity.status = S.DRAFT
    activity.save()
    with pytest.raises(PermissionDenied):
        services.activity_update(
            acting_user=other_staff_user, activity=activity, data={"title": "x"}
        )


def test_published_plans_are_not_edited(activity, staff_user):
    with pytest.raises(ValidationError, match="draft or a returned"):
        services.activity_update(acting_user=staff_user, activity=activity, data={"title": "x"})


def test_cancel_cancels_every_live_registration(activity, manager_user):
    RegistrationFactory.create_batch(3, activity=activity)
    services.activity_cancel(acting_user=manager_user, activity=activity, reason="台风预警")
    assert set(Registration.objects.values_list("status", flat=True)) == {
        Registration.Status.CANCELLED
    }
    assert AuditEvent.objects.filter(event_type="registration.cancel_all", detail__count=3).exists()


def test_invalid_plan_is_refused_by_the_model(campaign, unit, staff_user):
    data = _plan(campaign)
    data["ends_at"] = data["starts_at"] - dt.timedelta(hours=1)
    with pytest.raises(ValidationError):
        services.activity_create(
            acting_user=staff_user, campaign=campaign, organiser=unit, data=data
        )
    assert not Activity.objects.exists()


def test_creating_for_another_unit_is_refused(campaign, other_unit, staff_user):
    with pytest.raises(PermissionDenied):
        services.activity_create(
            acting_user=staff_user, campaign=campaign, organiser=other_unit, data=_plan(campaign)
        )


def test_campaign_new_for_year_copies_the_structure(campaign):
    campaign.co_organisers.add(ActivityFactory(campaign=campaign).organiser)
    new = services.campaign_new_for_year(year=2023, region=campaign.region)
    assert (
        new.year == 2023
        and new.starts_on == dt.date(2023, 9, 1)
        and new.ends_on == dt.date(2023, 9, 30)
    )
    assert [f.name for f in new.focus_areas.all()] == [f.name for f in campaign.focus_areas.all()]
    assert new.domains.count() == campaign.domains.count() and new.co_organisers.count() == 1
    assert new.activities.count() == 0
    with pytest.raises(ValidationError):
        services.campaign_new_for_year(year=2023, region=campaign.region)


def test_a_unit_of_another_city_cannot_hold_activities_in_this_campaign(campaign):
    from tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory

    elsewhere = CampaignFactory(slug="another-city").region
    stranger_unit = UnitFactory(region=elsewhere, code="another-city-unit")
    staff = MembershipFactory(
        unit=stranger_unit, role="unit_staff", user=UserFactory(username="another-city-staff")
    ).user
    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            acting_user=staff, campaign=campaign, organiser=stranger_unit, data=_plan(campaign)
        )
    assert refused.value.code == "other_region"
    assert not Activity.objects.exists()


def test_a_district_unit_holds_activities_in_its_city_s_campaign(campaign, staff_user):
    from tests.factories import MembershipFactory, UnitFactory

    district_unit = UnitFactory(region=campaign.region.children.first(), code="district-unit")
    MembershipFactory(unit=district_unit, role="unit_staff", user=staff_user)
    activity = services.activity_create(
        acting_user=staff_user, campaign=campaign, organiser=district_unit, data=_plan(campaign)
    )
    assert activity.organiser == district_unit
