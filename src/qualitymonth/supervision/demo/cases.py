"""Demo of enforcement cases (cases.json): twelve invented cases of the city's market regulator,
labelled （示例）, from complaints, inspections, spot checks and referrals, run through the
services so the publicity lists have every state: due, overdue, published (3 months and 3
years), to withdraw after a revocation, removed early on application, expired, not published (a
warning under the simplified procedure) and one still under investigation. Five typical cases
are published in the campaign by domain; one more has passed its publicity period.

Decision days are counted back from the day the demo is loaded. Loading again adds nothing (a
marker row in the audit trail says it was loaded); without the demo's accounts it does
nothing."""

import datetime as dt
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import AuditEvent, Unit
from qualitymonth.core.workdays import add_workdays
from qualitymonth.supervision.models import Case, Publicity
from qualitymonth.supervision.services import cases as services
from qualitymonth.supervision.services import publicity as ps

DATA = Path(__file__).resolve().parent / "cases.json"
MARKER = "demo.sv_cases"


def read_data() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load(campaign) -> None:
    if AuditEvent.objects.filter(event_type=MARKER).exists():
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["amr-staff", "amr-manager"])
    }
    unit = Unit.objects.filter(code="amr").first()
    if unit is None or len(users) < 2:
        return
    writer, manager = users["amr-staff"], users["amr-manager"]
    today = timezone.localdate()
    domains = {d.code: d for d in campaign.domains.all()}
    for n, row in enumerate(read_data()["cases"], 1):
        _case(
            row,
            n,
            unit=unit,
            writer=writer,
            manager=manager,
            campaign=campaign,
            domains=domains,
            today=today,
        )
    audit_record(actor=None, actor_label="seed-demo", event_type=MARKER, cases=12)


def _case(row, n, *, unit, writer, manager, campaign, domains, today) -> None:
    case = services.case_open(
        unit=unit,
        source=row["source"],
        procedure=row.get("procedure", Case.Procedure.ORDINARY),
        party_kind=row.get("party_kind", Case.PartyKind.ENTERPRISE),
        party_name=row["party_name"],
        facts=row["facts"],
        legal_basis=row.get("legal_basis", ""),
        acting_user=writer,
    )
    state = row["state"]
    if state == "investigating":
        return
    decided_on = today - dt.timedelta(days=row["days_ago"])
    case = services.case_decide(
        case=case,
        decisions=row["decisions"],
        fine_amount=row.get("fine"),
        decision_text=row["decision_text"],
        decision_number=f"厦市监罚〔示例〕{n}号",
        decided_on=decided_on,
        acting_user=writer,
    )
    if state in ("none", "due", "overdue"):
        return
    publicity = ps.publicity_publish(publicity=case.publicity, acting_user=manager)
    if row.get("typical"):
        _typical(case, row["typical"], writer, manager, campaign, domains)
    if state == "withdraw":
        services.case_change(
            case=case,
            change="revoke",
            changed_on=today - dt.timedelta(days=1),
            reason=row["change_reason"],
            acting_user=writer,
        )
    elif state == "removed":
        ps.publicity_remove_early(
            publicity=publicity,
            reason="当事人已缴清罚款并完成整改，申请提前停止公示（示例）。",
            carried_out=True,
            harm_removed=True,
            no_repeat=True,
            not_listed=True,
            acting_user=manager,
        )
    elif state == "expired":
        # Published in its time, three months and more ago: the period is over.
        published = decided_on + dt.timedelta(days=10)
        Publicity.objects.filter(pk=publicity.pk).update(
            due_on=add_workdays(decided_on, ps.PUBLISH_WORKDAYS),
            published_at=timezone.make_aware(dt.datetime.combine(published, dt.time(10))),
            visible_until=ps.add_months(published, 3),
        )
        ps.publicity_expire(today)


def _typical(case, data, writer, manager, campaign, domains) -> None:
    typical = ps.typical_create(
        case=case,
        campaign=campaign,
        domain=domains.get(data["domain"]),
        title=data["title"],
        facts=data["facts"],
        actions=data["actions"],
        warning=data["warning"],
        acting_user=writer,
    )
    ps.typical_submit(typical=typical, acting_user=writer)
    ps.typical_approve(typical=typical, acting_user=manager)
