"""Votes: phases, one per person per entry per day, the daily cap, limits under concurrency,
flags and voiding, and the vote endpoints (page and API)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from qualitymonth.contest import services
from qualitymonth.contest.models import Entry, Vote
from qualitymonth.core.identity import SESSION_MOBILE
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from tests.contest.conftest import set_phase

pytestmark = pytest.mark.django_db


def cast(entry, voter="u:1", ip="10.0.0.1", device="browser"):
    return services.vote_cast(entry_id=entry.pk, voter=voter, ip=ip, device=device)


def stored(entry) -> int:
    """The entry's count in the database, once the votes queued in Redis (if any) are written."""
    services.votes_flush()
    return Entry.objects.get(pk=entry.pk).vote_count


def votes():
    services.votes_flush()
    return Vote.objects


@pytest.fixture
def voting(contest, approved):
    set_phase(contest, "voting")
    return approved


def test_no_voting_before_the_voting_phase(contest, approved):
    set_phase(contest, "judging")
    with pytest.raises(ValidationError) as error:
        cast(approved[0])
    assert error.value.code == "closed"
    assert votes().count() == 0


def test_no_voting_after_it_closes(contest, approved):
    set_phase(contest, "results")
    with pytest.raises(ValidationError) as error:
        cast(approved[0])
    assert error.value.code == "closed"


def test_an_entry_in_review_cannot_be_voted_for(contest, voting, make_entry):
    set_phase(contest, "submission")
    pending = make_entry()
    set_phase(contest, "voting")
    with pytest.raises(Entry.DoesNotExist):
        cast(pending)


def test_one_vote_per_person_per_entry_per_day(voting):
    assert cast(voting[0]).vote_count == 1
    with pytest.raises(ValidationError) as error:
        cast(voting[0])
    assert error.value.code == "duplicate"
    assert stored(voting[0]) == 1
    # Someone else may.
    assert cast(voting[0], voter="m:13800000000").vote_count == 2


def test_the_daily_cap_counts_only_votes_that_were_stored(voting):
    # votes_per_day is 3; a refused duplicate does not use one up.
    cast(voting[0])
    with pytest.raises(ValidationError):
        cast(voting[0])
    cast(voting[1])
    result = cast(voting[2])
    assert result.left_today == 0
    with pytest.raises(ValidationError) as error:
        cast(voting[3])
    assert error.value.code == "daily_limit"
    assert votes().filter(voter="u:1").count() == 3


def _together(jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = []
    lock = threading.Lock()

    def run(job):
        try:
            barrier.wait()
            job()
            result = "ok"
        except ValidationError as error:
            result = error.code
        except Exception as error:
            result = repr(error)
        finally:
            close_old_connections()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return Counter(outcomes)


from collections import Counter  # noqa: E402


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_are_counted_exactly(contest, approved):
    set_phase(contest, "voting")
    entry = approved[0]
    outcomes = _together([lambda n=n: cast(entry, voter=f"m:1390000{n:04d}") for n in range(8)])
    assert outcomes == {"ok": 8}
    assert stored(entry) == 8 == votes().filter(entry=entry).count()


@pytest.mark.django_db(transaction=True)
def test_a_replayed_vote_sent_many_times_at_once_counts_once(contest, approved):
    set_phase(contest, "voting")
    entry = approved[0]
    outcomes = _together([lambda: cast(entry, voter="u:42") for _ in range(6)])
    assert outcomes["ok"] == 1 and outcomes["duplicate"] == 5
    assert stored(entry) == 1


@pytest.mark.django_db(transaction=True)
def test_the_daily_cap_holds_under_concurrent_votes(contest, approved):
    set_phase(contest, "voting")
    extra = [*approved, approved[0]]  # 5 attempts, 4 distinct entries, cap 3
    outcomes = _together([lambda e=e: cast(e, voter="u:7") for e in extra])
    assert outcomes["ok"] == 3
    assert votes().filter(voter="u:7").count() == 3


def test_too_many_votes_from_one_connection_are_refused(voting, settings):
    settings.QM_VOTE_LIMITS = {**settings.QM_VOTE_LIMITS, "ip_per_minute": 2}
    cast(voting[0], voter="u:1")
    cast(voting[0], voter="u:2")
    with pytest.raises(ValidationError) as error:
        cast(voting[0], voter="u:3")
    assert error.value.code == "rate_limited"
    assert votes().count() == 2


def test_bursts_are_flagged_and_the_office_voids_them(contest, voting, settings, office_user):
    settings.QM_VOTE_LIMITS = {**settings.QM_VOTE_LIMITS, "flag_ip_per_10min": 2}
    for n in range(4):
        cast(voting[0], voter=f"m:1380000000{n}", ip="203.0.113.9")
    flagged = list(votes().exclude(flagged="").values_list("pk", flat=True))
    assert len(flagged) == 2
    assert stored(voting[0]) == 4  # flagged votes count until voided
    with pytest.raises(ValidationError):
        services.votes_void(contest=contest, acting_user=office_user, vote_ids=flagged, reason="")
    clean = votes().filter(flagged="").first().pk
    assert (
        services.votes_void(
            contest=contest,
            acting_user=office_user,
            vote_ids=[*flagged, clean],
            reason="同一地址刷票",
        )
        == 2
    )
    assert stored(voting[0]) == 2
    event = AuditEvent.objects.get(event_type="contest.votes_voided")
    assert sorted(event.detail["votes"]) == sorted(flagged)
    assert event.detail["reason"] == "同一地址刷票"


def test_voiding_is_for_the_office(contest, voting, staff_user):
    with pytest.raises(PermissionDenied):
        services.votes_void(contest=contest, acting_user=staff_user, vote_ids=[1], reason="x")


def test_the_office_page_lists_flagged_votes_and_voids_the_chosen(
    contest, voting, settings, office_client
):
    settings.QM_VOTE_LIMITS = {**settings.QM_VOTE_LIMITS, "flag_ip_per_10min": 0}
    cast(voting[0])
    vote = votes().get()
    url = reverse("contest_office:votes", args=[contest.slug])
    page = office_client.get(url).content.decode()
    assert f'value="{vote.pk}"' in page
    office_client.post(url, {"vote": [vote.pk], "reason": "刷票"})
    assert votes().get().voided_at is not None


# --- the page ------------------------------------------------------------------------------
def test_a_visitor_must_log_in_or_verify_a_mobile_to_vote(voting):
    response = Client().post(reverse("contest:vote", args=[voting[0].pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert votes().count() == 0


def test_a_verified_mobile_votes_and_the_page_shows_the_count(voting):
    client = Client()
    session = client.session
    session[SESSION_MOBILE] = "13800001111"
    session.save()
    url = reverse("contest:vote", args=[voting[0].pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="vote-count">1<' in response.content.decode()
    again = client.post(url, HTTP_HX_REQUEST="true")
    assert again.status_code == 409
    assert votes().get().voter == "m:13800001111"


def test_the_vote_form_works_without_javascript(voting, citizen_client):
    response = citizen_client.post(reverse("contest:vote", args=[voting[0].pk]))
    assert response.status_code == 302
    assert stored(voting[0]) == 1


# --- the API -------------------------------------------------------------------------------
def test_the_api_vote_needs_a_session_and_the_csrf_token(voting, citizen_user):
    url = f"/api/contest-entries/{voting[0].pk}/vote"
    assert Client().post(url).status_code == 401
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen_user)
    assert client.post(url).status_code == 403  # no CSRF token: a forged cross-site vote fails
    client.get(voting[0].get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post(url, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["vote_count"] == 1
    again = client.post(url, HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 409 and again.json()["code"] == "duplicate"


def test_the_api_lists_entries_and_refuses_votes_outside_the_phase(
    contest, approved, citizen_client
):
    listing = citizen_client.get(f"/api/contests/{contest.slug}/entries?sort=votes").json()
    assert listing["count"] == 4
    assert "author" not in listing["items"][0]
    response = citizen_client.post(f"/api/contest-entries/{approved[0].pk}/vote")
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert citizen_client.post("/api/contest-entries/999999/vote").status_code == 404


def test_a_session_from_before_a_password_change_cannot_vote(voting, citizen_user):
    client = Client()
    client.force_login(citizen_user)
    citizen_user.set_password("a-new-password-2026")
    citizen_user.save()
    response = client.post(reverse("contest:vote", args=[voting[0].pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert votes().count() == 0


def test_a_signed_in_voter_without_a_cached_check_is_checked_in_full(voting, citizen_user):
    from qualitymonth.core.identity import forget_account

    client = Client()
    client.force_login(citizen_user)
    forget_account(sender=None, instance=citizen_user)
    response = client.post(f"/api/contest-entries/{voting[0].pk}/vote")
    assert response.status_code == 200
    assert votes().get().voter == f"u:{citizen_user.pk}"


@pytest.mark.django_db(transaction=True)
def test_votes_written_by_a_transaction_that_rolls_back_stay_queued(contest, approved):
    """A flush inside a transaction takes its votes off the queue only when that transaction
    commits; if it rolls back, the next flush writes them (and counts them once)."""
    import contextlib

    from django.conf import settings
    from django.db import transaction

    if not settings.REDIS_URL:
        pytest.skip("without Redis a vote is written at once")
    from qualitymonth.core import redis as fast_redis

    set_phase(contest, "voting")
    # A flush was just done (as far as the vote script knows): these votes wait in the queue.
    fast_redis.client().set(fast_redis.key("vote:flush-due"), "1", ex=60)
    cast(approved[0], voter="u:1")
    cast(approved[0], voter="u:2")
    assert Vote.objects.count() == 0
    with contextlib.suppress(RuntimeError), transaction.atomic():
        services.votes_flush()
        assert Vote.objects.count() == 2
        raise RuntimeError("the office's action failed after the flush")
    assert Vote.objects.count() == 0
    services.votes_flush()
    services.votes_flush()
    assert Vote.objects.count() == 2 and Entry.objects.get(pk=approved[0].pk).vote_count == 2
