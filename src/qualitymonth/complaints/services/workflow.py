"""Handling a case: every step is one function call here, with its audit row and a message to
the complainant, whoever asks (the back office, the API)."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from qualitymonth.complaints.models import CaseEvent, Complaint, Rerouting
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Unit
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import Action, policy
from qualitymonth.core.workdays import add_workdays

K, S = Complaint.Kind, Complaint.Status


@dataclass(frozen=True)
class Step:
    kinds: frozenset
    sources: frozenset
    target: str
    label: str
    needs_message: bool = True


# The workflows: complaints (mediation under SAMR Order No. 20), reports (verification, then a
# case opened or not), enquiries and suggestions (an answer).
STEPS: dict[str, Step] = {
    "accept": Step(frozenset({K.COMPLAINT}), frozenset({S.TRIAGED}), S.ACCEPTED,
                   pgettext_lazy("complaint step", "Accept"), needs_message=False),
    "not_accept": Step(frozenset({K.COMPLAINT}), frozenset({S.TRIAGED}), S.NOT_ACCEPTED,
                       pgettext_lazy("complaint step", "Do not accept")),
    "mediate": Step(frozenset({K.COMPLAINT}), frozenset({S.ACCEPTED}), S.MEDIATING,
                    pgettext_lazy("complaint step", "Start mediation"), needs_message=False),
    "agree": Step(frozenset({K.COMPLAINT}), frozenset({S.MEDIATING}), S.MEDIATED,
                  pgettext_lazy("complaint step", "Record the agreement")),
    "end_mediation": Step(frozenset({K.COMPLAINT}), frozenset({S.ACCEPTED, S.MEDIATING}),
                          S.MEDIATION_ENDED, pgettext_lazy("complaint step", "End mediation without agreement")),
    "verify": Step(frozenset({K.REPORT}), frozenset({S.TRIAGED}), S.VERIFYING,
                   pgettext_lazy("complaint step", "Start verification"), needs_message=False),
    "open_case": Step(frozenset({K.REPORT}), frozenset({S.VERIFYING}), S.CASE_OPENED,
                      pgettext_lazy("complaint step", "Open a case")),
    "no_case": Step(frozenset({K.REPORT}), frozenset({S.VERIFYING}), S.NOT_OPENED,
                    pgettext_lazy("complaint step", "Open no case")),
    "answer": Step(frozenset({K.ENQUIRY, K.SUGGESTION}), frozenset({S.TRIAGED}), S.ANSWERED,
                   pgettext_lazy("complaint step", "Answer")),
    "close": Step(frozenset(K.values),
                  frozenset({S.NOT_ACCEPTED, S.MEDIATED, S.MEDIATION_ENDED, S.CASE_OPENED,
                             S.NOT_OPENED, S.ANSWERED}),
                  S.CLOSED, pgettext_lazy("complaint step", "Close"), needs_message=False),
}  # fmt: skip
_OTHER_STEPS = {
    "received": pgettext_lazy("complaint step", "Received"),
    "routed": pgettext_lazy("complaint step", "Assigned by the classifier"),
    "route": pgettext_lazy("complaint step", "Assigned by the office"),
    "transfer": pgettext_lazy("complaint step", "Transferred"),
}


def step_label(step: str) -> str:
    if step in STEPS:
        return str(STEPS[step].label)
    return str(_OTHER_STEPS.get(step, step))


FINISHING = {"not_accept", "agree", "end_mediation", "open_case", "no_case", "answer"}
MAX_MESSAGE = 3000


def available_steps(*, user, complaint: Complaint) -> list[str]:
    if not policy.can(user, Action.COMPLAINT_HANDLE, complaint) or complaint.unit_id is None:
        return []
    return [
        name
        for name, step in STEPS.items()
        if complaint.kind in step.kinds and complaint.status in step.sources
    ]


def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("unit", "region")
        .get(pk=complaint.pk)
    )


def _notify(complaint: Complaint, text: str) -> None:
    if complaint.personal_data_removed_at:
        return
    notify_on_commit(
        Notification(
            subject=_("Quality Month complaints"),
            text=_("Case %(number)s: %(text)s")
            % {"number": complaint.tracking_number, "text": text},
            mobile=complaint.complainant_mobile,
            email=complaint.complainant_email,
        )
    )


# The response templates mark what the handler must still write in 【】 ("【写明协议内容…】");
# sent unchanged, the citizen would read the instruction as the official answer.
_PLACEHOLDER = re.compile(r"【[^【】]*】")


def _clean_message(message: str, *, required: bool) -> str:
    """The one check of a message every step sends to the complainant."""
    message = (message or "").strip()
    if required and not message:
        raise ValidationError({"message": _("Write the message the complainant will receive.")})
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": _("Keep the message under 3,000 characters.")})
    placeholder = _PLACEHOLDER.search(message)
    if placeholder:
        raise ValidationError(
            {
                "message": _(
                    "The message still holds the template's placeholder %(placeholder)s: "
                    "replace it, brackets included, with what the complainant should read."
                )
                % {"placeholder": placeholder.group()[:60]}
            }
        )
    return message


@transaction.atomic
def complaint_step(
    *,
    complaint: Complaint,
    step: str,
    acting_user,
    message: str = "",
    note: str = "",
    reason: str = "",
) -> Complaint:
    """Take one workflow step. `reason` is the Order's ground when not accepting."""
    if step not in STEPS:
        raise ValidationError(_("Unknown step."), code="invalid_transition")
    definition = STEPS[step]
    complaint = _lock(complaint)
    policy.require(acting_user, Action.COMPLAINT_HANDLE, complaint)
    if complaint.unit_id is None:
        raise ValidationError(_("Assign the case to a unit first."), code="invalid_transition")
    if complaint.kind not in definition.kinds or complaint.status not in definition.sources:
        raise ValidationError(
            _("This case is %(status)s; “%(step)s” is not possible now.")
            % {"status": complaint.get_status_display(), "step": definition.label},
            code="invalid_transition",
        )
    message = _clean_message(message, required=definition.needs_message)
    note = (note or "").strip()[:2000]
    if step == "not_accept":
        if reason not in Complaint.NotAcceptedReason.values:
            raise ValidationError({"reason": _("Choose the ground for not accepting.")})
        complaint.not_accepted_reason = reason
    now = timezone.now()
    before = complaint.status
    complaint.status = definition.target
    if step == "accept":
        complaint.accepted_at = now
        complaint.mediation_due = add_workdays(timezone.localdate(now), 45)
        complaint.due_on = complaint.mediation_due
        message = message or _("Your complaint has been accepted.")
    elif step in ("mediate", "verify"):
        message = message or (
            _("Mediation has started.") if step == "mediate" else _("Verification has started.")
        )
    elif step in FINISHING:
        complaint.finished_at = now
        complaint.due_on = None
        complaint.final_answer = message
    elif step == "close":
        complaint.closed_at = now
        message = message or complaint.final_answer or _("The case is closed.")
        complaint.final_answer = complaint.final_answer or message
    complaint.save()
    CaseEvent.objects.create(
        complaint=complaint,
        step=step,
        from_status=before,
        to_status=complaint.status,
        actor=acting_user,
        unit_id=complaint.unit_id,
        message=message,
        note=note,
    )
    audit_record(
        actor=acting_user,
        event_type=f"complaint.{step}",
        target=complaint,
        before=before,
        after=complaint.status,
        reason=reason or None,
    )
    _notify(complaint, message)
    return complaint


def _move(complaint: Complaint, *, to_unit: Unit, acting_user, reason: str, step: str):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for moving the case.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    if not to_unit.is_active:
        raise ValidationError({"unit": _("That unit is not active.")})
    if to_unit.pk == complaint.unit_id:
        raise ValidationError({"unit": _("The case is already with that unit.")})
    if not complaint.is_open:
        raise ValidationError(_("A finished case cannot be moved."), code="invalid_transition")
    from_unit_id, before = complaint.unit_id, complaint.status
    Rerouting.objects.create(
        complaint=complaint,
        actor=acting_user,
        from_unit_id=from_unit_id,
        to_unit=to_unit,
        reason=reason,
        text=complaint.text,
        suggested_unit=complaint.routing_suggestion,
    )
    complaint.unit = to_unit
    complaint.routed_by = (
        Complaint.RoutedBy.OFFICE if step == "route" else Complaint.RoutedBy.TRANSFER
    )
    if complaint.status == S.RECEIVED:
        complaint.status = S.TRIAGED
    complaint.save(update_fields=["unit", "routed_by", "status"])
    CaseEvent.objects.create(
        complaint=complaint,
        step=step,
        from_status=before,
        to_status=complaint.status,
        actor=acting_user,
        unit=to_unit,
        message=_("Passed to %(unit)s.") % {"unit": to_unit.name},
        note=reason,
    )
    audit_record(
        actor=acting_user,
        event_type=f"complaint.{step}",
        target=complaint,
        from_unit=from_unit_id,
        to_unit=to_unit.code,
        reason=reason,
    )
    _notify(complaint, _("Passed to %(unit)s.") % {"unit": to_unit.name})
    return complaint


@transaction.atomic
def complaint_route(
    *,
    complaint: Complaint,
    to_unit: Unit,
    acting_user,
    reason: str,
    nature: str = "",
    category: str = "",
) -> Complaint:
    """The office assigns a case from the triage queue, or re-routes one (and may correct its
    nature and category while at it)."""
    complaint = _lock(complaint)
    policy.require(acting_user, Action.COMPLAINT_TRIAGE, complaint)
    from qualitymonth.complaints.taxonomy import Category, Nature

    if nature:
        if nature not in Nature.values:
            raise ValidationError({"nature": _("Choose a nature from the list.")})
        complaint.nature = nature
    if category:
        if category not in Category.values:
            raise ValidationError({"category": _("Choose a category from the list.")})
        complaint.category = category
    if nature or category:
        complaint.save(update_fields=["nature", "category"])
    return _move(complaint, to_unit=to_unit, acting_user=acting_user, reason=reason, step="route")


@transaction.atomic
def complaint_transfer(*, complaint: Complaint, to_unit: Unit, acting_user, reason: str):
    """A handling unit passes a case that is not its business to the unit whose it is."""
    complaint = _lock(complaint)
    policy.require(acting_user, Action.COMPLAINT_HANDLE, complaint)
    if complaint.status not in (S.RECEIVED, S.TRIAGED):
        raise ValidationError(
            _("Only a case not yet accepted can be transferred."), code="invalid_transition"
        )
    return _move(
        complaint, to_unit=to_unit, acting_user=acting_user, reason=reason, step="transfer"
    )


@transaction.atomic
def complaint_rate(*, complaint: Complaint, score: int, comment: str = "") -> Complaint:
    """The complainant says how satisfied they are, once, after the case is finished."""
    complaint = _lock(complaint)
    if complaint.status not in Complaint.FINISHED_STATUSES:
        raise ValidationError(
            _("You can rate the handling once the case has an answer."), code="invalid_transition"
        )
    if complaint.satisfaction is not None:
        raise ValidationError(_("You have already rated this case."), code="duplicate")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose from 1 to 5 stars.")})
    comment = (comment or "").strip()
    if len(comment) > 300:
        raise ValidationError({"comment": _("Keep the comment under 300 characters.")})
    complaint.satisfaction, complaint.satisfaction_comment = score, comment
    complaint.rated_at = timezone.now()
    complaint.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at"])
    audit_record(
        actor=None,
        actor_label="complainant",
        event_type="complaint.rated",
        target=complaint,
        score=score,
    )
    return complaint


def complaint_personal_data(*, complaint: Complaint, acting_user, purpose: str = "view") -> dict:
    """The unmasked name, phone and address, for the handlers and the office; every look is
    written to the audit trail."""
    if not policy.can(acting_user, Action.COMPLAINT_PERSONAL_DATA, complaint):
        audit_record(
            actor=acting_user,
            event_type="complaint.personal_data",
            target=complaint,
            outcome="denied",
            purpose=purpose,
        )
        policy.require(acting_user, Action.COMPLAINT_PERSONAL_DATA, complaint)
    audit_record(
        actor=acting_user, event_type="complaint.personal_data", target=complaint, purpose=purpose
    )
    return {
        "name": complaint.complainant_name,
        "mobile": complaint.complainant_mobile,
        "address": complaint.complainant_address,
        "email": complaint.complainant_email,
    }
