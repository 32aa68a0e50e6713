"""`qualitymonth calendar workdays-after DATE N` and `qualitymonth calendar is-workday DATE`:
check a statutory deadline by hand."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from qualitymonth.core import workdays


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Chinese working days: the N-th working day after a date, or whether a day is one."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        after = actions.add_parser(
            "workdays-after", help="the N-th working day after DATE (DATE itself not counted)"
        )
        after.add_argument("date")
        after.add_argument("n")
        check = actions.add_parser("is-workday", help="whether DATE is a working day")
        check.add_argument("date")

    def handle(self, *args, action: str, date: str, **options):
        day = _date(date)
        if action == "is-workday":
            self.stdout.write("yes" if workdays.is_workday(day) else "no")
            end = day
        else:
            raw = options["n"]
            if not raw.isdigit() or int(raw) > 3650:
                raise CommandError(f"N must be a whole number from 0 to 3650, not “{raw}”.")
            end = workdays.add_workdays(day, int(raw))
            self.stdout.write(end.isoformat())
        warning = workdays.fallback_warning(day, end)
        if warning:
            self.stderr.write(warning)
