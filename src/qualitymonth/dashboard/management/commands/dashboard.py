"""`qualitymonth dashboard refresh|rebuild`: keeping the dashboard's facts up to date.

refresh: rebuild the partitions marked stale since the last run (a scheduler runs it every
minute, so the large screen is at most a minute behind even when nobody opens the office's
dashboard, which refreshes its own campaign before reading). rebuild: recompute every fact of a
campaign from the raw rows (after a bulk load, or when a provider changes what it counts)."""

import time

from django.core.management.base import BaseCommand, CommandError

from qualitymonth.campaigns.models import Campaign
from qualitymonth.dashboard import facts


class Command(BaseCommand):
    help = (
        "refresh: rebuild the facts marked stale (run every minute by a scheduler). "
        "rebuild --campaign SLUG: recompute every fact of a campaign from the raw rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh", "rebuild"])
        parser.add_argument("--campaign", help="the campaign's slug (rebuild; refresh: optional)")
        parser.add_argument(
            "--source", action="append", help="rebuild only this source (repeatable)"
        )

    def handle(self, *args, action: str, campaign: str | None, source, **options):
        chosen = None
        if campaign:
            chosen = Campaign.objects.filter(slug=campaign).first()
            if chosen is None:
                raise CommandError(f"No campaign with the slug {campaign!r}.")
        started = time.monotonic()
        if action == "refresh":
            done = facts.refresh(chosen)
        else:
            if chosen is None:
                raise CommandError("rebuild needs --campaign SLUG.")
            done = facts.rebuild_all(chosen, sources=source)
        self.stdout.write(f"{done} partitions rebuilt in {time.monotonic() - started:.1f} s")
