"""Seats under concurrent writes: real threads, real transactions (SQLite file or PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections

from qualitymonth.campaigns import services
from qualitymonth.campaigns.models import Registration
from tests.factories import ActivityFactory, CampaignFactory, RegistrationFactory, UnitFactory

R = Registration.Status


def _run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def wrap(job):
        try:
            barrier.wait()
            job()
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_cancellations_promote_two_different_people():
    campaign = CampaignFactory()
    activity = ActivityFactory(
        campaign=campaign, organiser=UnitFactory(region=campaign.region), capacity=2
    )
    holders = RegistrationFactory.create_batch(2, activity=activity)
    waiting = [
        RegistrationFactory(activity=activity, status=R.WAITLISTED, waitlist_position=i + 1)
        for i in range(3)
    ]
    errors = _run_together(
        *(lambda r=r: services.registration_cancel(registration=r) for r in holders)
    )
    assert errors == []
    statuses = {r.pk: r.status for r in Registration.objects.filter(activity=activity)}
    assert [statuses[w.pk] for w in waiting] == [R.CONFIRMED, R.CONFIRMED, R.WAITLISTED]
    assert list(statuses.values()).count(R.CONFIRMED) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overbook():
    campaign = CampaignFactory()
    activity = ActivityFactory(
        campaign=campaign, organiser=UnitFactory(region=campaign.region), capacity=3
    )
    jobs = [
        (
            lambda n=n: services.registration_create(
                activity=activity, name=f"市民{n}", mobile=f"1370000{n:04d}"
            )
        )
        for n in range(8)
    ]
    errors = _run_together(*jobs)
    assert errors == []
    assert Registration.objects.filter(activity=activity, status=R.CONFIRMED).count() == 3
    positions = list(
        Registration.objects.filter(activity=activity, status=R.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    )
    assert sorted(positions) == [1, 2, 3, 4, 5]
