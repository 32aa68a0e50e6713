"""The contest's dashboard figures agree with the entries and votes themselves: after votes are
cast, flagged, voided, deleted and flushed from the queue; by unit, district and scope."""

import datetime as dt
import json
from dataclasses import asdict

import pytest
from django.conf import settings
from django.db.models import Q

from qualitymonth.contest import services
from qualitymonth.contest.models import Entry, Vote
from qualitymonth.contest.services import vote_queue
from qualitymonth.core.figures import Filters
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.dashboard.figures import compose
from qualitymonth.dashboard.models import Stale
from tests.factories import CampaignFactory, UnitFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2031, 9, 1), dt.date(2031, 9, 30)
VOTING_OPENS = dt.datetime(2031, 9, 10, tzinfo=dt.UTC)


@pytest.fixture
def campaign(db):
    return CampaignFactory(year=2031, starts_on=START, ends_on=END)


@pytest.fixture
def district_unit(campaign):
    district = Region.objects.filter(parent=campaign.region).order_by("code").first()
    return UnitFactory(region=district, code="district-unit", name="思明区市场监管局")


@pytest.fixture
def entries(contest, make_entry, office_user, unit, district_unit):
    """Three approved entries (one per unit, one without) and one waiting; then voting opens on
    fixed dates within the campaign."""
    made = [
        make_entry(category="public", unit=unit, approve_by=office_user),
        make_entry(category="science", unit=district_unit, approve_by=office_user),
        make_entry(category="science", approve_by=office_user),
        make_entry(category="public", unit=unit),
    ]
    contest.voting_opens = VOTING_OPENS
    contest.voting_closes = VOTING_OPENS + dt.timedelta(days=10)
    contest.results_at = contest.voting_closes + dt.timedelta(days=1)
    contest.judging_closes = max(contest.judging_closes, contest.voting_closes)
    contest.save()
    return made


def cast(entry, voter, day: int, ip="10.0.0.1"):
    now = dt.datetime(2031, 9, day, 2, 0, tzinfo=dt.UTC)  # 10:00 in China: the same day
    result = services.vote_cast(entry_id=entry.pk, voter=voter, ip=ip, device="b", now=now)
    services.votes_flush()  # with Redis the vote waits in the queue until a flush
    return result


def truth(campaign, *, units=None, district=None):
    votes = Vote.objects.filter(entry__contest__campaign=campaign, day__range=(START, END))
    entries = Entry.objects.filter(contest__campaign=campaign)
    if units is not None:
        votes, entries = votes.filter(entry__unit__in=units), entries.filter(unit__in=units)
    if district is not None:
        votes = votes.filter(entry__unit__region=district)
        entries = entries.filter(unit__region=district)
    return {
        "contest_entries": entries.count(),
        "contest_approved": entries.filter(status="approved").count(),
        "contest_votes": votes.filter(voided_at__isnull=True).count(),
        "contest_flagged": votes.filter(~Q(flagged="")).count(),
    }


def shown(campaign, *, scope=None, **filters):
    dashboard = compose(
        campaign, filters=Filters(**filters), scope=scope, today=END, sections=["contest"]
    )
    (section,) = dashboard.sections
    return {f.key: f.value for f in section.figures}, section


def test_figures_follow_votes_cast_flagged_voided_and_deleted(
    campaign, contest, entries, office_user
):
    first, second, third, _waiting = entries
    cast(first, "u:1", 10)
    cast(first, "u:2", 10)
    cast(second, "u:1", 10)
    cast(first, "u:1", 11)
    cast(third, "m:13900000001", 12)
    values, section = shown(campaign)
    assert (
        values
        == truth(campaign)
        == {
            "contest_entries": 4,
            "contest_approved": 3,
            "contest_votes": 5,
            "contest_flagged": 0,
        }
    )
    per_day = next(c for c in section.charts if c.key == "contest_votes_per_day")
    assert per_day.series[0].data[9:12] == [3, 1, 1]
    by_state = {row[0]: row[1] for row in section.tables[0].rows}
    assert by_state["Approved"] == 3 and by_state["Waiting for review"] == 1

    flagged = Vote.objects.filter(entry=first, day=dt.date(2031, 9, 10)).order_by("pk")
    for vote in flagged:
        vote.flagged = "ip"
        vote.save()
    assert shown(campaign)[0] == truth(campaign)
    # Voiding is a bulk update: the service marks the days itself.
    services.votes_void(
        contest=contest, acting_user=office_user, vote_ids=[flagged[0].pk], reason="刷票"
    )
    Vote.objects.get(entry=second).delete()
    values, _section = shown(campaign)
    assert values == truth(campaign)
    assert values["contest_votes"] == 3 and values["contest_flagged"] == 2


def test_someone_who_may_not_void_changes_nothing(campaign, contest, entries, staff_user):
    cast(entries[0], "u:1", 10)
    vote = Vote.objects.get()
    vote.flagged = "ip"
    vote.save()
    before = shown(campaign)[0]
    with pytest.raises(PermissionDenied):
        services.votes_void(contest=contest, acting_user=staff_user, vote_ids=[vote.pk], reason="x")
    assert shown(campaign)[0] == before == truth(campaign)


def test_votes_written_by_the_queue_flush_are_counted(campaign, contest, entries):
    """The flush's store (SQL on PostgreSQL, past the signals) marks the days it wrote."""
    first, second = entries[0], entries[1]
    queued = [
        {"e": first.pk, "v": "u:7", "d": "2031-09-13", "i": "a", "h": "b", "t": 1947024000.0},
        {"e": second.pk, "v": "u:7", "d": "2031-09-14", "i": "a", "h": "b", "t": 1947110400.0},
        {
            "e": second.pk,
            "v": "u:8",
            "d": "2031-09-14",
            "i": "a",
            "h": "b",
            "t": 1947110400.0,
            "f": "device",
        },
    ]
    assert shown(campaign)[0]["contest_votes"] == 0
    Stale.objects.all().delete()
    assert vote_queue._store(queued) == 3
    assert vote_queue._store(queued) == 0  # a batch written twice counts once
    days = set(Stale.objects.filter(source="votes").values_list("day", flat=True))
    assert days == {dt.date(2031, 9, 13), dt.date(2031, 9, 14)}
    values, _section = shown(campaign)
    assert values == truth(campaign)
    assert values["contest_votes"] == 3 and values["contest_flagged"] == 1


@pytest.mark.django_db(transaction=True)
def test_votes_queued_in_redis_are_counted_after_the_flush(campaign, contest, entries):
    if not settings.REDIS_URL:
        pytest.skip("without Redis a vote is written at once")
    from qualitymonth.core import redis as fast_redis

    fast_redis.client().set(fast_redis.key("vote:flush-due"), "1", ex=60)  # no inline flush
    for entry, voter, day in ((entries[0], "u:1", 10), (entries[1], "u:2", 11)):
        now = dt.datetime(2031, 9, day, 2, 0, tzinfo=dt.UTC)
        services.vote_cast(entry_id=entry.pk, voter=voter, ip="10.0.0.1", device="b", now=now)
    assert Vote.objects.count() == 0
    services.votes_flush()
    values, _section = shown(campaign)
    assert values == truth(campaign) and values["contest_votes"] == 2


def test_unit_district_and_scope_narrow_entries_and_votes(
    campaign, contest, entries, unit, district_unit
):
    first, second, third, _waiting = entries
    cast(first, "u:1", 10)
    cast(second, "u:1", 10)
    cast(second, "u:2", 11)
    cast(third, "u:3", 11)
    values, section = shown(campaign, unit_id=unit.pk)
    assert values == truth(campaign, units=[unit]) and values["contest_votes"] == 1
    assert section.ignored_filters == []
    values, _section = shown(campaign, district_id=district_unit.region_id)
    assert values == truth(campaign, district=district_unit.region_id)
    assert values["contest_votes"] == 2 and values["contest_entries"] == 1
    values, _section = shown(campaign, scope=frozenset({district_unit.pk}))
    assert values == truth(campaign, units=[district_unit])
    # A unit outside the person's scope shows nothing, not everything.
    values, _section = shown(campaign, scope=frozenset({district_unit.pk}), unit_id=unit.pk)
    assert values["contest_votes"] == values["contest_entries"] == 0
    domain = campaign.domains.first()
    assert shown(campaign, domain_id=domain.pk)[1].ignored_filters == ["domain"]


def test_the_scoreboard_column_counts_approved_entries_per_unit(
    campaign, contest, entries, unit, district_unit
):
    from qualitymonth.contest.figures import ContestFigures
    from qualitymonth.dashboard.figures import View

    (column,) = ContestFigures().scoreboard(View(campaign=campaign, today=END))
    assert column.default is False
    assert column.values == {unit.pk: 1, district_unit.pk: 1}


def test_the_public_part_has_no_names_and_no_flags(campaign, contest, entries):
    cast(entries[0], "m:13912345678", 10)
    (section,) = compose(campaign, public=True, today=END, sections=["contest"]).sections
    assert {f.key for f in section.figures} == {
        "contest_entries",
        "contest_approved",
        "contest_votes",
    }
    assert [c.key for c in section.charts] == ["contest_votes_per_day"] and not section.tables
    text = json.dumps(asdict(section), default=str, ensure_ascii=False)
    for entry in entries:
        assert entry.author_name not in text
    assert "5678" not in text


def test_the_overview_sentence_carries_the_numbers(campaign, contest, entries):
    from qualitymonth.contest.figures import ContestFigures
    from qualitymonth.dashboard import facts
    from qualitymonth.dashboard.figures import View

    cast(entries[0], "u:1", 10)
    facts.refresh(campaign)
    (sentence,) = ContestFigures().overview(View(campaign=campaign, today=END))
    assert "4 entries, 3 of them approved, and 1 public votes" in sentence
