"""Rectification of hazards (隐患整改): the subject answers the order, the unit re-inspects and
closes the hazard or escalates it to an enforcement case, may extend the deadline once with a
reason, and hears of orders left unanswered past their deadline.

The inspections topic creates each Hazard when an inspection is signed (status open, with the
order and its deadline); everything after that happens here.

The one extension is kept on the hazard (its deadline before, and why). The reminders sent are
read from the hazard's audit rows (`supervision.hazard.reminded`), written in the same
transaction as the reminder."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_bulk, audit_record
from qualitymonth.core.models import AuditEvent, Membership
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import clean_text, field_error
from qualitymonth.enterprises.models import EnterpriseMember
from qualitymonth.supervision.models import Case, Hazard, HazardReply
from qualitymonth.supervision.permissions import WORK_ROLES, SupervisionAction
from qualitymonth.supervision.services import photos

logger = logging.getLogger(__name__)
S = Hazard.Status

OBJECT_TYPE = "supervision.hazard"
REMINDED = "supervision.hazard.reminded"
NOTE_MAX = 500
REASON_MAX = 300
LEGAL_BASIS_MAX = 500
# An extension may reach at most this many days past the later of today and the deadline.
EXTENSION_MAX_DAYS = 60
PHOTO_MAX_MB = photos.PHOTO_MAX_MB
OUTCOMES = ("close", "escalate")


# --- helpers -------------------------------------------------------------------------------------
def _lock(hazard: Hazard) -> Hazard:
    return (
        Hazard.objects.select_for_update(of=("self",))
        .select_related(
            "subject__region", "subject__enterprise", "inspection__drawn", "unit__region"
        )
        .get(pk=hazard.pk)
    )


def _audit(hazard: Hazard, actor, event: str, **detail) -> None:
    audit_record(actor=actor, event_type=f"supervision.hazard.{event}", target=hazard, **detail)


def _refuse_unless(hazard: Hazard, *statuses: str) -> None:
    if hazard.status not in statuses:
        raise ValidationError(
            _("This order is %(status)s: the step is no longer possible.")
            % {"status": hazard.get_status_display()},
            code="invalid_transition",
        )


def _text(hazard: Hazard, text: str) -> str:
    return _("%(subject)s, inspection %(number)s: %(text)s") % {
        "subject": hazard.subject.name,
        "number": hazard.inspection.number,
        "text": text,
    }


def _unit_emails(unit_ids) -> set[str]:
    emails = Membership.objects.filter(
        unit_id__in=unit_ids, role__in=WORK_ROLES, user__is_active=True
    ).values_list("user__email", flat=True)
    return {e for e in emails if e}


def _notify_unit(hazard: Hazard, text: str) -> None:
    subject = _("Rectification orders")
    for email in sorted(_unit_emails([hazard.unit_id])):
        notify_on_commit(Notification(subject=subject, text=_text(hazard, text), email=email))


def _notify_enterprise(hazard: Hazard, text: str) -> None:
    """The subject's enterprise hears of each step: its contact's mobile and its users."""
    enterprise = hazard.subject.enterprise
    if enterprise is None:
        return
    subject = _("Rectification orders")
    emails = EnterpriseMember.objects.filter(
        enterprise=enterprise, user__is_active=True
    ).values_list("user__email", flat=True)
    for email in sorted({e for e in emails if e}):
        notify_on_commit(Notification(subject=subject, text=_text(hazard, text), email=email))
    if enterprise.contact_mobile:
        notify_on_commit(
            Notification(
                subject=subject, text=_text(hazard, text), mobile=enterprise.contact_mobile
            )
        )


def _day(field: str, value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise field_error(field, _("Give a date."), "required")
    return value


# --- the subject's answer ------------------------------------------------------------------------
@transaction.atomic
def hazard_reply(*, hazard: Hazard, note: str, acting_user, photo=None) -> HazardReply:
    """The subject says what it did (with a photo); an inspector may record it for them. The
    order is then "rectification reported" and the unit hears of it."""
    hazard = _lock(hazard)
    on_behalf = False
    if not policy.can(acting_user, SupervisionAction.RESPOND, hazard):
        policy.require(acting_user, SupervisionAction.WORK, hazard)
        on_behalf = True
    _refuse_unless(hazard, S.OPEN, S.ANSWERED)
    errors: dict[str, list] = {}
    try:
        note = clean_text("note", note, limit=NOTE_MAX, multiline=True)
    except ValidationError as error:
        errors.update(error.error_dict)
    content = None
    if photo:
        try:
            # Checked by its content, shrunk, and stored without its metadata (place, camera).
            content = photos.photo_prepare(photo).content
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    reply = HazardReply(hazard=hazard, note=note, by=acting_user)
    if content is not None:
        reply.photo.save(content.name, content, save=False)
    reply.save()
    before = hazard.status
    if hazard.status == S.OPEN:
        hazard.status = S.ANSWERED
        hazard.save(update_fields=["status"])
    _audit(
        hazard,
        acting_user,
        "answered",
        before=before,
        after=hazard.status,
        reply=reply.pk,
        photo=bool(content),
        on_behalf=on_behalf,
    )
    _notify_unit(hazard, _("the subject reported its rectification; re-inspect it."))
    if on_behalf:
        _notify_enterprise(hazard, _("the inspector recorded your rectification report."))
    return reply


# --- re-inspection -------------------------------------------------------------------------------
def clean_reinspection(
    hazard: Hazard,
    *,
    reinspected_on,
    outcome: str,
    note: str,
    legal_basis: str = "",
    today: dt.date | None = None,
) -> dict:
    """The re-inspection's values, checked (shared by the service and the page's preview):
    a day from the inspection to today; close or escalate; a note when escalating and when
    closing an order the subject never answered."""
    today = today or timezone.localdate()
    errors: dict[str, list] = {}

    def collect(check):
        try:
            return check()
        except ValidationError as error:
            for field, items in error.error_dict.items():
                errors.setdefault(field, []).extend(items)
            return None

    day = collect(lambda: _day("reinspected_on", reinspected_on))
    if day is not None:
        if day > today:
            errors["reinspected_on"] = [
                ValidationError(_("The re-inspection cannot be in the future."), "invalid")
            ]
        elif day < hazard.inspection.inspected_on:
            errors["reinspected_on"] = [
                ValidationError(
                    _("The re-inspection cannot be before the inspection (%(day)s).")
                    % {"day": f"{hazard.inspection.inspected_on:%Y-%m-%d}"},
                    "invalid",
                )
            ]
    if outcome not in OUTCOMES:
        errors["outcome"] = [ValidationError(_("Choose close or escalate."), "invalid")]
    needs_note = outcome == "escalate" or hazard.status == S.OPEN
    if needs_note and outcome == "close" and not (note or "").strip():
        errors["note"] = [
            ValidationError(
                _("The subject has not answered: say why the order is closed anyway."),
                "required",
            )
        ]
        text = ""
    else:
        text = collect(
            lambda: clean_text("note", note, limit=NOTE_MAX, required=needs_note, multiline=True)
        )
    basis = collect(
        lambda: clean_text("legal_basis", legal_basis, limit=LEGAL_BASIS_MAX, required=False)
    )
    if errors:
        raise ValidationError(errors)
    return {"reinspected_on": day, "outcome": outcome, "note": text, "legal_basis": basis}


def _party_name(hazard: Hazard) -> str:
    subject = hazard.subject
    if subject.enterprise_id:
        return subject.enterprise.name
    for attribute, name in (("canteen", "school"), ("elevator", "user_unit")):
        detail = getattr(subject, attribute, None) if subject.kind == attribute else None
        if detail is not None and getattr(detail, name, ""):
            return getattr(detail, name)
    return subject.name


def _facts(hazard: Hazard, note: str) -> str:
    return _(
        "Inspection %(number)s of %(day)s found: %(hazard)s\n"
        "Rectification ordered by %(deadline)s: %(order)s\n"
        "Re-inspection: %(note)s"
    ) % {
        "number": hazard.inspection.number,
        "day": f"{hazard.inspection.inspected_on:%Y-%m-%d}",
        "hazard": hazard.description,
        "deadline": f"{hazard.deadline:%Y-%m-%d}",
        "order": hazard.order_text,
        "note": note,
    }


@transaction.atomic
def hazard_reinspect(
    *,
    hazard: Hazard,
    reinspected_on: dt.date,
    outcome: str,
    note: str = "",
    legal_basis: str = "",
    acting_user,
) -> Hazard:
    """The unit re-inspects: the hazard is closed as rectified, or escalated to an enforcement
    case (services.cases.case_open). Closing an order the subject never answered needs a note."""
    hazard = _lock(hazard)
    policy.require(acting_user, SupervisionAction.WORK, hazard)
    _refuse_unless(hazard, S.OPEN, S.ANSWERED)
    values = clean_reinspection(
        hazard,
        reinspected_on=reinspected_on,
        outcome=outcome,
        note=note,
        legal_basis=legal_basis,
    )
    before = hazard.status
    hazard.reinspected_on = values["reinspected_on"]
    hazard.reinspection_note = values["note"]
    case = None
    if outcome == "close":
        hazard.status = S.CLOSED
        hazard.closed_at = timezone.now()
    else:
        case = _escalate(hazard, values, acting_user)
        hazard.status = S.ESCALATED
    hazard.save(update_fields=["reinspected_on", "reinspection_note", "status", "closed_at"])
    if case is None:
        _audit(
            hazard,
            acting_user,
            "closed",
            before=before,
            reinspected_on=values["reinspected_on"],
            answered=before == S.ANSWERED,
        )
        _notify_enterprise(hazard, _("the re-inspection found the hazard rectified; closed."))
        _notify_unit(hazard, _("closed after re-inspection."))
    else:
        _audit(
            hazard,
            acting_user,
            "escalated",
            before=before,
            reinspected_on=values["reinspected_on"],
            case=case.number,
        )
        _notify_enterprise(
            hazard, _("the re-inspection found the hazard not rectified; a case was opened.")
        )
        _notify_unit(hazard, _("escalated to case %(n)s.") % {"n": case.number})
    return hazard


def _escalate(hazard: Hazard, values: dict, acting_user) -> Case:
    try:
        from qualitymonth.supervision.services.cases import case_open
    except ImportError:
        raise ValidationError(
            _("Enforcement cases cannot be opened here yet."), code="invalid_transition"
        ) from None
    return case_open(
        unit=hazard.unit,
        source=Case.Source.INSPECTION,
        party_kind=Case.PartyKind.ENTERPRISE,
        party_name=_party_name(hazard),
        facts=_facts(hazard, values["note"]),
        acting_user=acting_user,
        enterprise=hazard.subject.enterprise,
        inspection=hazard.inspection,
        hazard=hazard,
        legal_basis=values["legal_basis"],
    )


# --- the deadline --------------------------------------------------------------------------------
def was_extended(hazard: Hazard) -> bool:
    return hazard.extended


def clean_extension(hazard: Hazard, *, deadline, reason: str, today: dt.date | None = None) -> dict:
    """The new deadline (later than the present one and than today, at most
    EXTENSION_MAX_DAYS past the later of them) and its reason, checked."""
    today = today or timezone.localdate()
    errors: dict[str, list] = {}
    try:
        day = _day("deadline", deadline)
    except ValidationError as error:
        errors.update(error.error_dict)
        day = None
    if day is not None:
        latest = max(today, hazard.deadline) + dt.timedelta(days=EXTENSION_MAX_DAYS)
        if day <= hazard.deadline or day <= today:
            errors["deadline"] = [
                ValidationError(
                    _("The new deadline must be after the present one (%(day)s) and today.")
                    % {"day": f"{hazard.deadline:%Y-%m-%d}"},
                    "invalid",
                )
            ]
        elif day > latest:
            errors["deadline"] = [
                ValidationError(
                    _("Extend by at most %(n)s days (until %(day)s).")
                    % {"n": EXTENSION_MAX_DAYS, "day": f"{latest:%Y-%m-%d}"},
                    "invalid",
                )
            ]
    try:
        reason = clean_text("reason", reason, limit=REASON_MAX)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return {"deadline": day, "reason": reason}


@transaction.atomic
def hazard_extend(*, hazard: Hazard, deadline: dt.date, reason: str, acting_user) -> Hazard:
    """The unit gives the subject more time, once, with a reason; the subject hears of it."""
    hazard = _lock(hazard)
    policy.require(acting_user, SupervisionAction.WORK, hazard)
    _refuse_unless(hazard, S.OPEN)
    if was_extended(hazard):
        raise ValidationError(
            _("The deadline was extended once already; it cannot be extended again."),
            code="duplicate",
        )
    values = clean_extension(hazard, deadline=deadline, reason=reason)
    before = hazard.deadline
    hazard.original_deadline = before
    hazard.extension_reason = values["reason"]
    hazard.deadline = values["deadline"]
    hazard.save(update_fields=["deadline", "original_deadline", "extension_reason"])
    _audit(
        hazard,
        acting_user,
        "extended",
        before=before,
        after=hazard.deadline,
        reason=values["reason"],
    )
    _notify_enterprise(
        hazard,
        _("the deadline was extended to %(day)s: %(reason)s")
        % {"day": f"{hazard.deadline:%Y-%m-%d}", "reason": values["reason"]},
    )
    return hazard


# --- reminders -----------------------------------------------------------------------------------
@transaction.atomic
def hazards_remind(today: dt.date) -> int:
    """Each unit hears of its orders that are past their deadline without an answer: once per
    order and deadline, so running it again the same day (or the next) sends nothing new, and
    an order whose extended deadline passes is told of again. Returns how many were told of."""
    overdue = list(
        Hazard.objects.filter(status=S.OPEN, deadline__lt=today)
        .select_related("subject", "inspection", "unit")
        .order_by("unit_id", "deadline", "pk")
    )
    if not overdue:
        return 0
    told = {
        (object_id, (detail or {}).get("deadline"))
        for object_id, detail in AuditEvent.objects.filter(
            event_type=REMINDED,
            object_type=OBJECT_TYPE,
            object_id__in=[str(h.pk) for h in overdue],
        ).values_list("object_id", "detail")
    }
    fresh = [h for h in overdue if (str(h.pk), h.deadline.isoformat()) not in told]
    if not fresh:
        return 0
    by_unit: dict[int, list[Hazard]] = {}
    for hazard in fresh:
        by_unit.setdefault(hazard.unit_id, []).append(hazard)
    for unit_id, hazards in by_unit.items():
        lines = [
            _("%(subject)s (%(number)s), due %(day)s")
            % {
                "subject": h.subject.name,
                "number": h.inspection.number,
                "day": f"{h.deadline:%Y-%m-%d}",
            }
            for h in hazards[:20]
        ]
        if len(hazards) > 20:
            lines.append(_("and %(n)s more") % {"n": len(hazards) - 20})
        text = _("%(unit)s: %(n)s rectification orders are past their deadline: %(list)s") % {
            "unit": hazards[0].unit.name,
            "n": len(hazards),
            "list": "; ".join(lines),
        }
        for email in sorted(_unit_emails([unit_id])):
            notify_on_commit(
                Notification(subject=_("Rectification orders"), text=text, email=email)
            )
    audit_bulk(
        [
            AuditEvent(
                actor=None,
                actor_label="scheduler",
                event_type=REMINDED,
                object_type=OBJECT_TYPE,
                object_id=str(h.pk),
                object_repr=str(h)[:200],
                detail={"deadline": h.deadline.isoformat(), "unit": h.unit_id},
            )
            for h in fresh
        ]
    )
    return len(fresh)
