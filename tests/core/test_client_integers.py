"""An integer a client sends (an id in a form, a query string, a JSON list) is range-checked before
it reaches a query: a 20-digit id is a field error or "none found", never a 500 (SQLite raises
OverflowError on it, PostgreSQL an out-of-range error)."""

import json

import pytest
from django.urls import reverse

from qualitymonth.campaigns.models import Activity, Campaign
from tests.contest.conftest import contest  # noqa: F401 (the contest fixture)

HUGE = "99999999999999999999"
pytestmark = pytest.mark.django_db


def test_a_huge_co_organiser_id_is_a_field_error_on_a_new_campaign(office_client, unit):
    response = office_client.post(
        reverse("office:campaign_new"),
        {"year": "2030", "theme": "质量", "co_organisers": [HUGE, str(unit.pk)], "lead_unit": HUGE},
    )
    assert response.status_code in (200, 400)
    assert set(response.context["form"].errors) >= {"co_organisers", "lead_unit"}
    assert Campaign.objects.count() == 1  # only the fixture's


def test_a_huge_id_is_a_field_error_on_a_new_activity(office_client, campaign, unit):
    response = office_client.post(
        reverse("office:activity_new"),
        {"co_organisers": HUGE, "domains": ["²", HUGE], "organiser": HUGE, "district": HUGE},
    )
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert {"co_organisers", "domains", "organiser"} <= set(errors)
    assert not Activity.objects.exists()


@pytest.mark.parametrize("vote", ["²", HUGE])
def test_voiding_votes_ignores_ids_it_cannot_use(office_client, contest, vote):  # noqa: F811
    response = office_client.post(
        reverse("contest_office:votes", args=[contest.slug]), {"vote": vote, "reason": "刷票"}
    )
    assert response.status_code == 302


def test_the_void_votes_api_refuses_a_huge_id(office_client, contest):  # noqa: F811
    response = office_client.post(
        f"/api/office/contests/{contest.slug}/void-votes",
        json.dumps({"vote_ids": [int(HUGE)], "reason": "刷票"}),
        content_type="application/json",
    )
    assert response.status_code == 422


@pytest.mark.parametrize("entry", ["²", HUGE, "abc"])
def test_awarding_an_entry_it_cannot_find_is_404(office_client, contest, entry):  # noqa: F811
    response = office_client.post(
        reverse("contest_office:ranking", args=[contest.slug]),
        {"action": "award", "entry": entry, "level": "first"},
    )
    assert response.status_code == 404
