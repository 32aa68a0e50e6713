"""Logs and audit rows hold masked mobile numbers only, and never a verification code."""

import logging

import pytest

from qualitymonth.campaigns.models import Registration
from qualitymonth.core import sms
from qualitymonth.core.audit import audit_bulk, audit_record, mask_mobiles
from qualitymonth.core.models import AuditEvent
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("13800138000", "138****8000"),
        ("张三 13800138000 · 90", "张三 138****8000 · 90"),
        ("m:13912345678", "m:139****5678"),
        ("138-0013-8000", "138****8000"),
        ("+86 138 0013 8000", "138****8000"),
        ("+8613912345678", "139****5678"),
        # Not mobiles: a tracking number, a ticket code, a short number.
        ("20250913123456", "20250913123456"),
        ("ABCD2345", "ABCD2345"),
        ("12315", "12315"),
    ],
)
def test_mask_mobiles(text, masked):
    assert mask_mobiles(text) == masked


def test_audit_rows_mask_mobiles_in_the_object_text_label_and_detail(db):
    # Any object whose text holds a number (a quiz attempt named after its participant's).
    target = UnitFactory(name="报名人 13800138000")
    event = audit_record(
        actor=None,
        actor_label="13900001111",
        event_type="test.masked",
        target=target,
        note="call 138-0013-8000",
        rows=[{"mobile": "13700001111"}],
        count=3,
    )
    event.refresh_from_db()
    assert "13800138000" not in event.object_repr and "138****8000" in event.object_repr
    assert event.actor_label == "139****1111"
    assert event.detail == {
        "note": "call 138****8000",
        "rows": [{"mobile": "137****1111"}],
        "count": 3,
    }


def test_a_user_named_by_their_mobile_is_masked_as_actor(db):
    user = UserFactory(username="13800138000")
    event = audit_record(actor=user, event_type="test.actor")
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "138****8000"


def test_the_number_is_masked_before_the_text_is_cut(db):
    target = UnitFactory(name="x" * 95)
    target.name = "x" * 195 + "13800138000"  # not saved: only its text is read
    event = audit_record(actor=None, event_type="test.long", target=target)
    assert len(event.object_repr) == 200
    assert "13800" not in event.object_repr


def test_bulk_rows_are_masked_too(db):
    audit_bulk(
        [
            AuditEvent(
                event_type="test.bulk", actor_label="13800138000", object_repr="13800138000 · 5"
            )
        ]
    )
    row = AuditEvent.objects.get(event_type="test.bulk")
    assert (row.actor_label, row.object_repr) == ("138****8000", "138****8000 · 5")


def test_a_registrations_text_in_the_trail_is_masked(activity):
    registration = Registration.objects.create(
        activity=activity, name="王小红", mobile="13800138000"
    )
    event = audit_record(actor=None, event_type="test.registration", target=registration)
    assert "13800138000" not in event.object_repr


def test_console_sms_logs_the_masked_number_and_no_code_at_warning(caplog):
    sms.ConsoleBackend.outbox.clear()
    with caplog.at_level(logging.WARNING, logger="qualitymonth.sms"):
        sms.send_sms("13800138000", "您的验证码是 493817，10 分钟内有效。")
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "138****8000" in logged
    assert "13800138000" not in logged and "493817" not in logged
    # The demo still shows the code on the page, from the outbox.
    assert sms.ConsoleBackend.outbox[-1] == ("13800138000", "您的验证码是 493817，10 分钟内有效。")


def test_console_sms_prints_nothing_to_stdout(capsys):
    sms.send_sms("13800138000", "验证码 493817")
    assert "493817" not in capsys.readouterr().out
