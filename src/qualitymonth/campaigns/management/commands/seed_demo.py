from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from qualitymonth.campaigns.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the Xiamen 2022 demo campaign (idempotent). 载入厦门2022年质量月演示数据。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-reported",
            action="store_true",
            help="Use the report's own dates (September 2022) instead of placing the month around today.",
        )
        parser.add_argument(
            "--quiet-accounts", action="store_true", help="Do not print the demo accounts."
        )

    def handle(self, *args, as_reported: bool, quiet_accounts: bool, **options):
        result = load_demo(as_reported=as_reported)
        campaign = result.campaign
        # Each capability adds its own demo content to the campaign (quiz, contest, …), and may
        # name the accounts it adds (DEMO_ACCOUNTS beside its loader) for the list printed below.
        accounts = list(result.accounts)
        for path in settings.QM_DEMO_LOADERS:
            loader = import_string(path)
            loader(campaign)
            accounts += getattr(import_module(loader.__module__), "DEMO_ACCOUNTS", [])
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {campaign}: {campaign.activities.count()} activities, "
                    f"{campaign.starts_on:%Y-%m-%d} – {campaign.ends_on:%Y-%m-%d}."
                )
            )
        else:
            self.stdout.write(
                f"Demo campaign already present ({campaign.starts_on:%Y-%m-%d} – {campaign.ends_on:%Y-%m-%d}); nothing changed."
            )
        if not quiet_accounts:
            self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
            for username, label in accounts:
                self.stdout.write(f"  {username:<20} {label}")
