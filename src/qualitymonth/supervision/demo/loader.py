"""The supervision demo (invented subjects, labelled as examples): each topic loads its part,
in this order, because later parts use what earlier ones made — subjects, inspectors and check
items; a yearly plan with two draws; inspections of the drawn; the hazards they found; a
product spot check; enforcement cases, their publicity and the typical cases. Last, the
`canteen` account: a user of the catering company that runs a canteen with an open
rectification order, so the enterprise's side of rectification can be tried."""

from importlib import import_module

PARTS = ("directories", "draws", "inspections", "hazards", "spotchecks", "cases")
CANTEEN_ACCOUNT = "canteen"
# Printed by seed-demo with the others.
DEMO_ACCOUNTS = [
    ("insp-siming-1", "inspector / 区检查员 (insp-<district>-1, -2: siming, haicang, huli …)"),
    (CANTEEN_ACCOUNT, "catering company user / 食堂承包企业用户 (a rectification order)"),
]


def load(campaign) -> None:
    for part in PARTS:
        import_module(f"qualitymonth.supervision.demo.{part}").load(campaign)
    _canteen_account(campaign)


def _canteen_account(campaign) -> None:
    from django.contrib.auth import get_user_model

    from qualitymonth.campaigns.demo.loader import DEMO_PASSWORD
    from qualitymonth.enterprises.models import Enterprise, EnterpriseMember
    from qualitymonth.supervision.models import Hazard, SubjectKind

    User = get_user_model()
    if User.objects.filter(username=CANTEEN_ACCOUNT).exists():
        return
    hazard = (
        Hazard.objects.filter(
            status__in=[Hazard.Status.OPEN, Hazard.Status.ANSWERED],
            subject__kind=SubjectKind.CANTEEN,
            subject__region=campaign.region,
        )
        .select_related("subject")
        .order_by("deadline", "pk")
        .first()
    )
    if hazard is None:
        return
    subject = hazard.subject
    if subject.enterprise_id is None:
        # Schools often contract their canteen out: give this one a catering company.
        operator = (
            Enterprise.objects.filter(region=campaign.region, main_products__contains="学校食堂")
            .order_by("pk")
            .first()
        )
        if operator is None:
            return
        subject.enterprise = operator
        subject.save(update_fields=["enterprise", "updated_at"])
    user = User.objects.create(username=CANTEEN_ACCOUNT, first_name="食堂经理（示例）")
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    EnterpriseMember.objects.create(enterprise_id=subject.enterprise_id, user=user)
