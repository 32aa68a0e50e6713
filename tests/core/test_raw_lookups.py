"""Values read straight from a request (not through a form) are looked up only when they have the
shape of what they name: a NUL or a 10,000-character string never reaches a query."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["\x00", "1\x002", "9" * 10_000, "²³", "20250901000001"])
def test_a_join_number_of_any_shape_gives_no_server_error(client, campaign, value):
    response = client.post("/complaints/new/", {"join": value})
    assert response.status_code < 500


@pytest.mark.parametrize("value", ["x\x00y", "a" * 5000, "../etc"])
def test_a_campaign_slug_of_any_shape_gives_no_server_error(office_client, campaign, value):
    response = office_client.post("/office/activities/new/", {"campaign": value})
    assert response.status_code < 500


def test_the_demo_shows_the_code_sent_to_this_number_not_the_last_one(settings, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from qualitymonth.core import identity

    settings.QM_SMS_SHOW_CODES_ON_PAGE = True
    request = RequestFactory().post("/", {"mobile": "13800138001"}, REMOTE_ADDR="10.0.0.1")
    request.session = SessionStore()
    request._messages = _Messages()
    sent = identity.send_sms

    def and_another_visitor(mobile, text):  # another worker thread sends right after ours
        sent(mobile, text)
        sent("13900139000", "someone else's code is 999999")

    monkeypatch.setattr(identity, "send_sms", and_another_visitor)
    identity.verify_mobile_step(request, verified_message="ok")
    shown = " ".join(request._messages.texts)
    assert "13800138001" in shown
    assert "999999" not in shown


class _Messages:
    def __init__(self):
        self.texts = []

    def add(self, level, message, extra_tags=""):
        self.texts.append(str(message))
