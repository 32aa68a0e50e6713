"""Demo complaints: a month of the city's cases in every state, hotspots that several people
raised, response templates, and the Open311 key `demo-open311-key`.

Cases go through the real services (classifier, deadlines, grouping, workflow); their times are
then moved back so the month looks lived in: some answered, some due soon, some overdue.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qualitymonth.campaigns.models import Campaign
from qualitymonth.complaints.demo.cases import CASES, TEMPLATES
from qualitymonth.complaints.models import (
    CaseEvent,
    Complaint,
    Open311Key,
    ProblemGroup,
    ResponseTemplate,
)
from qualitymonth.complaints.services import CaseInput, complaint_step, complaint_submit
from qualitymonth.complaints.services.intake import start_clock
from qualitymonth.core.models import Unit
from qualitymonth.core.workdays import add_workdays

DEMO_OPEN311_KEY = "demo-open311-key"
# How far each demo case has come: the steps taken after receipt.
PLANS = {
    "complaint": [
        [],
        ["accept"],
        ["accept", "mediate"],
        ["accept", "mediate", "agree", "close"],
        ["not_accept", "close"],
        ["accept", "mediate", "end_mediation"],
        ["accept", "mediate", "agree"],
    ],
    "report": [[], ["verify"], ["verify", "open_case"], ["verify", "no_case", "close"]],
    "enquiry": [[], ["answer"], ["answer", "close"]],
    "suggestion": [[], ["answer", "close"]],
}
MESSAGES = {
    "not_accept": "经核查，您反映的问题已由人民法院受理，根据《市场监督管理投诉举报处理暂行办法》"
    "第十五条，本投诉不予受理。",
    "agree": "经调解，商家同意退货并全额退款，双方达成一致意见。",
    "end_mediation": "经多次调解，双方未能达成一致，调解终止。您可依法向人民法院起诉或申请仲裁。",
    "open_case": "经核查，举报情况基本属实，已依法立案调查，处理结果将另行告知。",
    "no_case": "经现场核查，未发现举报所称违法行为，决定不予立案。",
    "answer": "感谢您的来信。您咨询的问题已由业务科室答复：相关规定详见本局官网政策解读栏目，"
    "如仍有疑问可拨打12315热线。",
}


def _office_user(campaign: Campaign):
    from qualitymonth.core.models import Membership

    membership = (
        Membership.objects.filter(unit=campaign.lead_unit, role=Membership.Role.CAMPAIGN_OFFICE)
        .select_related("user")
        .first()
    )
    return (
        membership.user
        if membership
        else get_user_model().objects.filter(is_superuser=True).first()
    )


def _shift(case: Complaint, received_at: dt.datetime, rng: random.Random) -> None:
    """Move a case's times back to when it would have been received and handled."""
    case.received_at = received_at
    # The number carries the day of receipt.
    case.tracking_number = f"{timezone.localdate(received_at):%Y%m%d}{case.tracking_number[8:]}"
    start_clock(case)
    moment = received_at
    for event in case.events.order_by("id"):
        event.created_at = moment
        event.save(update_fields=["created_at"])
        if event.step == "accept":
            case.accepted_at = moment
            case.mediation_due = add_workdays(timezone.localdate(moment), 45)
        if event.step in ("not_accept", "agree", "end_mediation", "open_case", "no_case", "answer"):
            case.finished_at = moment
        if event.step == "close":
            case.closed_at = moment
        moment = min(moment + dt.timedelta(hours=rng.randint(6, 96)), timezone.now())
    if case.status in (Complaint.Status.ACCEPTED, Complaint.Status.MEDIATING):
        case.due_on = case.mediation_due
    elif case.status not in Complaint.OPEN_STATUSES:
        case.due_on = None
    case.save()


@transaction.atomic
def load(campaign: Campaign) -> None:
    if Complaint.objects.exists():
        return
    key = Open311Key(name="演示客户端 demo client")
    key.set_key(DEMO_OPEN311_KEY)
    key.save()
    for step, title, body in TEMPLATES:
        ResponseTemplate.objects.create(step=step, title=title, body=body)
    rng = random.Random(2022)
    office = _office_user(campaign)
    citizen = get_user_model().objects.filter(username="citizen").first()
    now = timezone.now()
    for index, spec in enumerate(CASES):
        data = CaseInput(
            **{k: v for k, v in spec.items() if k not in ("days_ago", "plan", "unit", "channel")}
        )
        case = complaint_submit(
            data=data,
            region=campaign.region,
            channel=spec.get("channel", Complaint.Channel.WEB),
            user=citizen if index == 0 else None,
        )
        if spec.get("unit") == "triage":
            # Show the triage queue: as if the classifier had not been sure.
            case.unit, case.status, case.routed_by = None, Complaint.Status.RECEIVED, ""
            case.routing_confidence = min(case.routing_confidence or 0.4, 0.45)
            case.save(update_fields=["unit", "status", "routed_by", "routing_confidence"])
            CaseEvent.objects.filter(complaint=case, step="routed").delete()
        elif spec.get("unit") and (case.unit is None or case.unit.code != spec["unit"]):
            case.unit = Unit.objects.get(code=spec["unit"])
            case.status = Complaint.Status.TRIAGED
            case.routed_by = Complaint.RoutedBy.OFFICE
            case.save(update_fields=["unit", "status", "routed_by"])
        plan = spec.get("plan")
        if plan is None:
            plan = rng.choice(PLANS[case.kind])
        for step in plan if case.unit_id else []:
            complaint_step(
                complaint=case,
                step=step,
                acting_user=office,
                message=MESSAGES.get(step, ""),
                reason="handled_elsewhere" if step == "not_accept" else "",
            )
        case.refresh_from_db()
        received = now - dt.timedelta(days=spec["days_ago"], hours=rng.randint(0, 9))
        _shift(case, received, rng)
        if case.status == Complaint.Status.CLOSED and rng.random() < 0.7:
            case.satisfaction = rng.choice([5, 5, 4, 4, 3])
            case.rated_at = case.closed_at
            case.save(update_fields=["satisfaction", "rated_at"])
    # Hotspot groups began when their first demo case came in; the office has given the big
    # ones a public title (never a business's name before the facts are established) and acted
    # on the first.
    for rank, group in enumerate(ProblemGroup.objects.order_by("-case_count", "pk")):
        cases = list(group.complaints.order_by("received_at"))
        group.first_at, group.last_at = cases[0].received_at, cases[-1].received_at
        if group.case_count >= 3:
            first = cases[0]
            where = first.district.name if first.district_id else ""
            group.public_title = (
                f"{where}{first.product_or_service}{group.get_nature_display()}问题"
            )
            if rank == 0:
                group.action = ProblemGroup.Action.IN_PROGRESS
                group.action_note = (
                    "已约谈经营者，督促按合同退还未消费款项，并开展预付式消费专项检查。"
                )
                group.action_at = now
        group.save()
