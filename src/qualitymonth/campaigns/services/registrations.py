"""Registration, wait list, check-in, the survey and the outcome report."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qualitymonth.campaigns.models import (
    Activity,
    ActivityReport,
    Registration,
    ReportPhoto,
    SurveyResponse,
)
from qualitymonth.campaigns.signals import send_activity_completed
from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import Action, policy
from qualitymonth.core.validators import normalize_mobile, validate_mobile

R = Registration.Status
# The door opens a while before the start; late-comers and the paperwork may run a little after.
CHECK_IN_EARLY = dt.timedelta(hours=3)
CHECK_IN_LATE = dt.timedelta(hours=6)


def _lock_activity(activity_id: int) -> Activity:
    # Every change to who holds a seat goes through this row lock, so capacity and the wait-list
    # order hold however many people register or cancel at the same moment.
    return Activity.objects.select_for_update().get(pk=activity_id)


@transaction.atomic
def registration_create(*, activity: Activity, name: str, mobile: str, user=None) -> Registration:
    name = (name or "").strip()
    mobile = normalize_mobile(mobile)
    if not name:
        raise ValidationError({"name": _("Enter your name.")})
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        raise ValidationError({"mobile": error.messages}) from None
    activity = _lock_activity(activity.pk)
    state = activity.registration_state()
    if state != "open":
        messages = {
            "none": _("This activity takes no registration."),
            "not_yet": _("Registration has not opened yet."),
            "closed": _("Registration for this activity is closed."),
        }
        raise ValidationError(messages[state], code=f"registration_{state}")
    if Registration.objects.filter(
        activity=activity, mobile=mobile, status__in=Registration.ACTIVE_STATUSES
    ).exists():
        raise ValidationError(
            {
                "mobile": ValidationError(
                    _("This mobile number is already registered for this activity."),
                    code="duplicate",
                )
            }
        )
    confirmed = Registration.objects.filter(activity=activity, status=R.CONFIRMED).count()
    registration = Registration(
        activity=activity, name=name, mobile=mobile, user=user if _is_user(user) else None
    )
    if confirmed < activity.capacity:
        registration.status = R.CONFIRMED
    else:
        registration.status = R.WAITLISTED
        last = (
            Registration.objects.filter(activity=activity).aggregate(m=Max("waitlist_position"))[
                "m"
            ]
            or 0
        )
        registration.waitlist_position = last + 1
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # The ticket code is random; a collision is astronomically rare, but never a 500.
        registration.ticket_code = Registration._meta.get_field("ticket_code").default()
        registration.save()
    audit_record(
        actor=user,
        actor_label=registration.masked_name,
        event_type="registration.create",
        target=registration,
        activity=activity.pk,
        status=registration.status,
    )
    return registration


def _is_user(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def waitlist_rank(registration: Registration) -> int | None:
    """1 for the next person to get a seat."""
    if registration.status != R.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            activity_id=registration.activity_id,
            status=R.WAITLISTED,
            waitlist_position__lt=registration.waitlist_position,
        ).count()
        + 1
    )


@transaction.atomic
def registration_cancel(*, registration: Registration, acting_user=None) -> Registration:
    activity = _lock_activity(registration.activity_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == R.CANCELLED:
        raise ValidationError(
            _("This registration was already cancelled."), code="already_cancelled"
        )
    if registration.checked_in_at:
        raise ValidationError(
            _("A ticket that has been checked in cannot be cancelled."), code="checked_in"
        )
    if activity.phase() == "ended":
        raise ValidationError(
            _("The activity has ended; there is nothing left to cancel."), code="ended"
        )
    held_seat = registration.status == R.CONFIRMED
    registration.status = R.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.waitlist_position = None
    registration.save(update_fields=["status", "cancelled_at", "waitlist_position"])
    audit_record(
        actor=acting_user,
        actor_label=registration.masked_name,
        event_type="registration.cancel",
        target=registration,
        activity=activity.pk,
    )
    if held_seat:
        _promote_waitlisted(activity)
    return registration


def _promote_waitlisted(activity: Activity) -> Registration | None:
    confirmed = Registration.objects.filter(activity=activity, status=R.CONFIRMED).count()
    if confirmed >= (activity.capacity or 0):
        return None
    nxt = (
        Registration.objects.select_for_update()
        .filter(activity=activity, status=R.WAITLISTED)
        .order_by("waitlist_position", "id")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = R.CONFIRMED
    nxt.waitlist_position = None
    nxt.promoted_at = timezone.now()
    nxt.save(update_fields=["status", "waitlist_position", "promoted_at"])
    audit_record(
        actor=None,
        actor_label="system",
        event_type="registration.promote",
        target=nxt,
        activity=activity.pk,
    )
    return nxt


@transaction.atomic
def registration_check_in(*, registration: Registration, acting_user) -> Registration:
    policy.require(acting_user, Action.ACTIVITY_MANAGE, registration.activity)
    registration = (
        Registration.objects.select_for_update().select_related("activity").get(pk=registration.pk)
    )
    activity = registration.activity
    if registration.checked_in_at:
        when = date_format(timezone.localtime(registration.checked_in_at), "Y-m-d H:i")
        raise ValidationError(
            _("Ticket %(code)s was already checked in at %(when)s.")
            % {"code": registration.display_code, "when": when},
            code="already_checked_in",
        )
    if registration.status == R.CANCELLED:
        raise ValidationError(
            _("Ticket %(code)s was cancelled.") % {"code": registration.display_code},
            code="cancelled",
        )
    if registration.status == R.WAITLISTED:
        raise ValidationError(
            _("Ticket %(code)s is still on the wait list and holds no seat.")
            % {"code": registration.display_code},
            code="waitlisted",
        )
    if activity.status not in (Activity.Status.PUBLISHED, Activity.Status.COMPLETED):
        raise ValidationError(
            _("The activity is not running; tickets cannot be checked in."), code="not_running"
        )
    now = timezone.now()
    if not activity.starts_at - CHECK_IN_EARLY <= now <= activity.ends_at + CHECK_IN_LATE:
        opens = date_format(timezone.localtime(activity.starts_at - CHECK_IN_EARLY), "Y-m-d H:i")
        raise ValidationError(
            _("Check-in for this activity opens at %(when)s.") % {"when": opens}
            if now < activity.starts_at
            else _("The activity is over; check-in has closed."),
            code="check_in_closed",
        )
    registration.checked_in_at = now
    registration.checked_in_by = acting_user
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    audit_record(
        actor=acting_user,
        event_type="registration.check_in",
        target=registration,
        activity=activity.pk,
    )
    return registration


@transaction.atomic
def survey_submit(
    *,
    registration: Registration,
    overall: int,
    usefulness: int,
    organisation: int,
    comment: str = "",
) -> SurveyResponse:
    registration = (
        Registration.objects.select_for_update().select_related("activity").get(pk=registration.pk)
    )
    if not registration.checked_in_at:
        raise ValidationError(
            _("Only participants who were checked in can answer the survey."), code="not_checked_in"
        )
    if SurveyResponse.objects.filter(registration=registration).exists():
        raise ValidationError(
            _("You have already answered the survey. Thank you!"), code="already_answered"
        )
    response = SurveyResponse(
        registration=registration,
        overall=overall,
        usefulness=usefulness,
        organisation=organisation,
        comment=(comment or "").strip(),
    )
    response.full_clean(exclude=["registration"])
    response.save()
    audit_record(
        actor=registration.user,
        actor_label=registration.masked_name,
        event_type="survey.submit",
        target=registration.activity,
        registration=registration.pk,
    )
    return response


@transaction.atomic
def report_file(
    *,
    acting_user,
    activity: Activity,
    participants: int,
    enterprises_served: int,
    problems_solved: int,
    summary: str,
    photos=(),
) -> ActivityReport:
    policy.require(acting_user, Action.ACTIVITY_MANAGE, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status not in (Activity.Status.PUBLISHED, Activity.Status.COMPLETED):
        raise ValidationError(
            _("Only a published or completed activity can have an outcome report.")
        )
    if activity.phase() == "upcoming":
        raise ValidationError(
            _("The outcome report can be filed once the activity has started."), code="not_started"
        )
    report, created = ActivityReport.objects.update_or_create(
        activity=activity,
        defaults={
            "participants": participants,
            "enterprises_served": enterprises_served,
            "problems_solved": problems_solved,
            "summary": summary.strip(),
            "submitted_by": acting_user,
        },
    )
    for photo in photos:
        ReportPhoto.objects.create(report=report, image=photo)
    if activity.status == Activity.Status.PUBLISHED and activity.phase() == "ended":
        activity.status = Activity.Status.COMPLETED
        activity.save(update_fields=["status", "updated_at"])
        send_activity_completed(activity=activity, acting_user=acting_user)
    audit_record(
        actor=acting_user,
        event_type="activity.report" if created else "activity.report_update",
        target=activity,
        participants=participants,
        enterprises_served=enterprises_served,
        problems_solved=problems_solved,
        photos=len(photos),
    )
    return report
