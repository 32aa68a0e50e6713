"""Rectification services: the subject's reply (with its photo shrunk and stripped), the
re-inspection that closes or escalates, the one extension, the reminders of passed deadlines,
and who may do each."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.supervision import hazard_selectors as selectors
from qualitymonth.supervision.models import Case, Hazard, HazardReply
from qualitymonth.supervision.services import hazards as services
from qualitymonth.supervision.services import photos
from tests.supervision import hazard_helpers as helpers
from tests.supervision.hazard_helpers import fake_upload, make_drawn, make_hazard, photo_upload

pytestmark = pytest.mark.django_db

# The hazard fixtures (hazard_helpers.py), visible to this module's tests.
hazard = helpers.hazard
other_enterprise_user = helpers.other_enterprise_user
outbox = helpers.outbox
stranger_inspector = helpers.stranger_inspector
today = helpers.today
unit_inspector = helpers.unit_inspector

S = Hazard.Status


def _events(hazard, kind):
    return AuditEvent.objects.filter(
        event_type=f"supervision.hazard.{kind}",
        object_type="supervision.hazard",
        object_id=str(hazard.pk),
    )


# --- replies -------------------------------------------------------------------------------------
def test_the_enterprise_replies_with_a_photo_shrunk_and_stripped_and_the_unit_hears(
    hazard, enterprise_user, unit_inspector, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.hazard_reply(
            hazard=hazard,
            note="已更换温度计，冰箱调至 4℃",
            photo=photo_upload(exif=True),
            acting_user=enterprise_user,
        )
    hazard.refresh_from_db()
    assert hazard.status == S.ANSWERED
    assert reply.by == enterprise_user and reply.note == "已更换温度计，冰箱调至 4℃"
    with reply.photo.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and max(image.size) == photos.PHOTO_MAX_SIDE
        assert not image.getexif()
    event = _events(hazard, "answered").get()
    assert event.detail["on_behalf"] is False and event.detail["photo"] is True
    assert any(n.email == "insp-a@example.org" for n in outbox)


def test_an_inspector_records_the_reply_on_the_subjects_behalf(hazard, unit_inspector):
    services.hazard_reply(hazard=hazard, note="企业电话告知已整改", acting_user=unit_inspector)
    hazard.refresh_from_db()
    assert hazard.status == S.ANSWERED
    assert _events(hazard, "answered").get().detail["on_behalf"] is True
    reply = selectors.replies_of(hazard)[0]
    assert reply.from_enterprise is False and not reply.photo


def test_another_enterprise_and_a_citizen_may_not_reply(
    hazard, other_enterprise_user, citizen_user, stranger_inspector
):
    for user in (other_enterprise_user, citizen_user, stranger_inspector):
        with pytest.raises(PermissionDenied):
            services.hazard_reply(hazard=hazard, note="x", acting_user=user)
    assert not HazardReply.objects.exists()


@pytest.mark.parametrize(
    ("note", "photo", "field"),
    [
        ("", None, "note"),
        ("x" * 501, None, "note"),
        ("bad\x00note", None, "note"),
        ("ok", "fake", "photo"),
    ],
)
def test_a_bad_reply_is_refused_by_field_and_nothing_is_stored(
    hazard, enterprise_user, note, photo, field
):
    upload = fake_upload() if photo == "fake" else None
    with pytest.raises(ValidationError) as refused:
        services.hazard_reply(hazard=hazard, note=note, photo=upload, acting_user=enterprise_user)
    assert field in refused.value.error_dict
    hazard.refresh_from_db()
    assert hazard.status == S.OPEN and not HazardReply.objects.exists()


def test_a_huge_picture_is_refused_as_a_photo(hazard, enterprise_user, monkeypatch):
    monkeypatch.setattr(photos, "PHOTO_MAX_PIXELS", 1000)
    with pytest.raises(ValidationError) as refused:
        services.hazard_reply(
            hazard=hazard, note="ok", photo=photo_upload(), acting_user=enterprise_user
        )
    assert "photo" in refused.value.error_dict


def test_a_closed_hazard_takes_no_more_replies(hazard, enterprise_user):
    Hazard.objects.filter(pk=hazard.pk).update(status=S.CLOSED)
    with pytest.raises(ValidationError) as refused:
        services.hazard_reply(hazard=hazard, note="补充", acting_user=enterprise_user)
    assert refused.value.code == "invalid_transition"


# --- re-inspection -------------------------------------------------------------------------------
def test_reinspection_closes_an_answered_hazard(
    hazard, enterprise_user, unit_inspector, today, outbox, django_capture_on_commit_callbacks
):
    services.hazard_reply(hazard=hazard, note="已整改", acting_user=enterprise_user)
    enterprise_user.email = "boss@example.org"
    enterprise_user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_reinspect(
            hazard=hazard, reinspected_on=today, outcome="close", acting_user=unit_inspector
        )
    hazard.refresh_from_db()
    assert hazard.status == S.CLOSED and hazard.closed_at and hazard.reinspected_on == today
    assert _events(hazard, "closed").get().detail["answered"] is True
    assert any(n.email == "boss@example.org" for n in outbox)


def test_closing_an_unanswered_order_needs_a_note(hazard, unit_inspector, today):
    with pytest.raises(ValidationError) as refused:
        services.hazard_reinspect(
            hazard=hazard, reinspected_on=today, outcome="close", acting_user=unit_inspector
        )
    assert "note" in refused.value.error_dict
    hazard.refresh_from_db()
    assert hazard.status == S.OPEN
    services.hazard_reinspect(
        hazard=hazard,
        reinspected_on=today,
        outcome="close",
        note="现场复查已整改，企业未及时上报",
        acting_user=unit_inspector,
    )
    hazard.refresh_from_db()
    assert hazard.status == S.CLOSED and hazard.reinspection_note.startswith("现场复查")


@pytest.mark.parametrize(
    ("day", "outcome", "field"),
    [
        (dt.date(2026, 3, 11), "close", "reinspected_on"),  # tomorrow
        (dt.date(2026, 1, 1), "close", "reinspected_on"),  # before the inspection
        (None, "close", "reinspected_on"),
        (dt.date(2026, 3, 10), "reopen", "outcome"),
    ],
)
def test_a_bad_reinspection_is_refused_by_field(hazard, unit_inspector, day, outcome, field):
    with pytest.raises(ValidationError) as refused:
        services.hazard_reinspect(
            hazard=hazard, reinspected_on=day, outcome=outcome, note="n", acting_user=unit_inspector
        )
    assert field in refused.value.error_dict
    hazard.refresh_from_db()
    assert hazard.status == S.OPEN and hazard.reinspected_on is None


def test_only_workers_may_reinspect(
    hazard, enterprise_user, stranger_inspector, citizen_user, today
):
    for user in (enterprise_user, stranger_inspector, citizen_user):
        with pytest.raises(PermissionDenied):
            services.hazard_reinspect(
                hazard=hazard, reinspected_on=today, outcome="close", note="n", acting_user=user
            )


def test_a_drawn_inspector_of_another_unit_works_on_the_hazard(
    today, sv_unit, canteen, inspectors, stranger_inspector
):
    drawn = make_drawn(sv_unit, canteen, [inspectors[0], inspectors[2]])
    found = make_hazard(sv_unit, canteen, drawn=drawn, deadline=today + dt.timedelta(days=3))
    assert selectors.hazard_for(stranger_inspector, found.pk) == found
    services.hazard_reinspect(
        hazard=found,
        reinspected_on=today,
        outcome="close",
        note="复查合格",
        acting_user=stranger_inspector,
    )
    found.refresh_from_db()
    assert found.status == S.CLOSED


def test_escalation_opens_a_case_through_the_cases_service(
    hazard, unit_inspector, today, monkeypatch
):
    opened = {}

    def case_open(**kwargs):
        opened.update(kwargs)
        return Case(number="A2026-00001")

    import qualitymonth.supervision.services as package

    module = type(package)("qualitymonth.supervision.services.cases")
    module.case_open = case_open
    monkeypatch.setitem(__import__("sys").modules, module.__name__, module)
    monkeypatch.setattr(package, "cases", module, raising=False)
    services.hazard_reinspect(
        hazard=hazard,
        reinspected_on=today,
        outcome="escalate",
        note="逾期未整改，冰箱仍为 12℃",
        legal_basis="《中华人民共和国食品安全法》第一百二十六条",
        acting_user=unit_inspector,
    )
    hazard.refresh_from_db()
    assert hazard.status == S.ESCALATED and hazard.closed_at is None
    assert opened["hazard"] == hazard and opened["source"] == "inspection"
    assert opened["enterprise"] == hazard.subject.enterprise
    assert opened["party_name"] == hazard.subject.enterprise.name
    assert "逾期未整改" in opened["facts"] and opened["unit"] == hazard.unit
    assert _events(hazard, "escalated").get().detail["case"] == "A2026-00001"


def test_escalating_needs_a_note(hazard, unit_inspector, today):
    with pytest.raises(ValidationError) as refused:
        services.hazard_reinspect(
            hazard=hazard, reinspected_on=today, outcome="escalate", acting_user=unit_inspector
        )
    assert "note" in refused.value.error_dict


def test_escalation_against_the_real_cases_service(hazard, unit_inspector, today):
    cases = pytest.importorskip("qualitymonth.supervision.services.cases")
    if not hasattr(cases, "case_open"):
        pytest.skip("the cases topic has no case_open yet")
    services.hazard_reinspect(
        hazard=hazard,
        reinspected_on=today,
        outcome="escalate",
        note="逾期未整改",
        acting_user=unit_inspector,
    )
    hazard.refresh_from_db()
    case = Case.objects.get(hazard=hazard)
    assert hazard.status == S.ESCALATED and case.source == "inspection"
    assert case.enterprise == hazard.subject.enterprise and case.unit == hazard.unit


# --- the deadline --------------------------------------------------------------------------------
def test_the_deadline_is_extended_once_with_a_reason(hazard, unit_inspector, today):
    before = hazard.deadline
    services.hazard_extend(
        hazard=hazard,
        deadline=before + dt.timedelta(days=10),
        reason="冰箱配件需厂家供货",
        acting_user=unit_inspector,
    )
    hazard.refresh_from_db()
    assert hazard.deadline == before + dt.timedelta(days=10)
    event = _events(hazard, "extended").get()
    assert event.detail["before"] == before.isoformat() and event.detail["reason"]
    with pytest.raises(ValidationError) as refused:
        services.hazard_extend(
            hazard=hazard,
            deadline=before + dt.timedelta(days=20),
            reason="再延",
            acting_user=unit_inspector,
        )
    assert refused.value.code == "duplicate"


@pytest.mark.parametrize(
    ("days", "reason", "field"),
    [
        (0, "理由", "deadline"),  # not later than the present deadline
        (-3, "理由", "deadline"),
        (120, "理由", "deadline"),  # too far
        (5, "", "reason"),
        (5, "a\nb", "reason"),
    ],
)
def test_a_bad_extension_is_refused_by_field(hazard, unit_inspector, days, reason, field):
    before = hazard.deadline
    with pytest.raises(ValidationError) as refused:
        services.hazard_extend(
            hazard=hazard,
            deadline=before + dt.timedelta(days=days),
            reason=reason,
            acting_user=unit_inspector,
        )
    assert field in refused.value.error_dict
    hazard.refresh_from_db()
    assert hazard.deadline == before and not _events(hazard, "extended").exists()


def test_an_enterprise_may_not_extend_its_own_deadline(hazard, enterprise_user):
    with pytest.raises(PermissionDenied):
        services.hazard_extend(
            hazard=hazard,
            deadline=hazard.deadline + dt.timedelta(days=3),
            reason="想延期",
            acting_user=enterprise_user,
        )


def test_an_answered_order_is_not_extended(hazard, enterprise_user, unit_inspector):
    services.hazard_reply(hazard=hazard, note="已整改", acting_user=enterprise_user)
    with pytest.raises(ValidationError) as refused:
        services.hazard_extend(
            hazard=hazard,
            deadline=hazard.deadline + dt.timedelta(days=3),
            reason="r",
            acting_user=unit_inspector,
        )
    assert refused.value.code == "invalid_transition"


# --- reminders -----------------------------------------------------------------------------------
def test_reminders_tell_the_unit_once_per_deadline(
    today, sv_unit, canteen, elevator, unit_inspector, outbox, django_capture_on_commit_callbacks
):
    late = make_hazard(sv_unit, canteen, deadline=today - dt.timedelta(days=2))
    make_hazard(sv_unit, elevator, deadline=today + dt.timedelta(days=2))  # not late
    make_hazard(sv_unit, elevator, deadline=today - dt.timedelta(days=9), status=S.ANSWERED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.hazards_remind(today) == 1
    assert [n.email for n in outbox] == ["insp-a@example.org"]
    assert canteen.name in outbox[0].text
    with django_capture_on_commit_callbacks(execute=True):
        assert services.hazards_remind(today) == 0
        assert services.hazards_remind(today + dt.timedelta(days=1)) == 0
    assert len(outbox) == 1
    # Extended, then late again: told again.
    Hazard.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=1))
    assert services.hazards_remind(today) == 1
    assert _events(late, "reminded").count() == 2


# --- the enterprise page -------------------------------------------------------------------------
def test_the_enterprise_timeline_lists_its_hazards_newest_first(
    hazard, sv_unit, canteen, sv_enterprise, elevator, today, django_assert_max_num_queries
):
    newer = make_hazard(sv_unit, canteen, deadline=today)
    make_hazard(sv_unit, elevator, deadline=today)  # no enterprise runs it
    with django_assert_max_num_queries(1):
        entries = selectors.timeline_entries(sv_enterprise)
    assert [e.url for e in entries] == [
        f"/inspect/hazards/{newer.pk}/",
        f"/inspect/hazards/{hazard.pk}/",
    ]
    assert newer.inspection.number in entries[0].title


def test_the_reminder_command_tells_of_overdue_orders_once(sv_unit, canteen, inspectors):
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    make_hazard(sv_unit, canteen, deadline=timezone.localdate() - dt.timedelta(days=3))
    out = StringIO()
    call_command("supervision", "remind-hazards", stdout=out)
    call_command("supervision", "remind-hazards", stdout=out)  # a second node, the same day
    assert out.getvalue().splitlines() == [
        "1 overdue rectification orders told of",
        "0 overdue rectification orders told of",
    ]
