"""Enforcement cases (行政处罚案件): opened from a complaint, an inspection's hazard, a failed
sample, a referral or anything else; investigated; decided (the penalty kinds of the 2021
Administrative Penalty Law, art. 9); revised or revoked. A decision under the ordinary procedure
makes its penalty publicity due (services.publicity, by the 2021 publicity rules)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import clean_text, field_error, parse_amount
from qualitymonth.supervision.models import Case
from qualitymonth.supervision.numbers import next_number
from qualitymonth.supervision.permissions import SupervisionAction

# The kinds of administrative penalty (行政处罚法 2021, art. 9) a market regulator gives.
DECISIONS = {
    "warning": pgettext_lazy("penalty", "Warning"),
    "criticism": gettext_lazy("Public criticism (通报批评)"),
    "fine": pgettext_lazy("penalty", "Fine"),
    "confiscate_gains": gettext_lazy("Confiscation of illegal gains"),
    "confiscate_goods": gettext_lazy("Confiscation of illegal goods"),
    "licence_suspension": gettext_lazy("Suspension of a licence"),
    "qualification_downgrade": gettext_lazy("Lowering of a qualification grade"),
    "licence_revocation": gettext_lazy("Revocation of a licence"),
    "business_restriction": gettext_lazy("Restriction of production or business"),
    "stop_order": gettext_lazy("Order to stop production or business"),
    "closure": gettext_lazy("Order to close"),
    "occupation_ban": gettext_lazy("Ban from the occupation"),
}
# Penalties whose publicity may never end early on application (公示规定 2021, art. 16).
NO_EARLY_REMOVAL = frozenset(
    {"licence_revocation", "stop_order", "closure", "occupation_ban", "business_restriction"}
)
# Restrictions that last a while: their end may keep the publicity longer than three years.
LASTING = frozenset({"licence_suspension", "business_restriction", "occupation_ban"})
CHANGES = {"revise": Case.Status.REVISED, "revoke": Case.Status.REVOKED}
NUMBER_PREFIX = "AJ"
FACTS_MAX = 5000
DECISION_TEXT_MAX = 3000


def _audit(case: Case, actor, event: str, **detail) -> None:
    audit_record(actor=actor, event_type=f"supervision.case.{event}", target=case, **detail)


def decision_labels(decisions) -> list[str]:
    return [str(DECISIONS[k]) for k in decisions or [] if k in DECISIONS]


# --- opening -------------------------------------------------------------------------------------
def _party(party_kind, party_name, enterprise, party_is_minor) -> dict:
    if party_kind not in Case.PartyKind.values:
        raise field_error("party_kind", _("Choose an enterprise or a natural person."))
    if party_kind == Case.PartyKind.ENTERPRISE:
        if enterprise is None and not (party_name or "").strip():
            raise field_error(
                "enterprise", _("Choose the enterprise from the registry or give its name.")
            )
        name = clean_text("party_name", party_name or enterprise.name, limit=120)
        return {"enterprise": enterprise, "party_name": name, "party_is_minor": False}
    name = clean_text("party_name", party_name, limit=120)
    return {"enterprise": enterprise, "party_name": name, "party_is_minor": bool(party_is_minor)}


def _check_links(acting_user, *, unit, complaint, inspection, hazard, sample) -> None:
    """What a case starts from must be something its writer may see, in the unit's city."""
    from qualitymonth.core.permissions import Action

    if complaint is not None and not policy.can(acting_user, Action.COMPLAINT_VIEW, complaint):
        raise field_error("complaint", _("No such complaint among those you handle."))
    for name, obj in (("inspection", inspection), ("hazard", hazard), ("sample", sample)):
        if obj is not None and not policy.can(acting_user, SupervisionAction.WORK, obj):
            raise field_error(name, _("Not one of the records your unit works on."))


@transaction.atomic
def case_open(
    *,
    unit,
    source: str,
    party_kind: str,
    party_name: str,
    facts: str,
    acting_user,
    enterprise=None,
    complaint=None,
    inspection=None,
    hazard=None,
    sample=None,
    legal_basis: str = "",
    procedure: str = Case.Procedure.ORDINARY,
    party_is_minor: bool = False,
) -> Case:
    """Registers a case of `unit` (立案). The hazards and spot-check topics call it to escalate."""
    if unit is None:
        policy.require(acting_user, SupervisionAction.WORK, None)
        raise field_error("unit", _("Choose the unit handling the case."), "required")
    policy.require(acting_user, SupervisionAction.WORK, Case(unit=unit, region=unit.region))
    errors: dict[str, list] = {}
    values: dict = {}
    checks = [
        ("source", lambda: _choice("source", source, Case.Source)),
        ("procedure", lambda: _choice("procedure", procedure, Case.Procedure)),
        ("party", lambda: _party(party_kind, party_name, enterprise, party_is_minor)),
        ("facts", lambda: clean_text("facts", facts, limit=FACTS_MAX, multiline=True)),
        ("legal_basis", lambda: clean_text("legal_basis", legal_basis, limit=500, required=False)),
        (
            "links",
            lambda: _check_links(
                acting_user,
                unit=unit,
                complaint=complaint,
                inspection=inspection,
                hazard=hazard,
                sample=sample,
            ),
        ),
    ]
    for key, check in checks:
        try:
            values[key] = check()
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    year = timezone.localdate().year
    try:
        with transaction.atomic():
            case = Case.objects.create(
                region=unit.region,
                unit=unit,
                number=next_number(Case, NUMBER_PREFIX, year),
                source=values["source"],
                procedure=values["procedure"],
                party_kind=party_kind,
                facts=values["facts"],
                legal_basis=values["legal_basis"],
                complaint=complaint,
                inspection=inspection,
                hazard=hazard,
                sample=sample,
                created_by=acting_user if getattr(acting_user, "pk", None) else None,
                **values["party"],
            )
    except IntegrityError:  # two cases numbered at the same moment
        raise ValidationError(
            _("Another case was registered at the same moment; try again."), code="duplicate"
        ) from None
    _audit(
        case,
        acting_user,
        "opened",
        source=case.source,
        procedure=case.procedure,
        party_kind=case.party_kind,
        complaint=complaint.tracking_number if complaint else None,
        inspection=getattr(inspection, "pk", None),
        hazard=getattr(hazard, "pk", None),
        sample=getattr(sample, "pk", None),
    )
    return case


def _choice(field: str, value, choices) -> str:
    if value not in choices.values:
        raise field_error(field, _("Choose one of the list."))
    return value


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit", "region")
        .get(pk=case.pk)
    )


@transaction.atomic
def case_update(
    *,
    case: Case,
    party_kind: str,
    party_name: str,
    facts: str,
    procedure: str,
    acting_user,
    enterprise=None,
    legal_basis: str = "",
    party_is_minor: bool = False,
) -> Case:
    """Corrects what the register says of a case under investigation."""
    case = _lock(case)
    policy.require(acting_user, SupervisionAction.WORK, case)
    if case.status != Case.Status.INVESTIGATING:
        raise ValidationError(
            _("A decided case is changed by revising or revoking its decision."),
            code="invalid_transition",
        )
    errors: dict[str, list] = {}
    party: dict = {}
    for check in (
        lambda: party.update(_party(party_kind, party_name, enterprise, party_is_minor)),
        lambda: setattr(case, "procedure", _choice("procedure", procedure, Case.Procedure)),
        lambda: setattr(case, "facts", clean_text("facts", facts, limit=FACTS_MAX, multiline=True)),
        lambda: setattr(
            case,
            "legal_basis",
            clean_text("legal_basis", legal_basis, limit=500, required=False),
        ),
    ):
        try:
            check()
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    case.party_kind = party_kind
    case.enterprise = party["enterprise"]
    case.party_name = party["party_name"]
    case.party_is_minor = party["party_is_minor"]
    case.save()
    _audit(case, acting_user, "updated", procedure=case.procedure, party_kind=case.party_kind)
    return case


# --- the decision --------------------------------------------------------------------------------
def clean_decisions(decisions, fine_amount) -> tuple[list[str], Decimal | None]:
    kinds = list(dict.fromkeys(decisions or []))
    if not kinds:
        raise field_error("decisions", _("Choose at least one penalty."), "required")
    unknown = [k for k in kinds if k not in DECISIONS]
    if unknown:
        raise field_error("decisions", _("Choose penalties of the list."))
    kinds.sort(key=list(DECISIONS).index)
    try:
        amount = parse_amount(fine_amount)
    except ValidationError as error:
        raise field_error("fine_amount", error.messages[0]) from None
    if "fine" in kinds and not amount:
        raise field_error("fine_amount", _("Give the amount of the fine."), "required")
    if "fine" not in kinds and amount:
        raise field_error("fine_amount", _("A fine amount needs the penalty “fine”."))
    return kinds, amount if "fine" in kinds else None


@transaction.atomic
def case_decide(
    *,
    case: Case,
    decisions,
    fine_amount,
    decision_text: str,
    decision_number: str,
    decided_on: dt.date,
    acting_user,
    restriction_until: dt.date | None = None,
) -> Case:
    """Records the penalty decision (处罚决定). Under the ordinary procedure, unless it is a
    warning alone or the party a minor, its publicity is due within 20 working days.
    `restriction_until`: when a restriction (a suspension, a ban) ends, if it outlasts the
    publicity period."""
    from qualitymonth.supervision.services import publicity

    case = _lock(case)
    policy.require(acting_user, SupervisionAction.WORK, case)
    if case.status != Case.Status.INVESTIGATING:
        raise ValidationError(_("The case is already decided."), code="invalid_transition")
    errors: dict[str, list] = {}
    kinds, amount = [], None
    try:
        kinds, amount = clean_decisions(decisions, fine_amount)
    except ValidationError as error:
        errors.update(error.error_dict)
    for field, value, limit, multiline in (
        ("decision_text", decision_text, DECISION_TEXT_MAX, True),
        ("decision_number", decision_number, 60, False),
    ):
        try:
            setattr(case, field, clean_text(field, value, limit=limit, multiline=multiline))
        except ValidationError as error:
            errors.update(error.error_dict)
    today = timezone.localdate()
    if not isinstance(decided_on, dt.date):
        errors["decided_on"] = [ValidationError(_("Give the day of the decision."), "required")]
    elif decided_on > today:
        errors["decided_on"] = [ValidationError(_("The day is in the future."), "invalid")]
    if restriction_until is not None and (
        not isinstance(restriction_until, dt.date)
        or not set(kinds) & LASTING
        or (isinstance(decided_on, dt.date) and restriction_until <= decided_on)
    ):
        errors["restriction_until"] = [
            ValidationError(
                _("Only a suspension, restriction or ban ends later than the decision."), "invalid"
            )
        ]
    if Case.objects.filter(decision_number=case.decision_number).exclude(pk=case.pk).exists():
        errors.setdefault("decision_number", []).append(
            ValidationError(_("Another case has this decision number."), "duplicate")
        )
    if errors:
        raise ValidationError(errors)
    case.decisions = kinds
    case.fine_amount = amount
    case.decided_on = decided_on
    case.status = Case.Status.DECIDED
    case.save()
    _audit(
        case,
        acting_user,
        "decided",
        decisions=kinds,
        fine_amount=amount,
        decision_number=case.decision_number,
        decided_on=decided_on,
    )
    publicity.publicity_on_decision(
        case=case, acting_user=acting_user, restriction_until=restriction_until
    )
    return case


@transaction.atomic
def case_change(
    *,
    case: Case,
    change: str,
    changed_on: dt.date,
    reason: str,
    acting_user,
    decisions=None,
    fine_amount=None,
    decision_text: str = "",
) -> Case:
    """Revises (with the new penalties) or revokes a decision. Its publicity, if published, is
    to be withdrawn within 3 working days; if not yet published, it follows the change."""
    from qualitymonth.supervision.services import publicity

    case = _lock(case)
    policy.require(acting_user, SupervisionAction.WORK, case)
    if case.status not in (Case.Status.DECIDED, Case.Status.REVISED):
        raise ValidationError(
            _("Only a decided case can be revised or revoked."), code="invalid_transition"
        )
    errors: dict[str, list] = {}
    if change not in CHANGES:
        errors["change"] = [ValidationError(_("Choose revise or revoke."), "invalid")]
    try:
        case.change_reason = clean_text("reason", reason, limit=300)
    except ValidationError as error:
        errors.update(error.error_dict)
    if not isinstance(changed_on, dt.date):
        errors["changed_on"] = [ValidationError(_("Give the day of the change."), "required")]
    elif changed_on > timezone.localdate() or (case.decided_on and changed_on < case.decided_on):
        errors["changed_on"] = [
            ValidationError(_("The day is before the decision or in the future."), "invalid")
        ]
    if change == "revise":
        try:
            case.decisions, case.fine_amount = clean_decisions(decisions, fine_amount)
        except ValidationError as error:
            errors.update(error.error_dict)
        try:
            text = clean_text(
                "decision_text", decision_text, limit=DECISION_TEXT_MAX, multiline=True
            )
        except ValidationError as error:
            errors.update(error.error_dict)
        else:
            case.decision_text = text
    if errors:
        raise ValidationError(errors)
    case.status = CHANGES[change]
    case.changed_on = changed_on
    case.save()
    _audit(
        case,
        acting_user,
        f"{change}d",
        changed_on=changed_on,
        reason=case.change_reason,
        decisions=case.decisions,
        fine_amount=case.fine_amount,
    )
    publicity.publicity_on_change(case=case, acting_user=acting_user)
    return case


def case_party_seen(*, case: Case, acting_user) -> None:
    """A person's unmasked name was shown to a handler: kept in the audit trail."""
    policy.require(acting_user, SupervisionAction.WORK, case)
    _audit(case, acting_user, "party_viewed")
