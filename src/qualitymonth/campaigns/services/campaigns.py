"""Setting up a year's campaign."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qualitymonth.campaigns.models import Campaign, Domain, FocusArea
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.permissions import Action, policy


def campaign_slug(*, year: int, region: Region) -> str:
    return slugify(f"{year}-{region.code}")


@transaction.atomic
def campaign_create(
    *,
    acting_user,
    year: int,
    region: Region,
    theme: str,
    theme_en: str = "",
    slogan: str = "",
    description: str = "",
    starts_on: dt.date,
    ends_on: dt.date,
    lead_unit: Unit,
    co_organisers: list[Unit] | tuple = (),
    focus_areas: list[str] | tuple = (),
    domains: list[str] | tuple = (),
) -> Campaign:
    """Create a campaign with its focus areas and domains, in order: each a name, or a
    (code, name) or (code, name, English name) tuple."""
    if acting_user is not None:
        policy.require(acting_user, Action.CAMPAIGN_MANAGE, None)
        if not policy.office_covers(acting_user, region):
            raise ValidationError({"region": _("Your campaign office does not cover this region.")})
    if Campaign.objects.filter(region=region, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(region)s already has a campaign for %(year)s.")
                % {"region": region, "year": year}
            }
        )
    campaign = Campaign(
        year=year,
        region=region,
        theme=theme.strip(),
        theme_en=theme_en.strip(),
        slogan=slogan.strip(),
        description=description.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        lead_unit=lead_unit,
        slug=campaign_slug(year=year, region=region),
    )
    campaign.full_clean()
    campaign.save()
    campaign.co_organisers.set([u for u in co_organisers if u.pk != lead_unit.pk])
    _create_named(FocusArea, campaign, focus_areas)
    _create_named(Domain, campaign, domains)
    audit_record(
        actor=acting_user,
        actor_label="" if acting_user else "system",
        event_type="campaign.create",
        target=campaign,
        year=year,
        region=region.code,
    )
    return campaign


def _create_named(model, campaign: Campaign, names) -> None:
    seen = set()
    for order, entry in enumerate(names):
        code, name, name_en = (*entry, "")[:3] if isinstance(entry, tuple) else (None, entry, "")
        name, name_en = name.strip(), name_en.strip()
        if not name or name in seen:
            continue
        seen.add(name)
        model.objects.create(
            campaign=campaign,
            code=code or f"{model.__name__.lower()}-{order + 1}",
            name=name,
            name_en=name_en,
            order=order,
        )


@transaction.atomic
def campaign_new_for_year(*, year: int, region: Region | None = None, acting_user=None) -> Campaign:
    """An empty campaign for another year, carrying over the units, focus areas and domains of
    the region's latest campaign, so the office only has to set the theme."""
    previous = (
        Campaign.objects.filter(**({"region": region} if region else {})).order_by("-year").first()
    )
    if previous is None:
        raise ValidationError(
            _(
                "There is no earlier campaign to start from; create the first one in the back office."
            )
        )
    return campaign_create(
        acting_user=acting_user,
        year=year,
        region=previous.region,
        theme=_("Quality Month %(year)s") % {"year": year},
        theme_en=f"Quality Month {year}",
        slogan=previous.slogan,
        starts_on=dt.date(year, 9, 1),
        ends_on=dt.date(year, 9, 30),
        lead_unit=previous.lead_unit,
        co_organisers=list(previous.co_organisers.all()),
        focus_areas=[(f.code, f.name, f.name_en) for f in previous.focus_areas.all()],
        domains=[(d.code, d.name, d.name_en) for d in previous.domains.all()],
    )
