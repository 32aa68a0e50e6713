"""Associations and enterprises that join a year's campaign: they apply, the campaign office
accepts (a participating unit is made and the applicant manages it) or declines with a reason,
and the applicant may withdraw while the office has not decided.

A step the application's present state does not allow is refused with the code
"invalid_transition" (409 in the API); a second live application for one code with "duplicate"."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.campaigns.models import Campaign, Participation
from qualitymonth.campaigns.permissions import ParticipationAction
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Membership, Region, Unit
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.validators import (
    clean_text,
    field_error,
    normalize_mobile,
    validate_mobile,
    validate_uscc,
)

S = Participation.Status
K = Participation.Kind
NAME_MAX = Participation._meta.get_field("name").max_length
CONTACT_MAX = Participation._meta.get_field("contact_name").max_length
REASON_MAX = Participation._meta.get_field("reason").max_length
PLAN_MAX = 3000
# GB 32100: the first character is the registering authority. Social organisations (社会团体,
# 民办非企业单位) are registered by civil affairs (5), enterprises by market regulation (9).
AUTHORITY = {K.ASSOCIATION: "5", K.ENTERPRISE: "9"}
UNIT_KIND = {K.ASSOCIATION: Unit.Kind.ASSOCIATION, K.ENTERPRISE: Unit.Kind.ENTERPRISE}
UNIT_CODE_PREFIX = "p-"


def unit_code_for(uscc: str) -> str:
    """The participating unit's code: one per organisation, whichever year it joins."""
    return f"{UNIT_CODE_PREFIX}{uscc.lower()}"


def _clean_uscc(kind: str, uscc: str) -> str:
    code = (uscc or "").strip().upper()
    try:
        validate_uscc(code)
    except ValidationError as error:
        raise field_error("uscc", error.messages[0], "invalid_uscc") from None
    expected = AUTHORITY[kind]
    if code[0] != expected:
        message = (
            _("An association's code starts with 5 (registered by civil affairs).")
            if kind == K.ASSOCIATION
            else _("An enterprise's code starts with 9 (registered by market regulation).")
        )
        raise field_error("uscc", message, "invalid_uscc")
    return code


def _notify_applicant(participation: Participation, text: str) -> None:
    email = getattr(participation.applicant, "email", "") or ""
    notify_on_commit(
        Notification(
            subject=_("Quality Month"),
            text=text,
            mobile=participation.contact_mobile,
            email=email,
        )
    )


def _refuse_unless_pending(participation: Participation, step: str) -> None:
    if participation.status != S.PENDING:
        raise ValidationError(
            _("This application is “%(status)s”; “%(step)s” is not possible now.")
            % {"status": participation.get_status_display(), "step": step},
            code="invalid_transition",
        )


def _lock(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update(of=("self",))
        .select_related("campaign__region", "applicant")
        .get(pk=participation.pk)
    )


# --- applying ------------------------------------------------------------------------------------
@transaction.atomic
def participation_apply(
    *,
    campaign: Campaign,
    kind: str,
    name: str,
    uscc: str,
    district: Region | None,
    contact_name: str,
    contact_mobile: str,
    plan: str,
    acting_user,
) -> Participation:
    """A signed-in person applies for an association or enterprise to join the campaign."""
    policy.require(acting_user, ParticipationAction.APPLY, campaign)
    if kind not in K.values:
        raise field_error("kind", _("Choose association or enterprise."), "invalid_choice")
    today = timezone.localdate()
    if not campaign.is_published or campaign.ends_on < today:
        raise ValidationError(
            _("This campaign does not take applications (it is not open or has ended)."),
            code="closed",
        )
    name = clean_text("name", name, limit=NAME_MAX)
    code = _clean_uscc(kind, uscc)
    contact_name = clean_text("contact_name", contact_name, limit=CONTACT_MAX)
    mobile = normalize_mobile(contact_mobile or "")
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        raise field_error("contact_mobile", error.messages[0], "invalid_mobile") from None
    plan = clean_text("plan", plan, limit=PLAN_MAX, multiline=True)
    if district is not None and district.parent_id != campaign.region_id:
        raise field_error("district", _("The district is outside the campaign's region."))
    duplicate = _("This organisation has already applied to this campaign; see its application.")
    if (
        Participation.objects.filter(campaign=campaign, uscc=code)
        .filter(status__in=(S.PENDING, S.ACCEPTED))
        .exists()
    ):
        raise field_error("uscc", duplicate, "duplicate")
    participation = Participation(
        campaign=campaign,
        kind=kind,
        name=name,
        uscc=code,
        district=district,
        contact_name=contact_name,
        contact_mobile=mobile,
        plan=plan,
        applicant=acting_user,
    )
    try:
        with transaction.atomic():  # two applications at once: the constraint decides
            participation.save(force_insert=True)
    except IntegrityError:
        raise field_error("uscc", duplicate, "duplicate") from None
    audit_record(
        actor=acting_user,
        event_type="participation.apply",
        target=participation,
        campaign=campaign.slug,
        kind=kind,
        uscc=code,
    )
    return participation


# --- the office's decision -----------------------------------------------------------------------
def _unit_for(participation: Participation) -> Unit:
    """The organisation's unit: the one it had in an earlier campaign (same code), or a new one.
    A unit of the same name that is another organisation is refused, never taken over."""
    code = unit_code_for(participation.uscc)
    unit = Unit.objects.select_for_update().filter(code=code).first()
    if unit is not None:
        return unit
    if Unit.objects.filter(name=participation.name).exists():
        raise ValidationError(
            _(
                "A unit named “%(name)s” already exists and is not this organisation. Ask the "
                "applicant to give the organisation's full registered name, or decline."
            )
            % {"name": participation.name},
            code="name_taken",
        )
    unit = Unit(
        code=code,
        name=participation.name,
        kind=UNIT_KIND[participation.kind],
        region=participation.campaign.region,
    )
    try:
        with transaction.atomic():
            unit.save(force_insert=True)
    except IntegrityError:  # the same name made a moment ago by someone else
        raise ValidationError(
            _("A unit named “%(name)s” already exists.") % {"name": participation.name},
            code="name_taken",
        ) from None
    return unit


@transaction.atomic
def participation_accept(*, participation: Participation, acting_user) -> Participation:
    """The office accepts: the organisation becomes a participating unit that its applicant
    manages, and plans its activities through the same review as the co-organisers."""
    policy.require(acting_user, ParticipationAction.DECIDE, participation)
    participation = _lock(participation)
    _refuse_unless_pending(participation, _("accept"))
    unit = _unit_for(participation)
    # An organisation that took part in an earlier year keeps its unit (and its history).
    if not unit.is_active:
        unit.is_active = True
        unit.save(update_fields=["is_active"])
    Membership.objects.get_or_create(
        user=participation.applicant, unit=unit, role=Membership.Role.UNIT_MANAGER
    )
    participation.status = S.ACCEPTED
    participation.unit = unit
    participation.decided_by = acting_user
    participation.decided_at = timezone.now()
    participation.reason = ""
    participation.save(update_fields=["status", "unit", "decided_by", "decided_at", "reason"])
    audit_record(
        actor=acting_user,
        event_type="participation.accept",
        target=participation,
        unit=unit.code,
        applicant=participation.applicant.get_username(),
    )
    _notify_applicant(
        participation,
        _(
            "%(name)s takes part in the campaign. Sign in to plan its activities in the back "
            "office; the campaign office reviews them."
        )
        % {"name": participation.name},
    )
    return participation


@transaction.atomic
def participation_decline(
    *, participation: Participation, reason: str, acting_user
) -> Participation:
    policy.require(acting_user, ParticipationAction.DECIDE, participation)
    reason = clean_text("reason", reason, limit=REASON_MAX, multiline=True)
    participation = _lock(participation)
    _refuse_unless_pending(participation, _("decline"))
    participation.status = S.DECLINED
    participation.reason = reason
    participation.decided_by = acting_user
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_record(
        actor=acting_user, event_type="participation.decline", target=participation, reason=reason
    )
    _notify_applicant(
        participation,
        _("The application of %(name)s was declined: %(reason)s")
        % {"name": participation.name, "reason": reason},
    )
    return participation


@transaction.atomic
def participation_withdraw(*, participation: Participation, acting_user) -> Participation:
    """The applicant takes the application back before the office decides."""
    policy.require(acting_user, ParticipationAction.WITHDRAW, participation)
    participation = _lock(participation)
    _refuse_unless_pending(participation, _("withdraw"))
    participation.status = S.WITHDRAWN
    participation.decided_by = acting_user
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=acting_user, event_type="participation.withdraw", target=participation)
    return participation


def participation_contact_viewed(*, participation: Participation, acting_user) -> None:
    """Log that the office saw the contact's name and mobile unmasked (personal data)."""
    if not policy.can(acting_user, ParticipationAction.DECIDE, participation):
        raise PermissionDenied(ParticipationAction.DECIDE)
    audit_record(actor=acting_user, event_type="participation.personal_data", target=participation)
