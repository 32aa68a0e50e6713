"""`qualitymonth report campaign --campaign SLUG --out FILE.docx`: the end-of-campaign Word report.

The same document the office's "Write the report" button gives, written in the foreground (for
a script, or when no worker runs). The figures stop at the campaign's last day once it is over,
else today; --as-at sets another day (YYYY-MM-DD)."""

import datetime
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Reports. campaign: write the end-of-campaign Word report of a campaign "
        "(--campaign SLUG --out FILE.docx). 质量月活动总结报告。"
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        campaign = subcommands.add_parser(
            "campaign", help="Write the end-of-campaign report (.docx) of one campaign."
        )
        campaign.add_argument("--campaign", required=True, help="The campaign's slug")
        campaign.add_argument("--out", required=True, help="The .docx file to write")
        campaign.add_argument(
            "--as-at", dest="as_at", help="The day the figures stop at (YYYY-MM-DD)"
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "campaign":
            self.verbosity = options["verbosity"]
            return self._campaign(options["campaign"], options["out"], options.get("as_at"))
        raise CommandError(f"Unknown subcommand {subcommand!r}.")

    def _campaign(self, slug: str, out: str, as_at: str | None) -> None:
        from qualitymonth.campaigns.models import Campaign
        from qualitymonth.dashboard.report import report_as_at, write_report

        campaign = Campaign.objects.select_related("region", "lead_unit").filter(slug=slug).first()
        if campaign is None:
            known = ", ".join(
                Campaign.objects.order_by("-year").values_list("slug", flat=True)[:10]
            )
            raise CommandError(f"No campaign {slug!r}. Known campaigns: {known or 'none'}.")
        today = None
        if as_at:
            try:
                today = datetime.date.fromisoformat(as_at)
            except ValueError:
                raise CommandError(f"--as-at {as_at!r} is not a date (YYYY-MM-DD).") from None
        path = Path(out)
        if path.suffix.lower() != ".docx":
            raise CommandError(f"{out}: the report is a Word file; name it ….docx.")
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise CommandError(f"Cannot write {out}: the folder {folder} does not exist.")
        if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise CommandError(f"Cannot write {out}: permission denied.")

        def progress(percent: int, step: str) -> None:
            if self.verbosity > 1:
                self.stdout.write(f"{percent:3d}% {step}")

        try:
            write_report(campaign, path, today=today, progress=progress)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror or error}") from None
        self.stdout.write(
            f"{path}: report of {campaign.slug}, figures as at "
            f"{report_as_at(campaign, today).isoformat()}"
        )
