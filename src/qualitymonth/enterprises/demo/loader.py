"""Demo enterprise registry: 200 invented Xiamen enterprises from enterprises.csv, owned by the
demo office's city, and the demo `enterprise` account, an approved member of one of them; then
the one-stop service's demo (one_stop.py: catalogue, providers, the `provider` account, needs).

Every invented name carries 示例 ("example"). Five rows are the businesses the demo complaints
name (complaints/demo/cases.py), under those cases' own names and codes, so the registry's
enterprise page has complaints on its timeline.
"""

import csv
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qualitymonth.campaigns.demo.loader import DEMO_PASSWORD
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Membership, Region
from qualitymonth.enterprises.demo import excellence, one_stop, programmes, trainings
from qualitymonth.enterprises.models import Claim, Enterprise, EnterpriseMember, Industry
from qualitymonth.enterprises.reference import load_industries

DATA = Path(__file__).resolve().parent / "enterprises.csv"
ACCOUNT = "enterprise"
ACCOUNT_NAME = "示例精工 黄经理"
# 厦门示例精工机械有限公司: a machinery maker with its own weighing instruments to calibrate.
ACCOUNT_ENTERPRISE = "91350211MADEM00012"
FLAGS = ("is_key_industry", "is_sme", "is_specialised")


def read_enterprises() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# Printed by seed-demo with the other demo accounts.
DEMO_ACCOUNTS = [
    ("enterprise", "enterprise user / 企业用户（厦门示例精工机械有限公司）"),
    ("provider", "provider staff / 服务机构人员（示例市计量检定测试院）"),
]


@transaction.atomic
def load(campaign) -> None:
    # Databases migrated before the industries' data migration existed, and tests that flush
    # tables, have no industries yet: the registry's rows point at them.
    load_industries()
    region = _office_region(campaign)
    rows = read_enterprises()
    industries = {i.code: i for i in Industry.objects.filter(section__isnull=False)}
    districts = _districts(region, rows)
    known = set(
        Enterprise.objects.filter(uscc__in=[r["uscc"] for r in rows]).values_list("uscc", flat=True)
    )
    created = 0
    for row in rows:
        # An enterprise already there keeps what the office has changed since.
        if row["uscc"] in known:
            continue
        Enterprise(
            region=region,
            uscc=row["uscc"],
            name=row["name"],
            legal_representative=row["legal_representative"],
            registered_address=row["registered_address"],
            operating_address=row["operating_address"],
            district=districts[row["district_code"]],
            industry=industries.get(row["industry"]),
            size=row["size"],
            main_products=row["main_products"],
            contact_name=row["contact_name"],
            contact_mobile=row["contact_mobile"],
            **{flag: row[flag] == "1" for flag in FLAGS},
        ).save()
        created += 1
    member_added = _account()
    # The one-stop service: catalogue, providers, the `provider` account, 40 needs (h15).
    one_stop.load(region, enterprise_account=ACCOUNT)
    # The reviewers of the self-assessments are one_stop's expert accounts.
    excellence.load(campaign)
    trainings.load(campaign)
    programmes.load(campaign)
    if created or member_added:
        audit_record(
            actor=None,
            actor_label="seed-demo",
            event_type="demo.enterprises",
            enterprises=created,
            account=ACCOUNT if member_added else "",
        )


def _office_region(campaign) -> Region:
    """The demo office's city owns the registry, so the office sees every demo enterprise."""
    membership = (
        Membership.objects.filter(user__username="office", role=Membership.Role.CAMPAIGN_OFFICE)
        .select_related("unit__region")
        .first()
    )
    return membership.unit.region if membership else campaign.region


def _districts(city: Region, rows: list[dict[str, str]]) -> dict[str, Region]:
    """Xiamen's six districts by code; the campaign demo usually made them already."""
    districts = {}
    for row in rows:
        code = row["district_code"]
        if code not in districts:
            districts[code], _ = Region.objects.get_or_create(
                code=code,
                defaults={"name": row["district"], "level": Region.Level.DISTRICT, "parent": city},
            )
    return districts


def _account() -> bool:
    """The demo enterprise user, approved by the office for its company; True if added now."""
    user, created = get_user_model().objects.get_or_create(
        username=ACCOUNT, defaults={"first_name": ACCOUNT_NAME}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    enterprise = Enterprise.objects.get(uscc=ACCOUNT_ENTERPRISE)
    _member, added = EnterpriseMember.objects.get_or_create(enterprise=enterprise, user=user)
    if added and not Claim.objects.filter(enterprise=enterprise, user=user).exists():
        # The approved claim the membership came from, as the office would have decided it.
        office = get_user_model().objects.filter(username="office").first()
        claim = Claim(
            enterprise=enterprise,
            user=user,
            mobile=enterprise.contact_mobile,
            position="质量部经理",
            status=Claim.Status.APPROVED,
            decided_by=office,
            decided_at=timezone.now(),
        )
        claim.licence.save("demo-licence.png", _licence_image(), save=False)
        claim.save()
    return added


def _licence_image() -> ContentFile:
    """A blank stand-in for the business licence scan: the demo ships no picture files."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (420, 300), (236, 226, 200)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())
