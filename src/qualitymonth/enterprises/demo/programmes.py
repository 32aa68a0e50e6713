"""Demo of the campaign programmes (programmes.json): three programmes over the demo campaign's
activities 计量服务中小企业行, 工业企业质量诊断帮扶行动 and 质量专家企业行 (found by title; the
first activity whose title starts with it), their targets built from filters over the demo
registry, and planned visits in every state, written as the one-stop demo writes its needs
(one_stop._need), with visits and fees so the progress is not zero.

Loading again adds nothing: a programme already made of an activity is left as it is."""

import json
import logging
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from qualitymonth.campaigns.models import Activity
from qualitymonth.core.audit import audit_record
from qualitymonth.enterprises.demo import one_stop
from qualitymonth.enterprises.models import (
    Enterprise,
    Need,
    Programme,
    ProgrammeTarget,
    ServiceType,
)
from qualitymonth.enterprises.programme_selectors import target_candidates
from qualitymonth.enterprises.services.programmes import clean_target_filters

DATA = Path(__file__).resolve().parent / "programmes.json"
logger = logging.getLogger(__name__)


def read_programmes() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load(campaign) -> None:
    made = []
    for row in read_programmes():
        activity = (
            Activity.objects.filter(campaign=campaign, title__startswith=row["title"])
            .order_by("starts_at", "pk")
            .first()
        )
        if activity is None:
            logger.warning("No demo activity titled %s: its programme is left out.", row["title"])
            continue
        if Programme.objects.filter(activity=activity).exists():
            continue
        _programme(activity, row)
        made.append(activity.title)
    if made:
        audit_record(actor=None, actor_label="seed-demo", event_type="demo.programmes", made=made)


def _programme(activity: Activity, row: dict) -> Programme:
    office = get_user_model().objects.filter(username="office").first()
    service_type = ServiceType.objects.get(code=row["service"])
    region = activity.campaign.region
    filters = clean_target_filters(region, row["filters"])
    programme = Programme.objects.create(
        activity=activity,
        region=region,
        service_type=service_type,
        target_filter=filters,
        goal_enterprises=row["goal"],
        created_by=office,
    )
    targets = list(target_candidates(region, filters).only("pk", "name", "region"))
    ProgrammeTarget.objects.bulk_create(
        [ProgrammeTarget(programme=programme, enterprise=e, added_by=office) for e in targets]
    )
    providers, _added = one_stop._providers(region)
    account = get_user_model().objects.filter(username=one_stop.PROVIDER_ACCOUNT).first()
    report = one_stop._report_pdf()
    for index, (visit, enterprise) in enumerate(zip(row["visits"], targets, strict=False)):
        _visit(
            programme, visit, enterprise, service_type, providers, office, account, report, index
        )
    return programme


def _visit(programme, visit, enterprise: Enterprise, service_type, providers, office, account,
           report, index):  # fmt: skip
    description = f"“{programme.activity.title}”计划走访（示例）：{enterprise.name}"
    one_stop._need(
        {**visit, "description": description},
        enterprise.region,
        enterprise,
        service_type,
        providers,
        office,
        account,
        report,
        minute=(index * 41) % 240,
    )
    need = Need.objects.filter(enterprise=enterprise, description=description).latest("pk")
    # The planned day: the first visit's, or the day the service is to be completed by.
    planned = need.visits.order_by("visited_on").values_list("visited_on", flat=True).first()
    Need.objects.filter(pk=need.pk).update(
        programme=programme, wished_from=planned or need.complete_by
    )
