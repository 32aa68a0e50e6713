"""Script in every text field a person can fill is shown as text, never run; odd input gets a
clear answer, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from qualitymonth.contest import services
from qualitymonth.contest.models import Entry
from tests.contest.conftest import set_phase

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_in_every_entry_field_is_rendered_inert(
    contest, citizen_user, make_entry, office_user, judges
):
    entry = make_entry(
        citizen_user,
        title=PAYLOAD[:80],
        description=PAYLOAD,
        author_name=PAYLOAD[:60],
        team=PAYLOAD,
    )
    services.entry_moderate(entry=entry, acting_user=office_user, decision="changes", note=PAYLOAD)
    services.entry_moderate(entry=entry, acting_user=office_user, decision="approve")
    Entry.objects.filter(pk=entry.pk).update(moderation_note=PAYLOAD)
    services.judges_assign(contest=contest, acting_user=office_user)
    set_phase(contest, "voting")
    author, office, judge = Client(), Client(), Client()
    author.force_login(citizen_user)
    office.force_login(office_user)
    assignment = entry.assignments.first()
    judge.force_login(assignment.judge.user)
    pages = [
        (Client(), contest.get_absolute_url()),
        (Client(), entry.get_absolute_url()),
        (author, reverse("contest:mine", args=[contest.slug])),
        (office, reverse("contest_office:moderation", args=[contest.slug]) + "?status=all"),
        (office, reverse("contest_office:moderate", args=[entry.pk])),
        (office, reverse("contest_office:ranking", args=[contest.slug])),
        (judge, reverse("contest_office:judging")),
        (judge, reverse("contest_office:score", args=[assignment.pk])),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "<script>alert" not in body, url
        assert "onerror=alert" not in body.replace("onerror=alert(1)&gt;", ""), url
    api = Client().get(f"/api/contest-entries/{entry.pk}")
    assert api["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "'; DROP TABLE x;--"},
        {"category": "<b>"},
        {"page": "-1"},
        {"page": "abc"},
        {"q": "x" * 500},
    ],
)
def test_odd_gallery_queries_still_answer(contest, approved, query):
    assert Client().get(contest.get_absolute_url(), query).status_code == 200


def test_odd_api_queries_get_a_clear_400(contest, approved):
    response = Client().get(f"/api/contests/{contest.slug}/entries", {"sort": "random"})
    assert response.status_code == 422 or response.status_code == 400


def test_unknown_media_kind_and_entry_are_404(approved):
    client = Client()
    assert client.get(f"/contest/entries/{approved[0].pk}/secret").status_code == 404
    assert client.get("/contest/entries/999999/video").status_code == 404
    assert client.post("/contest/entries/999999/vote/").status_code == 404
