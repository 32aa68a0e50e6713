"""Keeping the facts true: partitions marked stale as rows change, rebuilt from the raw rows.

A save or delete of a watched model (core.figures.Watch) or an explicit `mark_changed` marks the
partition (campaign, source, day) stale in the same transaction, so a rolled-back change marks
nothing and a committed one is never missed. `refresh` rebuilds stale partitions: the worker
runs it every minute (`qualitymonth dashboard refresh`) and the dashboard runs it for its
campaign before it reads, so figures are never behind what has been committed.
"""

import datetime
import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from qualitymonth.core import figures
from qualitymonth.dashboard.models import Fact, Stale

log = logging.getLogger(__name__)


def mark(partitions) -> None:
    """Mark (source, campaign id, day) partitions stale; marking again refreshes the time."""
    now = timezone.now()
    Stale.objects.bulk_create(
        [
            Stale(campaign_id=campaign_id, source=source, day=day, marked_at=now)
            for source, campaign_id, day in sorted(partitions, key=str)
        ],
        update_conflicts=True,
        unique_fields=["campaign", "source", "day"],
        update_fields=["marked_at"],
    )


def _on_changed(sender, partitions, **kwargs) -> None:
    mark(partitions)


def _watch_receiver(watch: figures.Watch):
    def receiver(sender, instance, **kwargs):
        if kwargs.get("raw"):  # loaddata: the demo loader rebuilds everything afterwards
            return
        partitions = {p for p in watch.partitions(instance) if p[1] and p[2]}
        if partitions:
            mark(partitions)

    return receiver


_receivers = []  # signals hold weak references: keep ours alive


def connect_watches() -> None:
    figures.changed.connect(_on_changed, dispatch_uid="dashboard-figures-changed")
    for provider in figures.providers():
        for number, watch in enumerate(provider.watches()):
            receiver = _watch_receiver(watch)
            _receivers.append(receiver)
            uid = f"dashboard-{provider.key}-{number}"
            post_save.connect(receiver, sender=watch.model, dispatch_uid=f"{uid}-save")
            post_delete.connect(receiver, sender=watch.model, dispatch_uid=f"{uid}-delete")


def rebuild_partition(campaign, source: str, day: datetime.date) -> int:
    """Replace the facts of one partition by what the raw rows say now. Returns the row count."""
    provider = figures.provider_for_source(source)
    rows = provider.rebuild(source, campaign, day)
    with transaction.atomic():
        Fact.objects.filter(campaign=campaign, source=source, day=day).delete()
        Fact.objects.bulk_create(
            Fact(
                campaign=campaign,
                source=source,
                day=day,
                unit_id=row.unit_id,
                district_id=row.district_id,
                key=row.key[:60],
                subkey=row.subkey[:60],
                count=row.count,
                hits=row.hits,
                total=row.total,
            )
            for row in rows
            if row.count or row.hits or row.total
        )
    return len(rows)


def refresh(campaign=None, *, limit: int | None = None) -> int:
    """Rebuild stale partitions (of one campaign, or all). Returns how many were rebuilt.

    Each stale mark is taken in its own transaction and deleted before its partition is
    rebuilt: a change committed after that re-marks it, one committed before is read by the
    rebuild. On PostgreSQL a mark held by another refresher is skipped, not waited for."""
    from qualitymonth.campaigns.models import Campaign

    done = 0
    campaigns: dict[int, Campaign] = {}
    stale = Stale.objects.order_by("marked_at", "id")
    if campaign is not None:
        stale = stale.filter(campaign=campaign)
        campaigns[campaign.pk] = campaign
    for pk in list(stale.values_list("pk", flat=True)[: limit or None]):
        with transaction.atomic():
            taken = list(Stale.objects.select_for_update(skip_locked=True).filter(pk=pk)[:1])
            if not taken:
                continue
            partition = taken[0]
            partition.delete()
        if partition.campaign_id not in campaigns:
            campaigns[partition.campaign_id] = Campaign.objects.get(pk=partition.campaign_id)
        try:
            rebuild_partition(campaigns[partition.campaign_id], partition.source, partition.day)
        except Exception:
            # Put the mark back so the next refresh tries again, and say what failed.
            mark({(partition.source, partition.campaign_id, partition.day)})
            log.exception("Rebuilding %s %s failed", partition.source, partition.day)
            raise
        done += 1
    return done


def rebuild_all(campaign, sources=None) -> int:
    """Mark every partition of the campaign stale and rebuild them (after a bulk load, or when a
    provider changes what it counts)."""
    partitions = set()
    for provider in figures.providers():
        for source in provider.sources:
            if sources and source not in sources:
                continue
            partitions |= {(source, campaign.pk, day) for day in provider.days(source, campaign)}
    if partitions:
        mark(partitions)
    return refresh(campaign)
