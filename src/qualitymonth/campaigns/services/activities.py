"""Planning, review and publication of activities."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.campaigns.figures import mark_registrations_changed
from qualitymonth.campaigns.models import Activity, Campaign, Registration
from qualitymonth.campaigns.signals import send_activity_completed
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Unit
from qualitymonth.core.permissions import Action, policy

S = Activity.Status

# Which statuses each workflow step may start from, and where it leads.
TRANSITIONS: dict[str, tuple[set[str], str, Action]] = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED, Action.ACTIVITY_SUBMIT),
    "approve": ({S.SUBMITTED}, S.APPROVED, Action.ACTIVITY_REVIEW),
    "return": ({S.SUBMITTED}, S.RETURNED, Action.ACTIVITY_REVIEW),
    "publish": ({S.APPROVED}, S.PUBLISHED, Action.ACTIVITY_PUBLISH),
    "complete": ({S.PUBLISHED}, S.COMPLETED, Action.ACTIVITY_MANAGE),
    "cancel": (
        {S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED, S.PUBLISHED},
        S.CANCELLED,
        Action.ACTIVITY_CANCEL,
    ),
}
EDITABLE_STATUSES = {S.DRAFT, S.RETURNED}
_M2M_FIELDS = ("domains", "co_organisers")


def available_transitions(*, user, activity: Activity) -> list[str]:
    """The workflow steps this user may take on this activity now (for buttons and the API)."""
    return [
        step
        for step, (sources, _target, action) in TRANSITIONS.items()
        if activity.status in sources and policy.can(user, action, activity)
    ]


def build_search_text(activity: Activity) -> str:
    parts = [activity.title, activity.summary, activity.venue, activity.description[:500]]
    parts.append(activity.organiser.name)
    parts.append(activity.organiser.short_name)
    if activity.district_id:
        parts.append(activity.district.name)
    return " ".join(p for p in parts if p).lower()


def _refresh_search_text(activity: Activity) -> None:
    extra = " ".join(d.name for d in activity.domains.all())
    co = " ".join(u.name for u in activity.co_organisers.all())
    activity.search_text = f"{build_search_text(activity)} {extra} {co}".strip().lower()
    activity.save(update_fields=["search_text"])


def _apply(activity: Activity, data: dict[str, Any]) -> dict[str, Any]:
    m2m = {name: data.pop(name) for name in _M2M_FIELDS if name in data}
    for name, value in data.items():
        setattr(activity, name, value)
    return m2m


def _check_campaign_scope(activity: Activity) -> None:
    campaign = activity.campaign
    if (
        activity.starts_at and timezone.localtime(activity.starts_at).date() > campaign.ends_on
    ) or (activity.ends_at and timezone.localtime(activity.ends_at).date() < campaign.starts_on):
        raise ValidationError(
            _("The activity must take place during the campaign (%(start)s – %(end)s).")
            % {"start": campaign.starts_on, "end": campaign.ends_on},
            code="outside_campaign",
        )
    if activity.focus_area.campaign_id != campaign.pk:
        raise ValidationError(_("The focus area belongs to another campaign."))
    # A unit holds activities in the campaigns of its own region: its city's, its district's
    # city's, or (a provincial unit) those of the cities below it, never a neighbouring city's.
    organiser_region = activity.organiser.region
    if campaign.region_id not in {
        r.pk for r in organiser_region.ancestors_and_self()
    } and organiser_region.pk not in {r.pk for r in campaign.region.ancestors_and_self()}:
        raise ValidationError(
            _("%(unit)s belongs to another region: it cannot hold activities in this campaign.")
            % {"unit": activity.organiser.localized_name},
            code="other_region",
        )
    if (
        activity.district_id
        and activity.district.parent_id != campaign.region_id
        and activity.district_id != campaign.region_id
    ):
        raise ValidationError(_("The district is outside the campaign's region."))


@transaction.atomic
def activity_create(
    *, acting_user, campaign: Campaign, organiser: Unit, data: dict[str, Any]
) -> Activity:
    policy.require(acting_user, Action.ACTIVITY_CREATE, organiser)
    data = dict(data)
    activity = Activity(
        campaign=campaign, organiser=organiser, created_by=acting_user, status=S.DRAFT
    )
    m2m = _apply(activity, data)
    _check_campaign_scope(activity)
    activity.full_clean(exclude=["search_text"])
    activity.save()
    for name, values in m2m.items():
        getattr(activity, name).set(values)
    _refresh_search_text(activity)
    audit_record(
        actor=acting_user, event_type="activity.create", target=activity, organiser=organiser.code
    )
    return activity


@transaction.atomic
def activity_update(*, acting_user, activity: Activity, data: dict[str, Any]) -> Activity:
    policy.require(acting_user, Action.ACTIVITY_EDIT, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Only a draft or a returned activity can be edited; this one is “%(status)s”.")
            % {"status": activity.get_status_display()}
        )
    data = dict(data)
    changed = sorted(name for name in data if name not in _M2M_FIELDS)
    m2m = _apply(activity, data)
    _check_campaign_scope(activity)
    activity.full_clean(exclude=["search_text"])
    activity.save()
    for name, values in m2m.items():
        getattr(activity, name).set(values)
    _refresh_search_text(activity)
    audit_record(
        actor=acting_user, event_type="activity.update", target=activity, fields=changed + list(m2m)
    )
    return activity


def _transition(
    *, step: str, acting_user, activity: Activity, note: str = "", **detail
) -> Activity:
    sources, target, action = TRANSITIONS[step]
    policy.require(acting_user, action, activity)
    if len(note) > 500:
        raise ValidationError(
            _("The reason may have at most 500 characters."), code="reason_too_long"
        )
    activity = (
        Activity.objects.select_for_update().select_related("campaign__region").get(pk=activity.pk)
    )
    if activity.status not in sources:
        raise ValidationError(
            _("This step is not possible while the activity is “%(status)s”.")
            % {"status": activity.get_status_display()},
            code="invalid_transition",
        )
    previous = activity.status
    activity.status = target
    update_fields = ["status", "updated_at"]
    if step in {"return", "cancel", "approve"}:
        activity.review_note = note
        update_fields.append("review_note")
    if step == "publish":
        activity.published_at = timezone.now()
        update_fields.append("published_at")
    activity.save(update_fields=update_fields)
    audit_record(
        actor=acting_user,
        event_type=f"activity.{step}",
        target=activity,
        previous=previous,
        status=target,
        note=note,
        **detail,
    )
    if target == S.COMPLETED:
        send_activity_completed(activity=activity, acting_user=acting_user)
    return activity


@transaction.atomic
def activity_submit(*, acting_user, activity: Activity) -> Activity:
    return _transition(step="submit", acting_user=acting_user, activity=activity)


@transaction.atomic
def activity_approve(*, acting_user, activity: Activity, note: str = "") -> Activity:
    return _transition(step="approve", acting_user=acting_user, activity=activity, note=note)


@transaction.atomic
def activity_return(*, acting_user, activity: Activity, reason: str) -> Activity:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Say why the plan is returned, so the unit knows what to change."),
            code="reason_required",
        )
    return _transition(step="return", acting_user=acting_user, activity=activity, note=reason)


@transaction.atomic
def activity_publish(*, acting_user, activity: Activity) -> Activity:
    return _transition(step="publish", acting_user=acting_user, activity=activity)


@transaction.atomic
def activity_complete(*, acting_user, activity: Activity) -> Activity:
    if activity.phase() == "upcoming":
        raise ValidationError(
            _("An activity that has not started cannot be completed."), code="not_started"
        )
    return _transition(step="complete", acting_user=acting_user, activity=activity)


@transaction.atomic
def activity_cancel(*, acting_user, activity: Activity, reason: str) -> Activity:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Say why the activity is cancelled; registrants will see it."), code="reason_required"
        )
    activity = _transition(step="cancel", acting_user=acting_user, activity=activity, note=reason)
    active = Registration.objects.filter(activity=activity, status__in=Registration.ACTIVE_STATUSES)
    mark_registrations_changed(active)  # the update below sends no signals
    cancelled = active.update(
        status=Registration.Status.CANCELLED, cancelled_at=timezone.now(), waitlist_position=None
    )
    if cancelled:
        audit_record(
            actor=acting_user,
            event_type="registration.cancel_all",
            target=activity,
            count=cancelled,
        )
    return activity
