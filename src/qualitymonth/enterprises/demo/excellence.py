"""Demo of the GB/T 19580 self-assessment: 20 self-assessments of demo enterprises
(excellence.json), several years for a few, some reviewed by the demo experts with an adjusted
category, totals from about 340 to 720 of 1,000. The demo `enterprise` account's company has last
year's (reviewed) and this year's (a draft it may still change and submit).

Years are counted back from this year, so the demo looks the same whichever year it is loaded.
Rows are written with the models directly, as if their steps had happened; loading again adds
only the assessments that are missing (an enterprise and year already there is left alone)."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qualitymonth.core.audit import audit_record
from qualitymonth.enterprises.models import (
    Enterprise,
    ExcellenceCategory,
    SelfAssessment,
    SelfAssessmentScore,
)

DATA = Path(__file__).resolve().parent / "excellence.json"


def read() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load(campaign=None) -> None:
    data = read()
    rows = data["assessments"]
    this_year = timezone.localdate().year
    enterprises = {e.uscc: e for e in Enterprise.objects.filter(uscc__in={r["uscc"] for r in rows})}
    existing = set(
        SelfAssessment.objects.filter(enterprise__in=enterprises.values()).values_list(
            "enterprise_id", "year"
        )
    )
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in={r.get("reviewer") for r in rows if r.get("reviewer")} | {"enterprise"}
        )
    }
    created = 0
    for row in rows:
        enterprise = enterprises.get(row["uscc"])
        year = this_year + int(row["year_offset"])
        if enterprise is None or (enterprise.pk, year) in existing:
            continue
        _create(enterprise, year, row, data["evidence"], users)
        existing.add((enterprise.pk, year))
        created += 1
    if created:
        audit_record(
            actor=None, actor_label="seed-demo", event_type="demo.excellence", assessments=created
        )


def _moment(year: int, month: int, day: int) -> dt.datetime:
    """A day of the assessment's year, never later than now."""
    moment = timezone.make_aware(dt.datetime(year, month, day, 10, 0))
    return min(moment, timezone.now())


def _create(enterprise, year: int, row: dict, evidence: dict, users: dict) -> None:
    status = row["status"]
    assessment = SelfAssessment.objects.create(
        enterprise=enterprise,
        year=year,
        status=status,
        created_by=users.get("enterprise") if enterprise.uscc == "91350211MADEM00012" else None,
    )
    if status != SelfAssessment.Status.DRAFT:
        assessment.submitted_at = _moment(year, 9, 10)
    if status == SelfAssessment.Status.REVIEWED:
        assessment.reviewed_at = _moment(year, 9, 25)
        assessment.reviewed_by = users.get(row.get("reviewer", ""))
        assessment.review_note = row.get("review_note", "")
    assessment.save()
    adjusted = row.get("adjusted", {})
    SelfAssessmentScore.objects.bulk_create(
        SelfAssessmentScore(
            assessment=assessment,
            category=category,
            score=Decimal(str(score)),
            evidence=evidence.get(category, ""),
            adjusted_score=(Decimal(str(adjusted[category][0])) if category in adjusted else None),
            adjust_note=adjusted[category][1] if category in adjusted else "",
        )
        for category, score in zip(ExcellenceCategory.values, row["scores"], strict=True)
    )
