"""Demo of the inspections (inspections.json), run after the directories and the draws: the
subjects drawn for two inspectors and still without a result are inspected in turn, through the
services, so the pages show every state: in progress (half the items answered), signed with no
problem, signed with hazards (photos drawn by Pillow, each with a made-up position in Xiamen),
and signed with the representative's refusal recorded. Every text is labelled 【示例】.

Loading again adds nothing (a marker row in the audit trail says it was loaded); with nothing
drawn it does nothing, quietly."""

import datetime as dt
import io
import json
import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.supervision.models import Answer, DrawnSubject, Inspection, Task
from qualitymonth.supervision.services import inspections as services

DATA = Path(__file__).resolve().parent / "inspections.json"
MARKER = "demo.sv_inspections"
logger = logging.getLogger(__name__)
LIMIT = 9


def read_data() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def example_photo(n: int) -> SimpleUploadedFile:
    """A generated stand-in for a site photo, with a GPS position near Xiamen in its EXIF (the
    service reads it out and strips the rest)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), (228 + n % 3 * 8, 232, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((350, 120, 850, 820), fill=(250, 250, 250), outline=(110, 120, 130), width=8)
    for shelf in range(3):
        y = 300 + shelf * 170
        draw.line((350, y, 850, y), fill=(110, 120, 130), width=5)
        for box in range(3):
            x = 400 + box * 150
            draw.rectangle((x, y - 90, x + 100, y - 10), fill=(180, 200, 220), outline=(90, 90, 90))
    draw.text((30, 30), "EXAMPLE PHOTO / 示例", fill=(60, 60, 60))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (24.0, 28.0 + n % 5, 12.0)
    gps[3], gps[4] = "E", (118.0, 5.0 + n % 7, 30.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, exif=exif)
    return SimpleUploadedFile("example.jpg", buffer.getvalue(), content_type="image/jpeg")


def _candidates(campaign) -> list[DrawnSubject]:
    return list(
        DrawnSubject.objects.filter(
            task__plan__region=campaign.region,
            task__status=Task.Status.DRAWN,
            is_active=True,
            result="",
            published_at__isnull=True,
            inspection__isnull=True,
        )
        .annotate(active=Count("inspectors", filter=Q(inspectors__is_active=True)))
        .filter(active__gte=2)
        .select_related("task", "subject")
        .order_by("task__starts_on", "task_id", "position")[:LIMIT]
    )


def load(campaign) -> None:
    if AuditEvent.objects.filter(event_type=MARKER, object_id=str(campaign.pk)).exists():
        return
    drawn = _candidates(campaign)
    if not drawn:
        logger.info("Nothing drawn for %s: the inspections demo is left out.", campaign)
        return
    data = read_data()
    with transaction.atomic():
        for n, row in enumerate(drawn):
            state = data["pattern"][n % len(data["pattern"])]
            try:
                with transaction.atomic():
                    _inspect(row, state, n, data)
            except (ValidationError, PermissionDenied) as error:
                logger.warning("Demo inspection of %s left out: %s", row.subject, error)
        audit_record(
            actor=None,
            event_type=MARKER,
            target=campaign,
            inspections=Inspection.objects.filter(drawn__in=drawn).count(),
        )


def _inspect(drawn: DrawnSubject, state: str, n: int, data: dict) -> Inspection:
    inspectors = [
        d.inspector.user
        for d in drawn.inspectors.filter(is_active=True).select_related("inspector__user")
    ][:2]
    first, second = inspectors
    today = timezone.localdate()
    day = min(drawn.task.starts_on + dt.timedelta(days=2 + n), drawn.task.ends_on, today)
    inspection = services.inspection_start(drawn=drawn, acting_user=first, on=day)
    items = list(inspection.checklist.items.all())
    examples = {h["order"]: h for h in data["hazards"].get(inspection.checklist.code, [])}
    bad = []
    if state == "hazards":
        bad = [i for i in items if i.order in examples][: 1 + n % 2]
    answered = items if state != "in_progress" else items[: len(items) // 2]
    for item in answered:
        if item in bad:
            verdict = Answer.Verdict.NOT_COMPLIANT
        elif not item.photo_required and (n + item.order) % 4 == 0:
            verdict = Answer.Verdict.NOT_APPLICABLE
        else:
            verdict = Answer.Verdict.COMPLIANT
        note = data["notes"].get(verdict, "")
        services.answer_save(
            inspection=inspection, item=item, verdict=verdict, note=note, acting_user=first
        )
    for k, item in enumerate(bad):
        services.photo_add(
            inspection=inspection, item=item, upload=example_photo(n + k), acting_user=first
        )
        # The first orders are for at once (the next day), so the overdue list has some.
        short = n <= 1 and day + dt.timedelta(days=1) < today
        services.hazard_draft_save(
            inspection=inspection,
            item=item,
            description=examples[item.order]["description"],
            order_text=examples[item.order]["order_text"],
            deadline=day + dt.timedelta(days=1) if short else None,
            acting_user=first,
        )
    if state == "in_progress":
        return inspection
    if state == "refused":
        services.representative_record(
            inspection=inspection,
            acting_user=first,
            refused=True,
            refusal_note=data["refusal_note"],
        )
    else:
        names = data["representatives"]
        services.representative_record(
            inspection=inspection, acting_user=first, name=names[n % len(names)]
        )
    services.inspection_sign(inspection=inspection, acting_user=first)
    services.inspection_sign(inspection=inspection, acting_user=second)
    return inspection
