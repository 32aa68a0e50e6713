"""GB/T 19580-2012 self-assessment (卓越绩效评价准则): an enterprise scores itself per category
with its evidence (a draft it may change), submits it, an expert or the office reviews it and may
adjust each category's score with a note; the office may reopen one with a reason.

Errors name the field the page and the API show them on: a category's score is the category's
value ("leadership"), its evidence "<category>_evidence", an expert's score
"<category>_adjusted" and its note "<category>_note"."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qualitymonth.core.audit import audit_record
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import clean_text, field_error
from qualitymonth.enterprises.excellence_permissions import ExcellenceAction
from qualitymonth.enterprises.models import (
    EXCELLENCE_POINTS,
    Enterprise,
    ExcellenceCategory,
    SelfAssessment,
    SelfAssessmentScore,
)

S = SelfAssessment.Status
FIRST_YEAR = 2000
EVIDENCE_MAX = 3000
NOTE_MAX = 3000
ADJUST_NOTE_MAX = SelfAssessmentScore._meta.get_field("adjust_note").max_length
REASON_MAX = 500
TENTH = Decimal("0.1")


def _text(field: str, value: str, *, limit: int, required: bool = False) -> str:
    """Notes and evidence: may have lines, optional unless said."""
    return clean_text(field, value, limit=limit, required=required, multiline=True)


def category_label(category: str) -> str:
    return str(ExcellenceCategory(category).label)


def parse_score(field: str, category: str, value) -> Decimal:
    """A category's points: a number from 0 to the category's maximum, one decimal at most."""
    maximum = EXCELLENCE_POINTS[ExcellenceCategory(category)]
    label = category_label(category)
    try:
        score = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        score = None
    if score is None or not score.is_finite():
        raise field_error(field, _("%(category)s: enter a number.") % {"category": label})
    if score < 0:
        raise field_error(
            field, _("%(category)s: the score cannot be negative.") % {"category": label}, "min"
        )
    if score > maximum:
        raise field_error(
            field,
            _("%(category)s: at most %(max)s points.") % {"category": label, "max": maximum},
            "max",
        )
    if score != score.quantize(TENTH):
        raise field_error(
            field,
            _("%(category)s: one decimal place at most.") % {"category": label},
            "decimals",
        )
    return score.quantize(TENTH)


def _check_year(year) -> int:
    last = timezone.localdate().year + 1
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= last:
        raise field_error(
            "year",
            _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": last},
        )
    return year


def _check_categories(given: dict, field: str = "scores") -> None:
    unknown = set(given) - set(ExcellenceCategory.values)
    if unknown:
        raise field_error(
            field, _("Unknown category: %(names)s.") % {"names": ", ".join(sorted(unknown))[:100]}
        )


def _lock(assessment: SelfAssessment) -> SelfAssessment:
    return (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("enterprise__region")
        .get(pk=assessment.pk)
    )


def _refuse_unless(assessment: SelfAssessment, *allowed: str, step: str) -> None:
    if assessment.status not in allowed:
        raise ValidationError(
            _("This self-assessment is %(status)s; “%(step)s” is not possible now.")
            % {"status": assessment.get_status_display(), "step": step},
            code="invalid_transition",
        )


def _audit(assessment: SelfAssessment, actor, event: str, before: str, **detail) -> None:
    audit_record(
        actor=actor,
        event_type=f"excellence.{event}",
        target=assessment,
        before=before,
        after=assessment.status,
        **detail,
    )


def _notify_enterprise(assessment: SelfAssessment, text: str) -> None:
    mobile = assessment.enterprise.contact_mobile
    if not mobile:
        return
    notify_on_commit(
        Notification(
            subject=_("Quality Month self-assessment"),
            text=_("Self-assessment %(year)s: %(text)s") % {"year": assessment.year, "text": text},
            mobile=mobile,
        )
    )


def _notify_steward(assessment: SelfAssessment, text: str) -> None:
    steward = assessment.enterprise.steward
    if steward is None or not steward.email:
        return
    notify_on_commit(
        Notification(
            subject=_("Quality Month self-assessment"),
            text=_("%(enterprise)s, self-assessment %(year)s: %(text)s")
            % {"enterprise": assessment.enterprise.name, "year": assessment.year, "text": text},
            email=steward.email,
        )
    )


def _scores_snapshot(assessment: SelfAssessment) -> dict:
    return {
        s.category: [str(s.score), None if s.adjusted_score is None else str(s.adjusted_score)]
        for s in assessment.scores.all()
    }


# --- the enterprise -----------------------------------------------------------------------------
@transaction.atomic
def self_assessment_save(
    *, enterprise: Enterprise, year: int, scores: dict, acting_user
) -> SelfAssessment:
    """Create or update the enterprise's draft for the year. `scores` maps a category to
    (score, evidence) and is the whole draft: a category left out has no score yet."""
    policy.require(acting_user, ExcellenceAction.EDIT, enterprise)
    year = _check_year(year)
    existing = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .filter(enterprise=enterprise, year=year)
        .first()
    )
    if existing is not None:
        _refuse_unless(existing, S.DRAFT, step=pgettext("self-assessment step", "Save"))
    _check_categories(scores)
    cleaned = {}
    for category in ExcellenceCategory.values:  # in the standard's order: the first error first
        if category not in scores:
            continue
        score, evidence = scores[category]
        cleaned[category] = (
            parse_score(category, category, score),
            _text(f"{category}_evidence", evidence, limit=EVIDENCE_MAX),
        )
    if existing is None:
        try:
            with transaction.atomic():
                assessment = SelfAssessment.objects.create(
                    enterprise=enterprise, year=year, created_by=acting_user
                )
        except IntegrityError:  # saved by someone else a moment ago: theirs is now the draft
            raise ValidationError(
                _("This year's self-assessment was just created; open it again."),
                code="duplicate",
            ) from None
        created = True
    else:
        assessment = existing
        created = False
    current = {s.category: s for s in assessment.scores.all()}
    for category, (score, evidence) in cleaned.items():
        row = current.pop(category, None)
        if row is None:
            SelfAssessmentScore.objects.create(
                assessment=assessment, category=category, score=score, evidence=evidence
            )
        elif (row.score, row.evidence) != (score, evidence):
            row.score, row.evidence = score, evidence
            row.save(update_fields=["score", "evidence"])
    if current:
        SelfAssessmentScore.objects.filter(pk__in=[r.pk for r in current.values()]).delete()
    assessment.save(update_fields=["updated_at"])
    _audit(
        assessment,
        acting_user,
        "created" if created else "saved",
        "" if created else assessment.status,
        scores={c: str(s) for c, (s, _e) in cleaned.items()},
    )
    return assessment


@transaction.atomic
def self_assessment_submit(*, assessment: SelfAssessment, acting_user) -> SelfAssessment:
    """The enterprise hands its draft in for review; every category must have its score."""
    assessment = _lock(assessment)
    policy.require(acting_user, ExcellenceAction.EDIT, assessment.enterprise)
    _refuse_unless(assessment, S.DRAFT, step=pgettext("self-assessment step", "Submit"))
    have = set(assessment.scores.values_list("category", flat=True))
    missing = [c for c in ExcellenceCategory.values if c not in have]
    if missing:
        raise ValidationError(
            _("Score every category before submitting; missing: %(names)s.")
            % {"names": "、".join(category_label(c) for c in missing)},
            code="incomplete",
        )
    before = assessment.status
    assessment.status = S.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    _audit(assessment, acting_user, "submitted", before, scores=_scores_snapshot(assessment))
    _notify_steward(assessment, _("submitted for review."))
    return assessment


# --- the expert and the office -----------------------------------------------------------------
@transaction.atomic
def self_assessment_review(
    *, assessment: SelfAssessment, adjustments: dict, note: str, acting_user
) -> SelfAssessment:
    """An expert (or the office) reviews a submitted self-assessment. `adjustments` maps a
    category to (adjusted score or None, note); a score the expert changes needs its note. A
    category not named keeps the enterprise's score."""
    assessment = _lock(assessment)
    policy.require(acting_user, ExcellenceAction.REVIEW, assessment)
    _refuse_unless(assessment, S.SUBMITTED, step=pgettext("self-assessment step", "Review"))
    _check_categories(adjustments, field="adjustments")
    note = _text("note", note, limit=NOTE_MAX)
    rows = {s.category: s for s in assessment.scores.all()}
    changed = {}
    for category in ExcellenceCategory.values:
        row = rows.get(category)
        adjusted, why = adjustments.get(category, (None, ""))
        why = _text(f"{category}_note", why, limit=ADJUST_NOTE_MAX)
        if adjusted is not None and str(adjusted).strip() != "":
            adjusted = parse_score(f"{category}_adjusted", category, adjusted)
        else:
            adjusted = None
        if row is not None and adjusted == row.score:
            adjusted = None  # the expert agrees: nothing to explain
        if adjusted is not None and not why:
            raise field_error(
                f"{category}_note",
                _("%(category)s: say why the score was changed.")
                % {"category": category_label(category)},
                "required",
            )
        if row is None:
            continue
        if (row.adjusted_score, row.adjust_note) != (adjusted, why if adjusted is not None else ""):
            row.adjusted_score = adjusted
            row.adjust_note = why if adjusted is not None else ""
            row.save(update_fields=["adjusted_score", "adjust_note"])
        if adjusted is not None:
            changed[category] = [str(row.score), str(adjusted)]
    before = assessment.status
    assessment.status = S.REVIEWED
    assessment.reviewed_by = acting_user
    assessment.reviewed_at = timezone.now()
    assessment.review_note = note
    assessment.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"]
    )
    _audit(assessment, acting_user, "reviewed", before, adjusted=changed)
    _notify_enterprise(assessment, _("reviewed by an expert; read the result on the platform."))
    return assessment


@transaction.atomic
def self_assessment_reopen(
    *, assessment: SelfAssessment, reason: str, acting_user
) -> SelfAssessment:
    """The office sends a submitted or reviewed self-assessment back to the enterprise as a
    draft. The expert's adjustments are cleared (the audit row keeps them): the enterprise will
    hand in new figures, and those get a new review."""
    assessment = _lock(assessment)
    policy.require(acting_user, ExcellenceAction.REOPEN, assessment)
    reason = _text("reason", reason, limit=REASON_MAX, required=True)
    _refuse_unless(
        assessment, S.SUBMITTED, S.REVIEWED, step=pgettext("self-assessment step", "Reopen")
    )
    before = assessment.status
    snapshot = _scores_snapshot(assessment)
    assessment.scores.update(adjusted_score=None, adjust_note="")
    assessment.status = S.DRAFT
    assessment.submitted_at = None
    assessment.reviewed_by = None
    assessment.reviewed_at = None
    assessment.review_note = ""
    assessment.save(
        update_fields=[
            "status",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "updated_at",
        ]
    )
    _audit(assessment, acting_user, "reopened", before, reason=reason, scores=snapshot)
    _notify_enterprise(assessment, _("reopened by the office: %(reason)s") % {"reason": reason})
    return assessment


def assessment_years() -> list[int]:
    """The years an enterprise may score, newest first."""
    today: dt.date = timezone.localdate()
    return list(range(today.year + 1, FIRST_YEAR - 1, -1))
