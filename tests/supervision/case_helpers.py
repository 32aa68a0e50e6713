"""Helpers of the enforcement-case tests: a fixed "today", a case of a unit, and a case decided
and (optionally) published, built through the services as the pages would."""

import datetime as dt

from django.utils import timezone

from qualitymonth.supervision.models import Case
from qualitymonth.supervision.services import cases as services
from qualitymonth.supervision.services import publicity as publicity_services

# After the National Day holiday of 2026, so decisions around it lie in the past.
TODAY = dt.date(2026, 11, 20)
_numbers = iter(range(1, 100_000))


def fixed_today(monkeypatch, day: dt.date = TODAY) -> dt.date:
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return day


def open_case(unit, user, *, enterprise=None, person: str = "", **fields) -> Case:
    values = {
        "source": Case.Source.INSPECTION,
        "facts": "经查，当事人销售的电饭煲经抽样检验不合格。",
        "legal_basis": "《中华人民共和国产品质量法》第四十九条",
    }
    values.update(fields)
    if person:
        values.update(party_kind=Case.PartyKind.PERSON, party_name=person)
    else:
        values.update(
            party_kind=Case.PartyKind.ENTERPRISE,
            party_name=fields.get("party_name")
            or (enterprise.name if enterprise else "厦门市示例电器商行"),
        )
    return services.case_open(unit=unit, acting_user=user, enterprise=enterprise, **values)


def decide(
    case: Case,
    user,
    *,
    decisions=("fine",),
    fine: str | None = "5000",
    on: dt.date = dt.date(2026, 9, 25),
    restriction_until=None,
) -> Case:
    return services.case_decide(
        case=case,
        decisions=list(decisions),
        fine_amount=fine if "fine" in decisions else None,
        decision_text="罚款并责令改正。",
        decision_number=f"厦市监罚〔2026〕{next(_numbers)}号",
        decided_on=on,
        acting_user=user,
        restriction_until=restriction_until,
    )


def published_case(unit, worker, manager, **decide_fields) -> Case:
    case = decide(open_case(unit, worker), worker, **decide_fields)
    publicity_services.publicity_publish(publicity=case.publicity, acting_user=manager)
    case.refresh_from_db()
    return case
