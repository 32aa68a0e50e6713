"""The last four digits of a mobile guard one case: a lock per case, whoever guesses."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def track(client, number, digits, address):
    body = json.dumps({"tracking_number": number, "mobile_last4": digits})
    return client.post(
        "/api/complaints/track", body, content_type="application/json", REMOTE_ADDR=address
    )


def test_wrong_digits_from_many_addresses_lock_the_case_for_everyone(case):
    client = Client()
    wrong = [track(client, case.tracking_number, f"{n:04d}", f"10.0.{n}.1") for n in range(5)]
    assert [r.status_code for r in wrong] == [404] * 5
    # The right digits, from an address never seen: still refused while the case is locked.
    locked = track(client, case.tracking_number, "5678", "10.9.9.9")
    assert locked.status_code == 429
    assert locked.json()["code"] == "rate_limited"
    # The lock is per case: another tracking number is not affected.
    assert track(client, "20990101000001", "5678", "10.9.9.9").status_code == 404


def test_the_web_look_up_shares_the_lock(case):
    client = Client()
    for n in range(5):
        client.post(
            "/complaints/track/",
            {"tracking_number": case.tracking_number, "mobile_last4": f"{n:04d}"},
            REMOTE_ADDR=f"10.1.{n}.1",
        )
    response = client.post(
        "/complaints/track/",
        {"tracking_number": case.tracking_number, "mobile_last4": "5678"},
        REMOTE_ADDR="10.2.2.2",
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "一小时" in response.content.decode() or "an hour" in response.content.decode()


def test_the_right_digits_before_the_lock_open_the_case(case):
    client = Client()
    for n in range(4):
        track(client, case.tracking_number, f"{n:04d}", "10.0.0.1")
    assert track(client, case.tracking_number, "5678", "10.0.0.1").status_code == 200


def test_the_digits_never_travel_in_a_query_string(case):
    query = {"tracking_number": case.tracking_number, "mobile_last4": "5678"}
    assert Client().get("/api/complaints/track", query).status_code == 405
