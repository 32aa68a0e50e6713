"""Demo of enterprise trainings (trainings.json): the demo campaign's 首席质量官 and 卓越绩效
activities marked as trainings, twelve demo enterprises' CQOs (invented names with 示例), who
registered for the CQO class and, once it has ended, were checked in and certified.

Registrations are written as if their steps had happened: for a class that has ended, seats the
campaign demo already filled with invented people are given to the CQOs, so the class stays
within its capacity. Loading again adds nothing and keeps whatever changed since.
"""

import datetime as dt
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qualitymonth.campaigns.models import Activity, Registration
from qualitymonth.core.audit import audit_record
from qualitymonth.enterprises.models import (
    ChiefQualityOfficer,
    Enterprise,
    EnterpriseMember,
    Training,
    TrainingAttendance,
)
from qualitymonth.enterprises.services import trainings as services

DATA = Path(__file__).resolve().parent / "trainings.json"


def read_data() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def _activity(campaign, row: dict) -> Activity | None:
    activities = Activity.objects.filter(campaign=campaign, capacity__isnull=False).exclude(
        status=Activity.Status.CANCELLED
    )
    if "title" in row:
        return activities.filter(title=row["title"]).first()
    return activities.filter(title__contains=row["title_contains"]).order_by("starts_at").first()


@transaction.atomic
def load(campaign) -> None:
    data = read_data()
    added = {"trainings": 0, "cqos": 0, "attendances": 0, "certified": 0}
    trainings = []
    for row in data["trainings"]:
        activity = _activity(campaign, row)
        if activity is None:
            continue
        training, created = Training.objects.get_or_create(
            activity=activity, defaults={"kind": row["kind"]}
        )
        added["trainings"] += created
        trainings.append((row, training))
    cqos = _cqos(data["cqos"])
    added["cqos"] = sum(created for _cqo, created in cqos)
    for row, training in trainings:
        if row.get("attended_by_cqos"):
            for (cqo, _created), person in zip(cqos, data["cqos"], strict=True):
                added["attendances"] += _attend(training, cqo, person["checked_in"], as_cqo=True)
    excellence = next((t for r, t in trainings if r["kind"] == "excellence"), None)
    if excellence is not None:
        for (cqo, _created), person in zip(cqos, data["cqos"], strict=True):
            if person.get("excellence"):
                added["attendances"] += _attend(excellence, cqo, True, as_cqo=False)
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    for _row, training in trainings:
        if (
            admin is not None
            and training.kind == Training.Kind.CQO
            and services.training_finished(training)
        ):
            added["certified"] += len(services.cqos_certify(training=training, acting_user=admin))
    if any(added.values()):
        audit_record(actor=None, actor_label="seed-demo", event_type="demo.trainings", **added)


def _cqos(rows: list[dict]) -> list[tuple[ChiefQualityOfficer, bool]]:
    enterprises = Enterprise.objects.in_bulk([r["uscc"] for r in rows], field_name="uscc")
    today = timezone.localdate()
    found = []
    for row in rows:
        enterprise = enterprises.get(row["uscc"])
        if enterprise is None:
            continue
        cqo, created = ChiefQualityOfficer.objects.get_or_create(
            enterprise=enterprise,
            mobile=row["mobile"],
            defaults={
                "name": row["name"],
                "position": row["position"],
                "appointed_on": today - dt.timedelta(days=row["appointed_days_ago"]),
            },
        )
        found.append((cqo, created))
    return found


def _attend(training: Training, cqo: ChiefQualityOfficer, checked_in: bool, *, as_cqo: bool) -> int:
    """Register the CQO for the enterprise; 1 if added now."""
    activity = training.activity
    if TrainingAttendance.objects.filter(
        training=training, enterprise=cqo.enterprise, registration__mobile=cqo.mobile
    ).exists():
        return 0
    ended = activity.phase() == "ended"
    registration = None
    if ended and checked_in:
        # A seat an invented participant held: the CQO's now.
        registration = (
            Registration.objects.filter(
                activity=activity,
                status=Registration.Status.CONFIRMED,
                checked_in_at__isnull=False,
                training_attendance__isnull=True,
            )
            .exclude(mobile__startswith="1390000")
            .order_by("pk")
            .first()
        )
    if registration is not None:
        registration.name, registration.mobile = cqo.name, cqo.mobile
        registration.save(update_fields=["name", "mobile"])
    else:
        confirmed = Registration.objects.filter(
            activity=activity, status=Registration.Status.CONFIRMED
        ).count()
        if confirmed >= (activity.capacity or 0):
            return 0
        registration = Registration.objects.create(
            activity=activity,
            name=cqo.name,
            mobile=cqo.mobile,
            status=Registration.Status.CONFIRMED,
            checked_in_at=activity.starts_at - dt.timedelta(minutes=10)
            if ended and checked_in
            else None,
        )
    member = EnterpriseMember.objects.filter(enterprise=cqo.enterprise).first()
    if member is not None and registration.user_id is None:
        registration.user = member.user
        registration.save(update_fields=["user"])
    TrainingAttendance.objects.create(
        registration=registration,
        training=training,
        enterprise=cqo.enterprise,
        cqo=cqo if as_cqo else None,
    )
    return 1
