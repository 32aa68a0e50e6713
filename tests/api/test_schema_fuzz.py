"""schemathesis against /api/openapi.json: no server error, and every answer as documented.

Two passes over every operation, anonymous and as a campaign-office account (its session cookie
and CSRF token, as a browser sends them). Generated path parameters are often swapped for the
ids and slugs of real objects, so the operations get past their 404 to the code behind it.
Bounded (a few examples per operation, derandomized so a failure replays): `make test-fuzz`,
run by .ci/run on PostgreSQL + Redis.
"""

import datetime as dt

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.complaints.conftest import case, region, route  # noqa: F401 (a case to look up)
from tests.contest.conftest import approved, contest, make_entry  # noqa: F401
from tests.quiz.conftest import bank, quiz  # noqa: F401

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

# Real objects' keys by path parameter; a `slug`, `token` or `step` by the path's first noun:
# filled in by the `known` fixture before the operations run.
KNOWN: dict[str, list] = {}


def _known_values(path: str, name: str) -> list:
    if name in ("slug", "token", "step"):
        noun = next(w for w in path.strip("/").split("/") if w not in ("api", "office"))
        return KNOWN.get(f"{noun}.{name}") or KNOWN.get(name, [])
    return KNOWN.get(name, [])


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Two times in three, a real object's key in place of each generated one."""
    if not path_parameters:
        return st.just(path_parameters)
    path = context.operation.path
    choices = {}
    for name, value in path_parameters.items():
        real = _known_values(path, name)
        choices[name] = st.sampled_from([value, *real, *real]) if real else st.just(value)
    return st.fixed_dictionaries(choices)


@pytest.fixture(autouse=True)
def _one_connection():
    """The real WSGI handler closes the database connection after each request, as a server
    should; in a test that rolls back at its end the connection must stay (Django's test client
    does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def known(campaign, activity, contest, quiz, case, approved, office_user):  # noqa: F811
    from qualitymonth.campaigns.services import registration_create
    from qualitymonth.campaigns.services.activities import TRANSITIONS
    from qualitymonth.complaints.services import STEPS
    from qualitymonth.quiz.services import Participant, attempt_start
    from qualitymonth.showcase.models import Article, BrandStory

    registration = registration_create(activity=activity, name="张三", mobile="13800138000")
    person = Participant(key="m:13800138001", name="13800138001", mobile="13800138001")
    attempt = attempt_start(quiz=quiz, participant=person)
    story = BrandStory.objects.create(
        campaign=campaign,
        unit=activity.organiser,
        title="一家企业的质量故事",
        enterprise="厦门某企业",
        summary="摘要",
        body="<p>正文</p>",
        slug="a-story",
        status=BrandStory.Status.PUBLISHED,
        published_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
    )
    article = Article.objects.create(
        unit=activity.organiser,
        title="计量小常识",
        slug="an-article",
        category="metrology",
        summary="摘要",
        body="<p>正文</p>",
        status=Article.Status.PUBLISHED,
        published_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
    )
    KNOWN.clear()
    KNOWN.update(
        {
            "campaigns.slug": [campaign.slug],
            "contests.slug": [contest.slug],
            "quiz.slug": [quiz.slug],
            "quiz.token": [attempt.token],
            "stories.slug": [story.slug],
            "articles.slug": [article.slug],
            "tickets.token": [registration.token],
            "activities.step": list(TRANSITIONS),
            "complaints.step": list(STEPS),
            "activity_id": [activity.pk],
            "tracking_number": [case.tracking_number],
            "entry_id": [e.pk for e in approved],
            "article_id": [article.pk],
            "story_id": [story.pk],
        }
    )
    yield KNOWN
    KNOWN.clear()


def _office_session(user) -> tuple[dict, dict]:
    client = Client()
    client.force_login(user)
    token = _get_new_csrf_string()
    from django.conf import settings as django_settings

    cookies = {
        django_settings.SESSION_COOKIE_NAME: client.cookies[
            django_settings.SESSION_COOKIE_NAME
        ].value,
        django_settings.CSRF_COOKIE_NAME: token,
    }
    return cookies, {"X-CSRFToken": token}


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous(case, known):  # noqa: F811
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_office(case, known, office_user):  # noqa: F811
    cookies, headers = _office_session(office_user)
    case.call_and_validate(checks=CHECKS, headers=headers, cookies=cookies)
