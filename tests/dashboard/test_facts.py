"""The facts machinery with a provider of its own: marks in the changing transaction, rebuilt
before a read, true after creates, updates and deletes."""

import datetime

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from qualitymonth.campaigns.models import Registration
from qualitymonth.core import figures
from qualitymonth.dashboard import facts
from qualitymonth.dashboard.figures import View
from qualitymonth.dashboard.models import Fact, Stale
from tests.factories import ActivityFactory, CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

SOURCE = "test-registrations"


class CountingProvider(figures.Provider):
    key = "test-counting"
    sources = (SOURCE,)

    def watches(self):
        def partitions(registration):
            activity = registration.activity
            # The local day, as the database's __date lookup sees it (not the UTC date).
            yield SOURCE, activity.campaign_id, timezone.localdate(registration.created_at)

        return [figures.Watch(Registration, partitions)]

    def rebuild(self, source, campaign, day):
        rows = (
            Registration.objects.filter(activity__campaign=campaign, created_at__date=day)
            .values("activity__organiser_id", "activity__district_id")
            .annotate(n=Count("pk"), hits=Count("pk", filter=Q(checked_in_at__isnull=False)))
        )
        return [
            figures.FactRow(
                unit_id=r["activity__organiser_id"],
                district_id=r["activity__district_id"],
                count=r["n"],
                hits=r["hits"],
            )
            for r in rows
        ]


@pytest.fixture
def provider():
    provider = CountingProvider()
    figures.register(provider)
    receiver_count = len(facts._receivers)
    facts.connect_watches()
    yield provider
    figures._providers.pop(provider.key)
    from django.db.models.signals import post_delete, post_save

    for number, _watch in enumerate(provider.watches()):
        uid = f"dashboard-{provider.key}-{number}"
        post_save.disconnect(sender=Registration, dispatch_uid=f"{uid}-save")
        post_delete.disconnect(sender=Registration, dispatch_uid=f"{uid}-delete")
    del facts._receivers[receiver_count:]


def totals(campaign):
    facts.refresh(campaign)
    view = View(campaign=campaign, today=campaign.ends_on)
    row = view.fact_totals(SOURCE).get()
    return row["n"], row["hits"]


def test_facts_follow_creates_updates_and_deletes(provider):
    campaign = CampaignFactory(
        starts_on=datetime.date(2031, 9, 1), ends_on=datetime.date(2031, 9, 30)
    )
    activity = ActivityFactory(campaign=campaign)
    registrations = RegistrationFactory.create_batch(3, activity=activity)
    assert Stale.objects.filter(source=SOURCE).exists()
    day = timezone.localdate(registrations[0].created_at)
    view = View(campaign=campaign, since=day, until=day)
    facts.refresh(campaign)
    assert not Stale.objects.filter(source=SOURCE).exists()
    assert view.fact_totals(SOURCE).get()["n"] == 3

    registrations[0].checked_in_at = registrations[0].created_at
    registrations[0].save()
    registrations[1].delete()
    facts.refresh(campaign)
    row = view.fact_totals(SOURCE).get()
    assert (row["n"], row["hits"]) == (2, 1)
    assert Fact.objects.filter(source=SOURCE).count() == 1


def test_a_failed_rebuild_keeps_its_mark(provider, monkeypatch):
    campaign = CampaignFactory()
    RegistrationFactory(activity=ActivityFactory(campaign=campaign))

    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(provider, "rebuild", broken)
    with pytest.raises(RuntimeError):
        facts.refresh(campaign)
    assert Stale.objects.filter(source=SOURCE, campaign=campaign).exists()


def test_the_command_rebuilds_a_campaign_and_refuses_an_unknown_one(provider):
    from django.core.management import CommandError, call_command

    campaign = CampaignFactory(
        starts_on=datetime.date(2031, 9, 1), ends_on=datetime.date(2031, 9, 3)
    )
    activity = ActivityFactory(campaign=campaign)
    registration = RegistrationFactory(activity=activity)
    # Dated in the campaign, without a signal: only a rebuild can see it.
    Registration.objects.filter(pk=registration.pk).update(
        created_at=datetime.datetime(2031, 9, 2, 10, tzinfo=datetime.UTC)
    )
    registration.refresh_from_db()
    Fact.objects.all().delete()
    Stale.objects.all().delete()
    call_command("dashboard", "rebuild", "--campaign", campaign.slug, "--source", SOURCE)
    day = timezone.localdate(registration.created_at)
    view = View(campaign=campaign, since=day, until=day)
    assert view.fact_totals(SOURCE).get()["n"] == 1
    with pytest.raises(CommandError, match="No campaign"):
        call_command("dashboard", "rebuild", "--campaign", "no-such-campaign")


def test_the_worker_task_rebuilds_what_is_stale(provider):
    from qualitymonth.dashboard.tasks import refresh_figures

    campaign = CampaignFactory()
    RegistrationFactory(activity=ActivityFactory(campaign=campaign))
    assert Stale.objects.filter(source=SOURCE).exists()
    refresh_figures.enqueue()  # the immediate backend runs it now
    assert not Stale.objects.filter(source=SOURCE).exists()
    assert Fact.objects.filter(source=SOURCE, campaign=campaign).exists()


def test_a_failing_rebuild_stops_the_office_but_not_the_public_page(provider, monkeypatch):
    from qualitymonth.dashboard.figures import compose

    campaign = CampaignFactory()
    RegistrationFactory(activity=ActivityFactory(campaign=campaign))

    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(provider, "rebuild", broken)
    compose(campaign, public=True)  # what the facts say, the worker catches up later
    with pytest.raises(RuntimeError):
        compose(campaign)
    assert Stale.objects.filter(source=SOURCE, campaign=campaign).exists()


def test_with_a_worker_the_office_may_read_without_rebuilding(provider, settings):
    from qualitymonth.dashboard.figures import compose

    settings.QM_DASHBOARD_REFRESH_ON_READ = False
    campaign = CampaignFactory()
    RegistrationFactory(activity=ActivityFactory(campaign=campaign))
    compose(campaign)
    assert Stale.objects.filter(source=SOURCE, campaign=campaign).exists()  # the worker's job
