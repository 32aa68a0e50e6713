"""Demo of the one-stop service: the catalogue (data/services.csv), 10 example institutions and 15
example experts (providers.csv), the demo `provider` account on the staff of the example metrology
institute, and 40 needs in every state (needs.json), some of them overdue.

Needs are written with the models directly, as if their steps had happened: every date is counted
in working days back from today, so the demo looks the same whichever day it is loaded. Loading
again adds only what is missing and keeps whatever the office changed since.
"""

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from qualitymonth.campaigns.demo.loader import DEMO_PASSWORD
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Membership, Region, Unit
from qualitymonth.core.workdays import add_workdays, is_workday
from qualitymonth.enterprises.models import (
    Deliverable,
    Enterprise,
    Need,
    Provider,
    ServiceType,
    Visit,
)
from qualitymonth.enterprises.reference import load_services

HERE = Path(__file__).resolve().parent
PROVIDERS = HERE / "providers.csv"
NEEDS = HERE / "needs.json"
UNIT_PREFIX = "demo-nqi-"
PROVIDER_ACCOUNT = "provider"
PROVIDER_ACCOUNT_NAME = "示例计量院 张工"
PROVIDER_INSTITUTION = "metrology"  # the provider account works for 示例市计量检定测试院


def read_providers() -> list[dict[str, str]]:
    with PROVIDERS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_needs() -> list[dict]:
    with NEEDS.open(encoding="utf-8") as handle:
        return json.load(handle)


def load(region: Region, *, enterprise_account: str) -> dict[str, int]:
    """Everything of the one-stop service the demo lacks; returns what was added."""
    added = {"service_types": load_services()}
    providers, added["providers"] = _providers(region)
    added["provider_account"] = int(_provider_account(providers[PROVIDER_INSTITUTION]))
    added["needs"] = _needs(region, providers, enterprise_account=enterprise_account)
    if any(added.values()):
        audit_record(actor=None, actor_label="seed-demo", event_type="demo.one_stop", **added)
    return added


def _demo_user(username: str, name: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _providers(region: Region) -> tuple[dict[str, Provider], int]:
    rows = read_providers()
    existing = {p.name: p for p in Provider.objects.filter(name__in=[r["name"] for r in rows])}
    types = {t.code: t for t in ServiceType.objects.all()}
    providers, created = {}, 0
    for row in rows:
        provider = existing.get(row["name"])
        if provider is None:
            provider = Provider(
                region=region,
                kind=row["kind"],
                name=row["name"],
                name_en=row["name_en"],
                specialties=row["specialties"],
            )
            if row["kind"] == Provider.Kind.INSTITUTION:
                provider.unit, _ = Unit.objects.get_or_create(
                    code=UNIT_PREFIX + row["key"],
                    defaults={
                        "name": row["name"],
                        "name_en": row["name_en"],
                        "kind": Unit.Kind.NQI,
                        "region": region,
                    },
                )
            else:
                provider.user = _demo_user(row["username"], row["person"])
            provider.save()
            # Only a new provider gets its service types: the office may have changed them.
            provider.service_types.set([types[code] for code in row["services"].split()])
            created += 1
        providers[row["key"]] = provider
    return providers, created


def _provider_account(institution: Provider) -> bool:
    user = _demo_user(PROVIDER_ACCOUNT, PROVIDER_ACCOUNT_NAME)
    _membership, added = Membership.objects.get_or_create(
        user=user, unit=institution.unit, role=Membership.Role.UNIT_STAFF
    )
    return added


# --- needs ---------------------------------------------------------------------------------------
def _workdays_before(day: dt.date, n: int) -> dt.date:
    while n:
        day -= dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


class _Clock:
    """A need's dates, as working-day offsets from the day it was filed, never after now."""

    def __init__(self, age: int, minute: int):
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.filed = _workdays_before(self.today, age)
        self.minute = minute

    def date(self, offset: int) -> dt.date:
        return min(add_workdays(self.filed, offset), self.today)

    def moment(self, offset: int, *, hours: int = 0) -> dt.datetime:
        at = dt.datetime.combine(self.date(offset), dt.time(9, 0)) + dt.timedelta(
            hours=hours, minutes=self.minute
        )
        return min(timezone.make_aware(at), self.now)


def _needs(region: Region, providers: dict[str, Provider], *, enterprise_account: str) -> int:
    rows = read_needs()
    # A demo need is known by its enterprise and its text: its number depends on the day the
    # demo was first loaded.
    known = set(
        Need.objects.filter(enterprise__uscc__in={r["enterprise"] for r in rows}).values_list(
            "enterprise__uscc", "description"
        )
    )
    rows = [row for row in rows if (row["enterprise"], row["description"]) not in known]
    if not rows:
        return 0
    users = get_user_model().objects
    office = users.filter(username="office").first()
    member = users.filter(username=enterprise_account).first()
    enterprises = {
        e.uscc: e for e in Enterprise.objects.filter(uscc__in=[r["enterprise"] for r in rows])
    }
    types = {t.code: t for t in ServiceType.objects.all()}
    account = users.filter(username=PROVIDER_ACCOUNT).first()
    report = _report_pdf()
    for index, row in enumerate(rows):
        enterprise = enterprises[row["enterprise"]]
        # The demo enterprise's own needs it filed itself; the others the office took by phone.
        filer = member if enterprise.members.filter(user=member).exists() else office
        _need(row, region, enterprise, types[row["service"]], providers, filer, account, report,
              minute=(index * 37) % 240)  # fmt: skip
    return len(rows)


def _need(row, region, enterprise, service_type, providers, filer, account, report, *, minute):
    clock = _Clock(row.get("age", 0), minute)
    status = row["status"]
    provider = providers[row["provider"]] if row.get("provider") else None
    need = Need(
        number=_number(clock.filed),
        region=region,
        enterprise=enterprise,
        service_type=service_type,
        description=row["description"],
        filed_by=filer,
        status=status,
        provider=provider,
        respond_by=add_workdays(clock.filed, service_type.response_workdays),
        decline_reason=row.get("decline_reason", ""),
        rating=row.get("rating"),
        rating_comment=row.get("comment", ""),
        public_consent=row.get("public_consent", False),
        relief=row.get("relief", ""),
    )
    for field in ("fee_standard", "fee_charged"):
        if field in row:
            setattr(need, field, Decimal(row[field]))
    if status == Need.Status.DECLINED:
        # A declined need leaves the open lists when it is declined.
        need.closed_at = clock.moment(row["accepted"], hours=1)
    elif "accepted" in row:
        need.accepted_at = clock.moment(row["accepted"])
        # The service's clock starts when the office accepts the need.
        need.complete_by = add_workdays(
            clock.date(row["accepted"]), service_type.completion_workdays
        )
    if "dispatched" in row:
        need.dispatched_at = clock.moment(row["dispatched"], hours=2)
    if "delivered" in row:
        need.delivered_at = clock.moment(row["delivered"], hours=6)
    if "closed" in row:
        need.closed_at = clock.moment(row["closed"], hours=7)
    need.save()
    # submitted_at is set on insert (auto_now_add): put it back on the day the need was filed.
    Need.objects.filter(pk=need.pk).update(submitted_at=clock.moment(0))
    logger = _server(provider, account)
    for visit in row.get("visits", []):
        Visit.objects.create(
            need=need,
            visited_on=clock.date(visit["day"]),
            logged_by=logger,
            notes=visit["notes"],
            problems_found=visit["found"],
            problems_solved=visit["solved"],
        )
    if row.get("deliverable"):
        deliverable = Deliverable(
            need=need, title=row["deliverable"], original_name="示例报告.pdf", uploaded_by=logger
        )
        deliverable.file.save(f"{need.number}.pdf", ContentFile(report), save=False)
        deliverable.save()


def _number(day: dt.date) -> str:
    """The platform's own numbering (N, the filing date, a sequence), so a demo need reads and
    links like any other and a need filed later that day takes the next number."""
    prefix = f"N{day:%Y%m%d}"
    last = (
        Need.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{sequence:04d}"


def _server(provider: Provider | None, account):
    """Who logged the provider's work: the expert, or the demo account at its institute."""
    if provider is None:
        return None
    if provider.user_id:
        return provider.user
    if account is not None and provider.unit.memberships.filter(user=account).exists():
        return account
    return None


def _report_pdf() -> bytes:
    """One page standing in for every demo report: the demo ships no document files."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from qualitymonth.core.documents import certificate_font

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("示例报告")
    pdf.setFont(certificate_font(), 20)
    pdf.drawString(72, 760, "示例报告（演示数据）")
    pdf.setFont(certificate_font(), 11)
    pdf.drawString(
        72, 730, "本文件仅用于演示质量基础设施“一站式”服务，不是真实的检验、校准或诊断报告。"
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
