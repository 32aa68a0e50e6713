"""Demo of the supervision directories (directories.json), in the campaign's city: a market-
supervision unit per district with two inspector accounts each (insp-siming-1 …, the demo
password), 62 school canteens and 300 elevators across the six districts, the four check items,
eight product categories and four declared links, all written through the services.

Everything is invented and labelled （示例）: licence numbers start JY0 (no such category exists),
registration codes DEMO. Dates are placed around today: elevators were maintained within the last
30 days (some more than 15 days ago), a few certificates have expired. Loading again adds nothing.
"""

import datetime as dt
import json
import logging
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Membership, Region, Unit
from qualitymonth.supervision.models import (
    CheckItem,
    Inspector,
    ProductCategory,
    Subject,
    SubjectKind,
)
from qualitymonth.supervision.services import directories as services

DATA = Path(__file__).resolve().parent / "directories.json"
logger = logging.getLogger(__name__)
ELEVATORS_PER_DISTRICT = 50
ELEVATORS_PER_BUILDING = 5
BUILDING_SUFFIXES = ["大厦", "中心大厦", "广场大厦"]
RISK_CYCLE = ["B", "B", "A", "C", "B", "A", "B", "C", "D", "B"]


def read() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def _acting_user(campaign):
    membership = (
        Membership.objects.filter(
            role=Membership.Role.CAMPAIGN_OFFICE,
            unit__region__in=campaign.region.ancestors_and_self(),
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


@transaction.atomic
def load(campaign) -> None:
    city = campaign.region
    office = _acting_user(campaign)
    if office is None:
        logger.warning("No office account for %s: the supervision directories are left out.", city)
        return
    data = read()
    districts = {r.code: r for r in Region.objects.filter(parent=city)}
    made = {
        "check_items": _check_items(city, data, office),
        "categories": _categories(city, data, office),
    }
    units = _units(city, districts, data)
    made["inspectors"] = _inspectors(city, units, districts, data, office)
    if Subject.objects.filter(
        region=city, kind__in=[SubjectKind.CANTEEN, SubjectKind.ELEVATOR]
    ).exists():
        made.update(canteens=0, elevators=0, links=0)
    else:
        canteens = _canteens(city, districts, units, data, office)
        elevators = _elevators(city, districts, units, data, office)
        made["canteens"] = sum(len(v) for v in canteens.values())
        made["elevators"] = sum(len(v) for v in elevators.values())
        made["links"] = _links(data, canteens, elevators, office)
    if any(made.values()):
        audit_record(
            actor=None, actor_label="seed-demo", event_type="demo.supervision_directories", **made
        )


def _check_items(city, data, office) -> int:
    made = 0
    for row in data["check_items"]:
        if CheckItem.objects.filter(region=city, code=row["code"]).exists():
            continue
        services.check_item_create(region=city, data=row, acting_user=office)
        made += 1
    return made


def _categories(city, data, office) -> int:
    made = 0
    for row in data["categories"]:
        if ProductCategory.objects.filter(region=city, code=row["code"]).exists():
            continue
        services.category_create(region=city, data=row, acting_user=office)
        made += 1
    return made


def _units(city, districts, data) -> dict[str, Unit]:
    """A market-supervision unit per district: an existing one, else the example's."""
    units = {}
    for row in data["units"]:
        district = districts.get(row["district"])
        if district is None:
            continue
        unit = (
            Unit.objects.filter(region=district, kind=Unit.Kind.MARKET_SUPERVISION)
            .order_by("pk")
            .first()
        )
        if unit is None:
            unit, _created = Unit.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "short_name": row["short_name"],
                    "kind": Unit.Kind.MARKET_SUPERVISION,
                    "region": district,
                },
            )
        units[row["district"]] = unit
    return units


def _account(username: str, name: str):
    from qualitymonth.campaigns.demo.loader import DEMO_PASSWORD

    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _inspectors(city, units, districts, data, office) -> int:
    made = 0
    slugs = {row["district"]: row["slug"] for row in data["units"]}
    qualifications = data["inspector_qualifications"]
    for index, (code, unit) in enumerate(sorted(units.items())):
        names = data["inspector_names"][index % len(data["inspector_names"])]
        for number, name in enumerate(names, start=1):
            username = f"insp-{slugs[code]}-{number}"
            user = _account(username, f"{unit.short_name} {name}")
            if Inspector.objects.filter(user=user).exists():
                continue
            services.inspector_create(
                unit=unit,
                username=username,
                data={
                    "name": f"{name}（示例）",
                    "certificate_number": f"DEMO-ZF-{code}-{number:02d}",
                    "qualifications": qualifications[(index + number) % len(qualifications)],
                    # The first of each unit goes anywhere in the city, the second stays home.
                    "kinds": SubjectKind.values if number == 1 else ["canteen", "elevator"],
                    "districts": [] if number == 1 else [districts[code]],
                },
                acting_user=office,
            )
            made += 1
    # The campaign demo's own inspector account (市市场监管局), so its journeys can be drawn.
    own = (
        Membership.objects.filter(
            user__username="inspector", role=Membership.Role.INSPECTOR, unit__region=city
        )
        .select_related("unit")
        .first()
    )
    if own is not None and not Inspector.objects.filter(user_id=own.user_id).exists():
        services.inspector_create(
            unit=own.unit,
            username="inspector",
            data={
                "name": "郑队员（示例）",
                "certificate_number": "DEMO-ZF-350200-01",
                "qualifications": qualifications[0],
                "kinds": SubjectKind.values,
                "districts": [],
            },
            acting_user=office,
        )
        made += 1
    return made


def _operators(city) -> list:
    from qualitymonth.enterprises.models import Enterprise

    return list(
        Enterprise.objects.filter(region=city, main_products__contains="学校食堂").order_by("pk")
    )


def _canteens(city, districts, units, data, office) -> dict[str, list[Subject]]:
    operators = _operators(city)
    made: dict[str, list[Subject]] = {}
    n = 0
    for code, stems in sorted(data["school_stems"].items()):
        district = districts.get(code)
        if district is None:
            continue
        rows = [
            (f"（示例）{stem}{suffix}", kind, "学生食堂")
            for stem, (kind, suffix) in zip(stems, data["school_kinds"], strict=False)
        ]
        if code in data["universities"]:
            rows.append((data["universities"][code], "university", "第一食堂"))
        for school, kind, canteen in rows:
            n += 1
            # Secondary schools and universities often contract a catering company.
            operator = (
                operators[n % len(operators)]
                if operators and kind in ("secondary", "university")
                else None
            )
            subject = services.subject_create(
                region=city,
                kind=SubjectKind.CANTEEN,
                data={
                    "school": school,
                    "school_kind": kind,
                    "canteen": canteen,
                    "licence_number": f"JY0{code}{n:07d}",
                    "district": district,
                    "address": f"（示例）{district.name}{school.removeprefix('（示例）')}校内",
                    "risk_grade": RISK_CYCLE[n % len(RISK_CYCLE)],
                    "enterprise": operator,
                    "supervising_unit": units.get(code),
                },
                acting_user=office,
            )
            made.setdefault(code, []).append(subject)
    return made


def _elevators(city, districts, units, data, office) -> dict[str, list[Subject]]:
    today = timezone.localdate()
    stems = data["building_stems"]
    properties = data["property_companies"]
    maintainers = data["maintenance_companies"]
    made: dict[str, list[Subject]] = {}
    n = 0
    building_index = 0
    for code in sorted(data["school_stems"]):
        district = districts.get(code)
        if district is None:
            continue
        for start in range(0, ELEVATORS_PER_DISTRICT, ELEVATORS_PER_BUILDING):
            stem = stems[building_index % len(stems)]
            suffix = BUILDING_SUFFIXES[(building_index // len(stems)) % len(BUILDING_SUFFIXES)]
            building = f"（示例）{stem}{suffix}"
            building_index += 1
            for lift in range(1, ELEVATORS_PER_BUILDING + 1):
                n += 1
                expires = today + dt.timedelta(days=(n * 53) % 360 - 10)
                subject = services.subject_create(
                    region=city,
                    kind=SubjectKind.ELEVATOR,
                    data={
                        "registration_code": f"DEMO{code}{n:05d}",
                        "building": building,
                        "name": f"{building} {lift}号梯",
                        "user_unit": properties[building_index % len(properties)],
                        "maintenance_company": maintainers[(start + n) % len(maintainers)],
                        "last_maintained_on": today - dt.timedelta(days=(n * 7) % 30),
                        "certificate_number": f"DEMO-TJ-{n:05d}",
                        "certificate_expires_on": expires,
                        "district": district,
                        "address": f"（示例）{district.name}{stem}路{building_index}号",
                        "supervising_unit": units.get(code),
                    },
                    acting_user=office,
                )
                made.setdefault(code, []).append(subject)
    return made


def _links(data, canteens, elevators, office) -> int:
    made = 0
    for row in data["links"]:
        inspector = Inspector.objects.filter(user__username=row["inspector"]).first()
        pool = canteens if "canteen" in row else elevators
        subjects = pool.get(row["district"], [])
        index = row.get("canteen", row.get("elevator", 0))
        if inspector is None or index >= len(subjects):
            continue
        services.link_declare(
            inspector=inspector,
            subject=subjects[index],
            reason=row["reason"],
            note=row["note"],
            acting_user=office,
        )
        made += 1
    return made
