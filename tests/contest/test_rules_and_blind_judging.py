"""The contest's rules page speaks the contest's words and figures; judging stays blind in the API."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext, override

from qualitymonth.contest.models import Contest, Phase
from tests.contest.conftest import set_phase

pytestmark = pytest.mark.django_db


def _rules(client, contest) -> str:
    body = client.get(f"/contest/{contest.slug}/").content.decode()
    return re.search(r"<details class=\"card\">(.*?)</details>", body, re.S).group(1)


def test_the_review_phase_is_not_called_by_the_quizs_word(client, contest):
    assert "答题回顾" not in _rules(client, contest)
    # Its own translation context: the contest's review is not the quiz's look back at answers.
    with override("zh-hans"):
        assert str(Phase.REVIEW.label) != gettext("Review")


def test_the_rules_state_the_limits_from_the_contests_settings(client, contest):
    Contest.objects.filter(pk=contest.pk).update(
        min_seconds=3, max_seconds=300, rules="面向市民征集 1 至 5 分钟的原创微视频。"
    )
    rules = _rules(client, contest)
    limits = re.search(r'data-testid="limits">(.*?)</p>', rules, re.S).group(1)
    assert "3–300" in limits
    # The settings come before the free text, which may say otherwise.
    assert rules.index('data-testid="limits"') < rules.index("面向市民")


def test_the_demo_rules_do_not_contradict_the_demo_limits():
    from qualitymonth.contest.demo import loader

    assert "1 至 5 分钟" not in loader.RULES


@pytest.fixture
def entry(approved):
    return approved[0]


def _author(client, entry):
    response = client.get(f"/api/contest-entries/{entry.pk}")
    assert response.status_code == 200
    return response.json()["author_name"]


def test_a_judge_does_not_read_the_authors_name(entry, judges):
    set_phase(entry.contest, "judging")
    judge = Client()
    judge.force_login(judges[0].user)
    assert _author(judge, entry) is None
    gallery = judge.get(f"/api/contests/{entry.contest.slug}/entries").json()
    assert all(item["author_name"] is None for item in gallery["items"])


def test_anonymous_visitors_do_not_read_the_authors_name(entry):
    assert _author(Client(), entry) is None


def test_the_office_and_the_author_read_the_authors_name(entry, office_client):
    assert _author(office_client, entry) == entry.author_name
    author = Client()
    author.force_login(entry.author)
    assert _author(author, entry) == entry.author_name


def test_the_name_is_public_with_the_results(entry):
    set_phase(entry.contest, "results")
    Contest.objects.filter(pk=entry.contest_id).update(results_confirmed_at=timezone.now())
    assert _author(Client(), entry) == entry.author_name


def test_the_gallery_decides_once_per_request(
    entry, approved, office_client, django_assert_max_num_queries
):
    office_client.get(f"/api/contests/{entry.contest.slug}/entries")  # warm up
    with django_assert_max_num_queries(12):
        items = office_client.get(f"/api/contests/{entry.contest.slug}/entries").json()["items"]
    assert {item["author_name"] for item in items} == {e.author_name for e in approved}
