import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qualitymonth.campaigns import services
from qualitymonth.campaigns.models import Activity, Registration
from qualitymonth.campaigns.services.registrations import waitlist_rank
from qualitymonth.core.models import AuditEvent
from tests.factories import ActivityFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
R = Registration.Status


def _register(activity, n):
    return services.registration_create(
        activity=activity, name=f"市民{n}", mobile=f"1390000{n:04d}"
    )


def test_registration_is_confirmed_while_seats_last_then_waitlisted(activity):
    activity.capacity = 2
    activity.save()
    first, second, third, fourth = (_register(activity, n) for n in range(4))
    assert [r.status for r in (first, second, third, fourth)] == [
        R.CONFIRMED,
        R.CONFIRMED,
        R.WAITLISTED,
        R.WAITLISTED,
    ]
    assert waitlist_rank(third) == 1 and waitlist_rank(fourth) == 2
    assert len(first.ticket_code) == 8 and first.token
    assert AuditEvent.objects.filter(event_type="registration.create").count() == 4


def test_the_same_mobile_cannot_register_twice(activity):
    services.registration_create(activity=activity, name="张三", mobile="13800138000")
    with pytest.raises(ValidationError) as caught:
        services.registration_create(activity=activity, name="张三", mobile="+86 138 0013 8000")
    assert "mobile" in caught.value.error_dict


def test_a_cancelled_mobile_may_register_again(activity):
    first = services.registration_create(activity=activity, name="张三", mobile="13800138000")
    services.registration_cancel(registration=first)
    again = services.registration_create(activity=activity, name="张三", mobile="13800138000")
    assert again.status == R.CONFIRMED


@pytest.mark.parametrize("mobile", ["12345", "23800138000", ""])
def test_bad_mobile_is_refused_on_the_field(activity, mobile):
    with pytest.raises(ValidationError) as caught:
        services.registration_create(activity=activity, name="张三", mobile=mobile)
    assert "mobile" in caught.value.error_dict
    assert not Registration.objects.exists()


def test_registration_outside_the_window_is_refused(activity):
    activity.registration_opens_at = timezone.now() + dt.timedelta(days=1)
    activity.registration_closes_at = activity.starts_at - dt.timedelta(hours=1)
    activity.save()
    with pytest.raises(ValidationError, match="not opened"):
        _register(activity, 1)
    activity.registration_opens_at = timezone.now() - dt.timedelta(days=2)
    activity.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    activity.save()
    with pytest.raises(ValidationError, match="closed"):
        _register(activity, 2)


def test_unpublished_or_seatless_activities_take_no_registration(campaign, unit):
    draft = ActivityFactory(campaign=campaign, organiser=unit, status=Activity.Status.DRAFT)
    no_seats = ActivityFactory(campaign=campaign, organiser=unit, capacity=None)
    for activity in (draft, no_seats):
        with pytest.raises(ValidationError):
            _register(activity, 1)


def test_cancelling_a_seat_promotes_the_first_in_line(activity):
    activity.capacity = 1
    activity.save()
    holder, waiting_1, waiting_2 = (_register(activity, n) for n in range(3))
    services.registration_cancel(registration=holder)
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert (
        waiting_1.status == R.CONFIRMED
        and waiting_1.promoted_at
        and waiting_1.waitlist_position is None
    )
    assert waiting_2.status == R.WAITLISTED and waitlist_rank(waiting_2) == 1
    assert AuditEvent.objects.filter(
        event_type="registration.promote", object_id=str(waiting_1.pk)
    ).exists()


def test_cancelling_a_waitlisted_place_promotes_nobody(activity):
    activity.capacity = 1
    activity.save()
    _holder, waiting_1, waiting_2 = (_register(activity, n) for n in range(3))
    services.registration_cancel(registration=waiting_1)
    waiting_2.refresh_from_db()
    assert waiting_2.status == R.WAITLISTED


def test_cancel_twice_is_refused(activity):
    registration = _register(activity, 1)
    services.registration_cancel(registration=registration)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.registration_cancel(registration=registration)


def test_check_in_once_and_refuse_the_second_time_with_the_time(activity, staff_user):
    registration = _register(activity, 1)
    services.registration_check_in(registration=registration, acting_user=staff_user)
    with pytest.raises(ValidationError) as caught:
        services.registration_check_in(registration=registration, acting_user=staff_user)
    assert caught.value.code == "already_checked_in"
    assert registration.display_code in caught.value.messages[0]


def test_waitlisted_and_cancelled_tickets_cannot_check_in(activity, staff_user):
    activity.capacity = 1
    activity.save()
    holder, waiting = _register(activity, 1), _register(activity, 2)
    with pytest.raises(ValidationError, match="wait list"):
        services.registration_check_in(registration=waiting, acting_user=staff_user)
    services.registration_cancel(registration=holder)
    with pytest.raises(ValidationError, match="cancelled"):
        services.registration_check_in(registration=holder, acting_user=staff_user)


def test_other_units_staff_cannot_check_in(activity, other_staff_user):
    from qualitymonth.core.permissions import PermissionDenied

    registration = _register(activity, 1)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=registration, acting_user=other_staff_user)


def test_checked_in_ticket_cannot_be_cancelled(activity, staff_user):
    registration = _register(activity, 1)
    services.registration_check_in(registration=registration, acting_user=staff_user)
    with pytest.raises(ValidationError, match="checked in"):
        services.registration_cancel(registration=registration)


def test_survey_needs_a_check_in_and_is_answered_once(activity, staff_user):
    registration = RegistrationFactory(activity=activity)
    with pytest.raises(ValidationError):
        services.survey_submit(registration=registration, overall=5, usefulness=4, organisation=5)
    services.registration_check_in(registration=registration, acting_user=staff_user)
    services.survey_submit(
        registration=registration, overall=5, usefulness=4, organisation=5, comment="很好"
    )
    with pytest.raises(ValidationError, match="already answered"):
        services.survey_submit(registration=registration, overall=1, usefulness=1, organisation=1)


def test_survey_scores_must_be_one_to_five(activity, staff_user):
    registration = RegistrationFactory(activity=activity, checked_in_at=timezone.now())
    with pytest.raises(ValidationError):
        services.survey_submit(registration=registration, overall=6, usefulness=4, organisation=5)


def test_report_completes_an_ended_activity(campaign, unit, staff_user):
    past = ActivityFactory(
        campaign=campaign,
        organiser=unit,
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=2),
    )
    services.report_file(
        acting_user=staff_user,
        activity=past,
        participants=40,
        enterprises_served=12,
        problems_solved=5,
        summary="完成",
    )
    past.refresh_from_db()
    assert past.status == Activity.Status.COMPLETED
    assert past.report.enterprises_served == 12


def test_report_before_the_start_is_refused(activity, staff_user):
    with pytest.raises(ValidationError, match="started"):
        services.report_file(
            acting_user=staff_user,
            activity=activity,
            participants=1,
            enterprises_served=0,
            problems_solved=0,
            summary="x",
        )
