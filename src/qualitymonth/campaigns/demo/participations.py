"""Demo of campaign participation: three invented associations (participations.json, names with
示例) that applied, were accepted by the campaign office, and have their activities planned,
submitted, approved and published through the services, each with its own manager account.

Codes are `51` + the district + `MADEM` + a number + the right check character, like the demo
enterprises' `91…MADEM…`: valid in form, never a real organisation's. Loading again adds nothing.
"""

import datetime as dt
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qualitymonth.campaigns.models import Campaign, Participation
from qualitymonth.campaigns.services import activities as activity_services
from qualitymonth.campaigns.services import participation as services
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Membership, Region
from qualitymonth.core.validators import uscc_check_character

DATA = Path(__file__).resolve().parent / "participations.json"


def read() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def demo_uscc(row: dict) -> str:
    body = f"51{row['district']}MADEM{row['key']:04d}"
    return body + uscc_check_character(body)


def _user(username: str, name: str):
    from qualitymonth.campaigns.demo.loader import DEMO_PASSWORD  # the loader imports this module

    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _office_user(campaign: Campaign):
    membership = (
        Membership.objects.filter(
            role=Membership.Role.CAMPAIGN_OFFICE,
            unit__region__in=campaign.region.ancestors_and_self(),
        )
        .select_related("user")
        .first()
    )
    if membership is not None:
        return membership.user
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def _apply(campaign: Campaign, row: dict, applicant) -> Participation:
    fields = {
        "kind": row["kind"],
        "name": row["name"],
        "uscc": demo_uscc(row),
        "district": Region.objects.filter(code=row["district"]).first(),
        "contact_name": row["contact_name"],
        "contact_mobile": row["contact_mobile"],
        "plan": row["plan"],
    }
    if campaign.ends_on >= timezone.localdate():
        return services.participation_apply(campaign=campaign, acting_user=applicant, **fields)
    # A campaign loaded on its own past dates (--as-reported) takes no applications any more:
    # the row is written as it was filed during the month.
    participation = Participation.objects.create(campaign=campaign, applicant=applicant, **fields)
    audit_record(actor=applicant, event_type="participation.apply", target=participation)
    return participation


def _activities(campaign: Campaign, unit, rows: list[dict], manager, office) -> None:
    focus = {f.code: f for f in campaign.focus_areas.all()}
    domains = {d.code: d for d in campaign.domains.all()}
    tz = timezone.get_current_timezone()
    for row in rows:
        hour, minute = (int(x) for x in row["start"].split(":"))
        day = min(campaign.starts_on + dt.timedelta(days=row["day"] - 1), campaign.ends_on)
        starts_at = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
        activity = activity_services.activity_create(
            acting_user=manager,
            campaign=campaign,
            organiser=unit,
            data={
                "title": row["title"],
                "summary": row["summary"],
                "description": row["description"],
                "domains": [domains[c] for c in row["domains"] if c in domains],
                "focus_area": focus.get(row["focus"]) or next(iter(focus.values())),
                "kind": row["kind"],
                "activity_type": row["type"],
                "starts_at": starts_at,
                "ends_at": starts_at + dt.timedelta(hours=row["hours"]),
                "district": unit.participations.filter(campaign=campaign).first().district,
                "venue": row["venue"],
                "capacity": row["capacity"],
            },
        )
        activity_services.activity_submit(acting_user=manager, activity=activity)
        activity_services.activity_approve(acting_user=office, activity=activity)
        activity_services.activity_publish(acting_user=office, activity=activity)


# Printed by seed-demo with the other demo accounts.
DEMO_ACCOUNTS = [
    ("association", "association manager / 参与协会管理员（厦门市示例质量协会）"),
]


@transaction.atomic
def load(campaign: Campaign) -> None:
    office = _office_user(campaign)
    if office is None:
        return
    rows = read()
    known = set(
        Participation.objects.filter(campaign=campaign, uscc__in=[demo_uscc(r) for r in rows])
        .exclude(status=Participation.Status.DECLINED)
        .values_list("uscc", flat=True)
    )
    for row in rows:
        if demo_uscc(row) in known:
            continue  # already there: keep whatever the office did with it since
        applicant = _user(row["username"], row["account_name"])
        participation = services.participation_accept(
            participation=_apply(campaign, row, applicant), acting_user=office
        )
        # The policy keeps a user's memberships on the object: read the new one.
        manager = get_user_model().objects.get(pk=applicant.pk)
        _activities(campaign, participation.unit, row["activities"], manager, office)
