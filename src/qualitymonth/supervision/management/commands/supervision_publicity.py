"""`qualitymonth supervision-publicity expire`: take penalty records whose publicity period has
ended off the public site (and the typical cases written from them). Run daily by a scheduler;
running it twice changes nothing more."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from qualitymonth.supervision.services.publicity import publicity_expire


class Command(BaseCommand):
    help = "expire: remove penalty publicity past its period from the public site."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["expire"])
        parser.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, action: str, today: str | None = None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD.") from None
        ended = publicity_expire(day)
        self.stdout.write(f"penalty publicity ended: {ended}")
