"""The back office's registration search: a mobile matches only as a whole number, so the
masked digits cannot be recovered by searching trailing digits one guess at a time."""

import pytest

from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(activity):
    # Letters only: a random ticket code must not happen to contain the digits searched for.
    return RegistrationFactory(
        activity=activity, name="王小红", mobile="13800138000", ticket_code="ABCDEFGH"
    )


def _search(client, activity, q):
    return client.get(f"/office/activities/{activity.pk}/registrations/", {"q": q})


@pytest.mark.parametrize("q", ["8000", "38000", "0138000", "3800138000", "138001380"])
def test_part_of_a_mobile_matches_nothing(staff_client, activity, registration, q):
    page = _search(staff_client, activity, q).content.decode()
    assert "138****8000" not in page


@pytest.mark.parametrize("q", ["13800138000", "138-0013-8000", "+86 138 0013 8000"])
def test_the_whole_mobile_finds_the_registrant(staff_client, activity, registration, q):
    page = _search(staff_client, activity, q).content.decode()
    assert "138****8000" in page


def test_names_and_ticket_codes_still_match(staff_client, activity, registration):
    assert "138****8000" in _search(staff_client, activity, "小红").content.decode()
    assert "138****8000" in _search(staff_client, activity, "cdef").content.decode()


def test_another_units_staff_cannot_search(other_staff_client, activity, registration):
    assert _search(other_staff_client, activity, "13800138000").status_code == 403
