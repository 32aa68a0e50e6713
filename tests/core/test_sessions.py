"""Sessions: CSRF on every unsafe API call made with one, idle and total lifetimes."""

import json
import time

import pytest
from django.test import Client

from qualitymonth.core.sessions import LAST_SEEN, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def signed_in_without_token(user) -> Client:
    """A browser that a foreign page drives: the session cookie goes along, the token does not."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _public_posts(activity, story_slug, quiz_slug):
    return [
        (f"/api/activities/{activity.pk}/registrations", {"name": "王明", "mobile": "13800138000"}),
        ("/api/complaints", {"kind": "enquiry"}),
        (f"/api/stories/{story_slug}/like", {}),
        (f"/api/quiz/{quiz_slug}/attempts", {}),
    ]


@pytest.mark.parametrize("index", range(4), ids=["register", "complaint", "like", "quiz"])
def test_a_session_without_the_token_is_refused_on_every_public_post(citizen_user, activity, index):
    path, body = _public_posts(activity, "any-story", "any-quiz")[index]
    client = signed_in_without_token(citizen_user)
    for content_type in ("text/plain", "application/json"):
        response = client.post(
            path, json.dumps(body), content_type=content_type, HTTP_ORIGIN="https://evil.example"
        )
        assert response.status_code == 403, (path, response.content)
        assert response.json()["code"] == "csrf"


def test_a_session_with_the_token_is_served(citizen_user, activity):
    client = signed_in_without_token(citizen_user)
    client.get("/")  # the page sets the CSRF cookie, as a browser would get it
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/activities/{activity.pk}/registrations",
        json.dumps({"name": "王明", "mobile": "13800138000"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content


def test_a_client_without_a_session_needs_no_token(activity):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/activities/{activity.pk}/registrations",
        json.dumps({"name": "王明", "mobile": "13800138000"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def _age(client, **fields):
    session = client.session
    for name, seconds_ago in fields.items():
        session[name] = int(time.time()) - seconds_ago
    session.save()


def test_an_idle_staff_session_ends(staff_client, settings):
    assert staff_client.get("/office/").status_code == 200
    _age(staff_client, **{LAST_SEEN: settings.QM_STAFF_IDLE_MINUTES * 60 + 5})
    response = staff_client.get("/office/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert staff_client.get("/office/").status_code == 302  # signed out, not only redirected once


def test_an_idle_staff_session_gets_401_from_the_api(staff_client, settings):
    _age(staff_client, **{LAST_SEEN: settings.QM_STAFF_IDLE_MINUTES * 60 + 5})
    response = staff_client.get("/api/office/activities")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"


def test_a_busy_staff_session_still_ends_at_its_maximum_age(staff_client, settings):
    _age(staff_client, **{SIGNED_IN_AT: settings.QM_SESSION_MAX_HOURS * 3600 + 5, LAST_SEEN: 1})
    assert staff_client.get("/office/").status_code == 302


def test_a_citizen_session_has_no_idle_timeout(citizen_client, settings):
    _age(citizen_client, **{LAST_SEEN: settings.QM_STAFF_IDLE_MINUTES * 60 + 5})
    assert citizen_client.get("/tickets/").status_code == 200
