"""Hazards for the hazard tests, made with the ORM as a signed inspection leaves them (the
inspections topic makes them in the app), a draw to give inspectors of another unit a hazard,
and pictures to upload.

The tests run on a fixed day (TODAY, a Tuesday with no holiday near it): `fixed_today` makes
`timezone.localdate()` answer it."""

import datetime as dt
import io
import itertools

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from qualitymonth.supervision.models import (
    Answer,
    Checklist,
    ChecklistItem,
    DrawnInspector,
    DrawnSubject,
    Hazard,
    Inspection,
    Photo,
    Plan,
    Task,
)

TODAY = dt.date(2026, 3, 10)
_numbers = itertools.count(1)


def fixed_today(monkeypatch, day: dt.date = TODAY) -> dt.date:
    from django.utils import timezone

    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return day


def checklist_for(region, kind: str) -> Checklist:
    checklist, made = Checklist.objects.get_or_create(
        region=region,
        code=f"test-{kind}",
        version=1,
        defaults={"title": f"测试{kind}检查表", "subject_kind": kind},
    )
    if made:
        for order, text in enumerate(["留样冰箱温度是否符合要求", "从业人员健康证是否齐全"], 1):
            ChecklistItem.objects.create(checklist=checklist, order=order, text=text)
    return checklist


def make_drawn(unit, subject, inspectors) -> DrawnSubject:
    """A task of `unit` that drew `subject` and sent `inspectors` there."""
    n = next(_numbers)
    plan, _ = Plan.objects.get_or_create(
        region=subject.region, year=TODAY.year, defaults={"title": "测试抽查计划"}
    )
    task = Task.objects.create(
        plan=plan,
        number=f"TTEST{n:05d}",
        title="测试抽查任务",
        unit=unit,
        subject_kind=subject.kind,
        starts_on=TODAY - dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=30),
        seed="0" * 64,
        seed_digest=Task.digest_of("0" * 64),
    )
    drawn = DrawnSubject.objects.create(task=task, subject=subject, position=1)
    for position, inspector in enumerate(inspectors, 1):
        DrawnInspector.objects.create(drawn=drawn, inspector=inspector, position=position)
    return drawn


def make_hazard(
    unit,
    subject,
    *,
    deadline: dt.date | None = None,
    status: str = Hazard.Status.OPEN,
    inspected_on: dt.date | None = None,
    drawn=None,
    description: str = "留样冰箱温度 12℃，高于 8℃ 要求",
    photo: bool = False,
    number: str = "",
) -> Hazard:
    """A signed inspection of `subject` by `unit` with one non-compliant answer and its hazard
    (by default inspected 20 days before TODAY, to be rectified in 15 days from then)."""
    n = next(_numbers)
    inspected_on = inspected_on or TODAY - dt.timedelta(days=20)
    checklist = checklist_for(subject.region, subject.kind)
    item = checklist.items.order_by("order").first()
    inspection = Inspection.objects.create(
        number=number or f"JTEST{n:06d}",
        subject=subject,
        drawn=drawn,
        unit=unit,
        checklist=checklist,
        inspected_on=inspected_on,
        status=Inspection.Status.SIGNED,
        result="rectify",
    )
    answer = Answer.objects.create(
        inspection=inspection, item=item, verdict=Answer.Verdict.NOT_COMPLIANT, note="不符合"
    )
    if photo:
        shot = Photo(inspection=inspection, item=item)
        shot.image.save("hazard.jpg", ContentFile(jpeg_bytes()), save=False)
        shot.save()
    return Hazard.objects.create(
        inspection=inspection,
        answer=answer,
        subject=subject,
        unit=unit,
        description=description,
        order_text="立即调整留样冰箱温度并每日记录",
        deadline=deadline or inspected_on + dt.timedelta(days=15),
        status=status,
    )


def jpeg_bytes(size=(2400, 1800), *, exif: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 60, 40))
    buffer = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "TestCamera"  # Make
        data[0x9003] = "2026:03:01 10:00:00"  # DateTimeOriginal (in IFD0 here: enough)
        image.save(buffer, format="JPEG", exif=data.tobytes())
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()


def photo_upload(name: str = "photo.jpg", *, exif: bool = False, size=(2400, 1800)):
    return SimpleUploadedFile(name, jpeg_bytes(size, exif=exif), content_type="image/jpeg")


def fake_upload(name: str = "photo.jpg"):
    """Text pretending to be a picture."""
    return SimpleUploadedFile(name, b"<html>not a picture</html>", content_type="image/jpeg")


# --- fixtures (imported by the hazard test modules) ----------------------------------------------
@pytest.fixture
def today(monkeypatch):
    return fixed_today(monkeypatch)


@pytest.fixture
def hazard(today, sv_unit, canteen, inspectors):
    """An open order at the canteen of `sv_enterprise`, due in a week, with a photo."""
    return make_hazard(sv_unit, canteen, deadline=today + dt.timedelta(days=7), photo=True)


@pytest.fixture
def unit_inspector(inspectors):
    """An inspector of the hazard's unit (市市场监管局), with an address to be told at."""
    user = inspectors[0].user
    user.email = "insp-a@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def stranger_inspector(inspectors):
    """An inspector of the other unit, not drawn for the hazard's inspection."""
    return inspectors[2].user


@pytest.fixture
def other_enterprise_user(campaign, districts):
    from qualitymonth.enterprises.models import EnterpriseMember
    from tests.enterprises.conftest import make_enterprise
    from tests.factories import UserFactory

    other = make_enterprise(campaign.region, 802, name="厦门市另一测试公司", district=districts[1])
    user = UserFactory(username="ent-other")
    EnterpriseMember.objects.create(enterprise=other, user=user)
    return user


@pytest.fixture
def outbox():
    from qualitymonth.core.notify import ConsoleBackend

    ConsoleBackend.outbox.clear()
    return ConsoleBackend.outbox
