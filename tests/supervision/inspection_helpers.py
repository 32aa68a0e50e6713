"""Helpers of the inspection tests: a drawn subject with its inspectors (made with the ORM, as
the draw would leave it), photos made with Pillow (one with a GPS position in its EXIF), and an
inspection walked to the point of signing."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualitymonth.supervision.models import (
    Answer,
    CheckItem,
    DrawnInspector,
    DrawnSubject,
    Inspection,
    Plan,
    Task,
)
from qualitymonth.supervision.services import inspections as services

DAY = dt.date(2026, 9, 15)  # the inspections' day in every test (a Tuesday)


def make_drawn(subject, inspectors, *, unit, n: int = 1, checklist_code: str = "") -> DrawnSubject:
    """A task that drew `subject` for `inspectors` (drawn, not done)."""
    plan, _ = Plan.objects.get_or_create(
        region=subject.region, year=DAY.year, title="测试年度抽查计划"
    )
    item, _ = CheckItem.objects.get_or_create(
        region=subject.region,
        code=f"test-{subject.kind}",
        defaults={
            "title": "测试抽查事项",
            "subject_kind": subject.kind,
            "kind": CheckItem.Kind.KEY,
            "checklist_code": checklist_code,
        },
    )
    seed = "0" * 64
    task = Task.objects.create(
        plan=plan,
        number=f"T{DAY.year}-TEST{n:04d}",
        title="测试抽查任务",
        unit=unit,
        subject_kind=subject.kind,
        starts_on=DAY - dt.timedelta(days=5),
        ends_on=DAY + dt.timedelta(days=30),
        seed=seed,
        seed_digest=Task.digest_of(seed),
        status=Task.Status.DRAWN,
        drawn_at=timezone.now(),
    )
    task.check_items.add(item)
    drawn = DrawnSubject.objects.create(task=task, subject=subject, position=1)
    for position, inspector in enumerate(inspectors, start=1):
        DrawnInspector.objects.create(drawn=drawn, inspector=inspector, position=position)
    return drawn


def image_bytes(
    fmt: str = "PNG", size=(64, 48), *, gps: bool = False, color=(200, 40, 40)
) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # the camera's make: must be gone after storing
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (24.0, 27.0, 36.0)  # 24.46
        gps_ifd[3] = "E"
        gps_ifd[4] = (118.0, 5.0, 24.0)  # 118.09
        exif.get_ifd(0x8769)[36867] = "2026:09:15 09:30:00"
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def photo_upload(name: str = "现场.png", *, fmt: str = "PNG", gps: bool = False, **kwargs):
    types = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
    return SimpleUploadedFile(name, image_bytes(fmt, gps=gps, **kwargs), content_type=types[fmt])


def answer_all(inspection: Inspection, user, *, not_compliant=()) -> list:
    """Answer every item (compliant unless its order is in `not_compliant`); those get a photo
    and a hazard. Returns the not-compliant items."""
    bad = []
    for item in inspection.checklist.items.all():
        verdict = Answer.Verdict.NOT_COMPLIANT if item.order in not_compliant else "compliant"
        services.answer_save(inspection=inspection, item=item, verdict=verdict, acting_user=user)
        if item.order in not_compliant:
            bad.append(item)
            services.photo_add(
                inspection=inspection, item=item, upload=photo_upload(), acting_user=user
            )
            services.hazard_draft_save(
                inspection=inspection,
                item=item,
                description=f"第{item.order}项不符合要求",
                order_text="立即整改并提交整改报告",
                acting_user=user,
            )
    return bad


def ready_to_sign(inspection: Inspection, user, *, not_compliant=()) -> list:
    bad = answer_all(inspection, user, not_compliant=not_compliant)
    services.representative_record(inspection=inspection, acting_user=user, name="王园长")
    return bad


# --- fixtures (the test modules import them under these names) ------------------------------------
@pytest.fixture(name="fixed_day")
def fixed_day_fixture(monkeypatch):
    monkeypatch.setattr(services, "_today", lambda: DAY)
    return DAY


@pytest.fixture(name="drawn")
def drawn_fixture(canteen, inspectors, sv_unit, fixed_day):
    """The kindergarten canteen, drawn for the first and third inspectors (two units)."""
    return make_drawn(canteen, [inspectors[0], inspectors[2]], unit=sv_unit)


@pytest.fixture(name="inspection")
def inspection_fixture(drawn, inspectors):
    return services.inspection_start(drawn=drawn, acting_user=inspectors[0].user)
