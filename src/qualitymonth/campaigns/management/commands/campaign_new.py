from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qualitymonth.campaigns.services import campaign_new_for_year
from qualitymonth.core.models import Region


class Command(BaseCommand):
    help = (
        "Create an empty campaign for another year, carrying over units, focus areas and domains."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--region", help="Region code (GB/T 2260), e.g. 350200; default: the latest campaign's."
        )

    def handle(self, *args, year: int, region: str | None, **options):
        region_obj = None
        if region:
            region_obj = Region.objects.filter(code=region).first()
            if region_obj is None:
                raise CommandError(f"No region with code {region}.")
        try:
            campaign = campaign_new_for_year(year=year, region=region_obj)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {campaign} ({campaign.starts_on} – {campaign.ends_on}), slug {campaign.slug}."
            )
        )
