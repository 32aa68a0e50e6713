"""`qualitymonth complaints remind|purge-personal-data|synth`: upkeep a scheduler runs, and
synthetic data for scale tests."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qualitymonth.complaints import services


class Command(BaseCommand):
    help = (
        "remind: tell each unit about its overdue and due-soon cases (run daily by a scheduler). "
        "purge-personal-data: remove personal data of cases finished (in any final status) longer "
        "than the retention period. synth: fill the database with synthetic cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind", "purge-personal-data", "synth"])
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            help="purge: retention in days after a case is finished (default COMPLAINT_RETENTION_DAYS)",
        )
        parser.add_argument("--n", type=int, default=1000, help="synth: how many cases")
        parser.add_argument("--seed", type=int, default=2022, help="synth: random seed")
        parser.add_argument("--batch", type=int, default=5000, help="synth: rows per insert")
        parser.add_argument(
            "--start",
            type=datetime.date.fromisoformat,
            default=None,
            help="synth: first day cases are received (YYYY-MM-DD; default a year ago)",
        )
        parser.add_argument("--days", type=int, default=365, help="synth: days received over")

    def handle(self, *args, action: str, **options):
        if action == "remind":
            from qualitymonth.complaints.reminders import remind_units

            for line in remind_units():
                self.stdout.write(line)
        elif action == "purge-personal-data":
            days = options["older_than_days"]
            days = settings.QM_COMPLAINT_RETENTION_DAYS if days is None else days
            if days < 30:
                raise CommandError("Keep finished cases at least 30 days (--older-than-days).")
            total = 0
            while cleaned := services.personal_data_purge(older_than_days=days):
                total += cleaned
            self.stdout.write(f"personal data removed from {total} cases finished > {days} days")
        else:
            from qualitymonth.complaints.synth import synthesize

            if options["n"] < 1 or options["days"] < 1:
                raise CommandError("--n and --days must be at least 1.")
            synthesize(
                n=options["n"],
                seed=options["seed"],
                batch=options["batch"],
                start=options["start"],
                days=options["days"],
                progress=lambda text: self.stderr.write(text),
            )
