"""Judging: balanced assignment without conflicts, judge isolation, the scoring formula, awards."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from qualitymonth.contest import services
from qualitymonth.contest.models import Assignment, Entry, Judge
from qualitymonth.contest.services.judging import final_scores, normalise_judges, weighted_total
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from tests.contest.conftest import set_phase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_assignment_is_balanced_and_every_entry_gets_its_judges(
    contest, judges, make_entry, office_user
):
    entries = [make_entry(approve_by=office_user) for _ in range(7)]
    set_phase(contest, "judging")
    made = services.judges_assign(contest=contest, acting_user=office_user)
    assert made == 14
    load = Counter(Assignment.objects.values_list("judge_id", flat=True))
    assert max(load.values()) - min(load.values()) <= 1
    for entry in entries:
        assert entry.assignments.values("judge").distinct().count() == 2
    # Assigning again gives nothing new: every entry has its judges.
    assert services.judges_assign(contest=contest, acting_user=office_user) == 0


def test_no_judge_gets_an_entry_of_their_own_unit_or_their_own(
    contest, judges, make_entry, office_user
):
    own_unit = make_entry(unit=judges[0].unit, approve_by=office_user)
    own_work = make_entry(judges[1].user, approve_by=office_user)
    services.judges_assign(contest=contest, acting_user=office_user)
    assert set(own_unit.assignments.values_list("judge", flat=True)) == {judges[1].pk, judges[2].pk}
    assert set(own_work.assignments.values_list("judge", flat=True)) == {judges[0].pk, judges[2].pk}


def test_assigning_judges_is_for_the_office(contest, judges, staff_user):
    with pytest.raises(PermissionDenied):
        services.judges_assign(contest=contest, acting_user=staff_user)


def test_a_judge_sees_only_their_entries_and_never_the_authors(
    contest, judges, make_entry, office_user
):
    entries = [make_entry(author_name=f"真名{n}", approve_by=office_user) for n in range(4)]
    services.judges_assign(contest=contest, acting_user=office_user)
    set_phase(contest, "judging")
    judge = judges[0]
    client = Client()
    client.force_login(judge.user)
    page = client.get(reverse("contest_office:judging")).content.decode()
    mine = set(judge.assignments.values_list("entry_id", flat=True))
    for entry in entries:
        assert (entry.title in page) == (entry.pk in mine)
    assert "真名" not in page
    own = judge.assignments.first()
    score_page = client.get(reverse("contest_office:score", args=[own.pk])).content.decode()
    assert own.entry.title in score_page and "真名" not in score_page
    theirs = Assignment.objects.exclude(judge=judge).first()
    assert client.get(reverse("contest_office:score", args=[theirs.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.assignment_score(assignment=theirs, acting_user=judge.user, scores={}, comment="")


def _scores(contest, *values):
    return {str(c.pk): v for c, v in zip(contest.criteria.all(), values, strict=True)}


def test_a_score_is_the_weighted_rubric_on_a_hundred_point_scale(contest):
    criteria = list(contest.criteria.all())  # weights 40, 30, 30; each out of 10
    assert weighted_total(criteria, _scores(contest, 10, 5, 0)) == 55.0


def test_scores_are_checked_and_judging_must_be_open(contest, judges, make_entry, office_user):
    make_entry(approve_by=office_user)
    services.judges_assign(contest=contest, acting_user=office_user)
    assignment = judges[0].assignments.first() or judges[1].assignments.first()
    judge_user = assignment.judge.user
    with pytest.raises(ValidationError) as closed:
        services.assignment_score(
            assignment=assignment, acting_user=judge_user, scores=_scores(contest, 8, 8, 8)
        )
    assert closed.value.code == "closed"
    set_phase(contest, "judging")
    with pytest.raises(ValidationError) as bad:
        services.assignment_score(
            assignment=assignment, acting_user=judge_user, scores=_scores(contest, 11, "x", 5)
        )
    assert len(bad.value.message_dict) == 2
    done = services.assignment_score(
        assignment=assignment,
        acting_user=judge_user,
        scores=_scores(contest, 8, 7, 9),
        comment="节奏好",
    )
    assert done.total == pytest.approx(40 * 0.8 + 30 * 0.7 + 30 * 0.9)
    assert AuditEvent.objects.filter(event_type="contest.entry_scored").count() == 1


def test_the_worked_example_of_the_scoring_formula():
    """Judge A is strict and saw three entries, judge B lenient and saw two. Raw averages would
    put entry 1 (85) ahead of entry 2 (82.5); per-judge z-scores put entry 2 ahead: both judges
    placed it at or above their own average."""
    totals = {"A": {1: 80.0, 2: 70.0, 3: 60.0}, "B": {1: 90.0, 2: 95.0}}
    z = normalise_judges(totals)
    a = 10 / (200 / 3) ** 0.5  # A: mean 70, population sd 8.165 → z(80) = 1.2247
    assert z[1] == pytest.approx((a - 1) / 2)  # B: mean 92.5, sd 2.5 → z(90) = -1
    assert z[2] == pytest.approx((0 + 1) / 2)
    assert z[3] == pytest.approx(-a)
    scored = final_scores(z, {1: 100, 2: 20, 3: 50}, vote_weight=0.2)
    judge_1 = (z[1] - z[3]) / (z[2] - z[3]) * 100  # 77.53 on the 0–100 scale
    assert scored[1] == pytest.approx(
        (round(judge_1, 3), round(0.8 * judge_1 + 0.2 * 100, 3)), abs=1e-3
    )
    assert scored[2] == (100.0, 84.0)  # 0.8 × 100 + 0.2 × 20
    assert scored[3] == (0.0, 10.0)  # 0.8 × 0 + 0.2 × 50
    assert sorted(scored, key=lambda e: -scored[e][1]) == [2, 1, 3]


def test_a_judge_without_spread_adds_no_information():
    assert normalise_judges({"A": {1: 70.0, 2: 70.0}, "B": {1: 60.0}}) == {1: 0.0, 2: 0.0}


def test_ranking_awards_and_confirmation(contest, office_user, make_entry):
    e1, e2, e3 = (make_entry(approve_by=office_user) for _ in range(3))
    a = Judge.objects.create(contest=contest, user=UserFactory(username="ja"))
    b = Judge.objects.create(contest=contest, user=UserFactory(username="jb"))
    for judge, totals in ((a, {e1: 80, e2: 70, e3: 60}), (b, {e1: 90, e2: 95})):
        for entry, total in totals.items():
            Assignment.objects.create(entry=entry, judge=judge, total=total)
    for entry, votes in ((e1, 100), (e2, 20), (e3, 50)):
        Entry.objects.filter(pk=entry.pk).update(vote_count=votes)
    ranking = services.contest_rank(contest=contest, acting_user=office_user)
    ranked = ranking[e1.category_id]
    assert [e.pk for e in ranked] == [e2.pk, e1.pk, e3.pk]
    assert [e.award for e in ranked] == ["first", "second", ""]
    assert ranked[0].final_score == 84.0
    # Too early to confirm while judging and voting are open.
    with pytest.raises(ValidationError) as early:
        services.awards_confirm(contest=contest, acting_user=office_user)
    assert early.value.code == "too_early"
    services.entry_award_set(entry=e3, acting_user=office_user, level="excellence")
    set_phase(contest, "results")
    services.awards_confirm(contest=contest, acting_user=office_user)
    with pytest.raises(ValidationError):
        services.entry_award_set(entry=e3, acting_user=office_user, level="")
    page = Client().get(reverse("contest:results", args=[contest.slug])).content.decode()
    assert page.index(e2.title) < page.index(e1.title) and e3.title in page
    api = Client().get(f"/api/contests/{contest.slug}/results").json()
    assert [row["id"] for row in api][:2] == [e2.pk, e1.pk]


def test_results_stay_hidden_until_confirmed(contest, approved):
    set_phase(contest, "results")
    assert Client().get(f"/api/contests/{contest.slug}/results").json() == []


def test_ranking_is_for_the_office(contest, staff_user, office_client):
    with pytest.raises(PermissionDenied):
        services.contest_rank(contest=contest, acting_user=staff_user)
    client = Client()
    client.force_login(staff_user)
    assert client.get(reverse("contest_office:ranking", args=[contest.slug])).status_code == 403
    assert (
        office_client.get(reverse("contest_office:ranking", args=[contest.slug])).status_code == 200
    )


def test_the_office_sees_each_judges_progress(
    contest, judges, make_entry, office_user, office_client
):
    make_entry(approve_by=office_user)
    services.judges_assign(contest=contest, acting_user=office_user)
    set_phase(contest, "judging")
    assignment = Assignment.objects.first()
    services.assignment_score(
        assignment=assignment,
        acting_user=assignment.judge.user,
        scores=_scores(contest, 5, 5, 5),
    )
    page = office_client.get(
        reverse("contest_office:contest", args=[contest.slug])
    ).content.decode()
    assert f'data-testid="scored-{assignment.judge_id}">1 / 1' in page
