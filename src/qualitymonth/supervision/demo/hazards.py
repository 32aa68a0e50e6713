"""Demo of rectification (hazards.json), run after the inspections demo made its hazards: the
orders of the campaign's city are taken in turn, through the services, so the lists have every
clock: answered with a generated photo and closed after re-inspection; answered and waiting for
the re-inspection; given one extension (open, the deadline ahead); left unanswered (overdue
once their deadline passed); and one escalated to an enforcement case when the cases topic is
there. Every text is labelled 【示例】.

Loading again adds nothing (a marker row in the audit trail says it was loaded); with no
hazards it does nothing, quietly."""

import datetime as dt
import io
import json
import logging
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import AuditEvent, Membership
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.enterprises.models import EnterpriseMember
from qualitymonth.supervision.models import Hazard
from qualitymonth.supervision.permissions import WORK_ROLES
from qualitymonth.supervision.services import hazards as services

DATA = Path(__file__).resolve().parent / "hazards.json"
MARKER = "demo.sv_hazards"
logger = logging.getLogger(__name__)
# What happens to the hazards, in turn (ten at a time).
# Taken by deadline, so the earliest (the first to pass) are left open: the list has overdue ones.
PATTERN = ("open", "open", "close", "answer", "close", "extend", "close", "answer", "close", "open")


def read_data() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def example_photo() -> ContentFile:
    """A generated stand-in for a rectification photo (a fridge and its thermometer)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (236, 240, 243))
    draw = ImageDraw.Draw(image)
    draw.rectangle((250, 80, 550, 560), fill=(250, 250, 250), outline=(120, 130, 140), width=6)
    draw.line((250, 260, 550, 260), fill=(120, 130, 140), width=4)
    draw.rectangle((480, 120, 520, 220), fill=(220, 40, 40))
    draw.text((20, 20), "EXAMPLE PHOTO", fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name="example.jpg")


def _worker(hazard: Hazard, office):
    """Someone who works on the hazard: a member of its unit, else the demo office."""
    member = (
        Membership.objects.filter(unit=hazard.unit, role__in=WORK_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return member.user if member else office


def _respondent(hazard: Hazard, worker):
    member = (
        EnterpriseMember.objects.filter(enterprise_id=hazard.subject.enterprise_id)
        .select_related("user")
        .order_by("pk")
        .first()
        if hazard.subject.enterprise_id
        else None
    )
    return member.user if member else worker


def _reinspection_day(hazard: Hazard, today: dt.date) -> dt.date:
    return min(today, hazard.inspection.inspected_on + dt.timedelta(days=12))


@transaction.atomic
def load(campaign) -> None:
    if AuditEvent.objects.filter(event_type=MARKER).exists():
        return
    region = campaign.region
    hazards = list(
        Hazard.objects.filter(status=Hazard.Status.OPEN)
        .filter(Q(subject__region=region) | Q(subject__region__parent=region))
        .select_related("subject__enterprise", "inspection", "unit")
        .order_by("deadline", "pk")
    )
    if not hazards:
        return
    data = read_data()
    office = get_user_model().objects.filter(username="office").first()
    today = timezone.localdate()
    steps = [PATTERN[index % len(PATTERN)] for index in range(len(hazards))]
    if _cases_ready():
        # One unanswered order is escalated: past its deadline, and not the only one that is.
        left_open = [i for i, step in enumerate(steps) if step == "open"]
        late = [i for i in left_open if hazards[i].deadline < today]
        chosen = late[1] if len(late) > 1 else (late or left_open or [None])[0]
        if chosen is not None:
            steps[chosen] = "escalate"
    done: dict[str, int] = {}
    for hazard, step in zip(hazards, steps, strict=True):
        worker = _worker(hazard, office)
        if worker is None:
            continue
        try:
            # One savepoint per hazard: a refusal leaves that one as it was, not the demo.
            with transaction.atomic():
                _step(hazard, step, data, worker, today)
        except (ValidationError, PermissionDenied) as error:
            logger.warning("Demo hazard %s left %s: %s", hazard.pk, hazard.status, error)
            continue
        done[step] = done.get(step, 0) + 1
    audit_record(actor=None, actor_label="seed-demo", event_type=MARKER, steps=done)


def _cases_ready() -> bool:
    try:
        from qualitymonth.supervision.services import cases
    except ImportError:
        return False
    return hasattr(cases, "case_open")


def _text(data: dict, key: str, kind: str, index: int = 0):
    rows = data[key].get(kind) or data[key]["enterprise"]
    return rows[index % len(rows)] if isinstance(rows, list) else rows


def _step(hazard: Hazard, step: str, data: dict, worker, today: dt.date) -> None:
    kind = hazard.subject.kind
    if step in ("close", "answer"):
        services.hazard_reply(
            hazard=hazard,
            note=_text(data, "replies", kind, hazard.pk),
            photo=example_photo(),
            acting_user=_respondent(hazard, worker),
        )
    if step == "close":
        services.hazard_reinspect(
            hazard=hazard,
            reinspected_on=_reinspection_day(hazard, today),
            outcome="close",
            note=_text(data, "closing_notes", kind),
            acting_user=worker,
        )
    elif step == "extend":
        services.hazard_extend(
            hazard=hazard,
            deadline=max(today, hazard.deadline) + dt.timedelta(days=10),
            reason=data["extension_reason"],
            acting_user=worker,
        )
    elif step == "escalate":
        escalation = data["escalation"].get(kind) or data["escalation"]["enterprise"]
        services.hazard_reinspect(
            hazard=hazard,
            reinspected_on=_reinspection_day(hazard, today),
            outcome="escalate",
            note=escalation["note"],
            legal_basis=escalation["legal_basis"],
            acting_user=worker,
        )
