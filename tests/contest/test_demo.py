import pytest
from django.test import Client

from qualitymonth.campaigns.demo.loader import load_demo
from qualitymonth.contest.demo.loader import load
from qualitymonth.contest.models import Contest, Entry, Phase, Vote
from qualitymonth.core.video import container_kind

pytestmark = pytest.mark.django_db


def test_the_demo_contest_is_in_its_voting_phase_with_real_entries():
    campaign = load_demo().campaign
    load(campaign)
    load(campaign)  # idempotent
    contest = Contest.objects.get()
    assert contest.phase() == Phase.VOTING
    approved = Entry.objects.filter(status=Entry.Status.APPROVED)
    assert approved.count() >= 12
    assert Entry.objects.filter(status=Entry.Status.PENDING).exists()
    for entry in approved:
        with entry.video.open("rb") as video:
            assert container_kind(video.read(16)) == "mp4"
        assert entry.vote_count == Vote.objects.filter(entry=entry, voided_at=None).count()
    # Judges were assigned by the service, so no one judges an entry of their own unit.
    for entry in approved.exclude(unit=None):
        for assignment in entry.assignments.select_related("judge"):
            units = set(assignment.judge.user.memberships.values_list("unit", flat=True))
            assert entry.unit_id not in units
    assert Vote.objects.exclude(flagged="").exists()
    assert Client().get(contest.get_absolute_url()).status_code == 200
