import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qualitymonth.complaints.models import Complaint, Rerouting
from qualitymonth.complaints.services import (
    available_steps,
    complaint_personal_data,
    complaint_rate,
    complaint_route,
    complaint_step,
    complaint_submit,
    complaint_transfer,
)
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.notify import ConsoleBackend
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.core.workdays import add_workdays
from tests.complaints.conftest import complaint_data

pytestmark = pytest.mark.django_db
S = Complaint.Status


def walk(case, user, *steps, **kwargs):
    for step in steps:
        case = complaint_step(
            complaint=case,
            step=step,
            acting_user=user,
            message=kwargs.get("message", "处理结果说明"),
            reason=kwargs.get("reason", ""),
        )
    return case


def test_a_complaint_goes_from_acceptance_through_mediation_to_closed(case, staff_user):
    case = walk(case, staff_user, "accept")
    assert case.status == S.ACCEPTED
    assert case.mediation_due == add_workdays(timezone.localdate(), 45)
    assert case.due_on == case.mediation_due
    case = walk(case, staff_user, "mediate", "agree")
    assert case.status == S.MEDIATED
    assert case.due_on is None and case.finished_at
    assert case.final_answer == "处理结果说明"
    case = walk(case, staff_user, "close")
    assert case.status == S.CLOSED and case.closed_at
    steps = list(case.events.values_list("step", flat=True))
    assert steps == ["received", "routed", "accept", "mediate", "agree", "close"]
    audited = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {
        "complaint.accept",
        "complaint.mediate",
        "complaint.agree",
        "complaint.close",
    } <= audited


def test_each_step_tells_the_complainant(case, staff_user, django_capture_on_commit_callbacks):
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        walk(case, staff_user, "accept")
    assert ConsoleBackend.outbox[-1].mobile == "13912345678"
    assert case.tracking_number in ConsoleBackend.outbox[-1].text


def test_not_accepting_needs_one_of_the_orders_grounds(case, staff_user):
    with pytest.raises(ValidationError) as caught:
        walk(case, staff_user, "not_accept", reason="because")
    assert "reason" in caught.value.message_dict
    case = walk(case, staff_user, "not_accept", reason="over_three_years")
    assert case.status == S.NOT_ACCEPTED
    assert case.not_accepted_reason == "over_three_years"


def test_a_finishing_step_needs_a_message(case, staff_user):
    walk(case, staff_user, "accept", "mediate")
    with pytest.raises(ValidationError) as caught:
        complaint_step(complaint=case, step="agree", acting_user=staff_user, message="  ")
    assert "message" in caught.value.message_dict


@pytest.mark.parametrize(
    ("done", "step"),
    [
        ((), "agree"),
        ((), "close"),
        (("accept",), "accept"),
        (("accept", "mediate", "agree", "close"), "mediate"),
        ((), "verify"),
        ((), "answer"),
        ((), "fly"),
    ],
)
def test_a_step_out_of_order_is_refused(case, staff_user, done, step):
    case = walk(case, staff_user, *done)
    with pytest.raises(ValidationError) as caught:
        walk(case, staff_user, step)
    assert caught.value.code == "invalid_transition"


def test_a_report_is_verified_then_a_case_opened_or_not(region, unit, route, staff_user):
    route(unit.code, 0.9)
    report = complaint_submit(data=complaint_data(kind="report", request=""), region=region)
    assert available_steps(user=staff_user, complaint=report) == ["verify"]
    report = walk(report, staff_user, "verify", "open_case", "close")
    assert report.status == S.CLOSED


def test_an_enquiry_is_answered(region, unit, route, staff_user):
    route(unit.code, 0.9)
    enquiry = complaint_submit(
        data=complaint_data(kind="enquiry", facts="请问预付卡退费有什么规定？"), region=region
    )
    assert available_steps(user=staff_user, complaint=enquiry) == ["answer"]
    assert walk(enquiry, staff_user, "answer").status == S.ANSWERED


def test_another_units_staff_can_neither_see_nor_handle_the_case(case, other_staff_user):
    assert available_steps(user=other_staff_user, complaint=case) == []
    with pytest.raises(PermissionDenied):
        walk(case, other_staff_user, "accept")
    with pytest.raises(PermissionDenied):
        complaint_personal_data(complaint=case, acting_user=other_staff_user)
    denied = AuditEvent.objects.get(event_type="complaint.personal_data")
    assert denied.outcome == "denied"


def test_the_office_handles_cases_of_its_city(case, office_user):
    assert walk(case, office_user, "accept").status == S.ACCEPTED


def test_personal_data_is_unmasked_for_handlers_and_every_look_is_audited(case, staff_user):
    assert case.masked_mobile == "139****5678"
    assert case.masked_name == "李*红"
    data = complaint_personal_data(complaint=case, acting_user=staff_user)
    assert data["mobile"] == "13912345678"
    event = AuditEvent.objects.get(event_type="complaint.personal_data")
    assert event.actor == staff_user and event.outcome == "success"


def test_the_office_assigns_a_case_from_the_triage_queue(region, unit, route, office_user):
    route(None)
    case = complaint_submit(data=complaint_data(), region=region)
    assert case.status == S.RECEIVED
    case = complaint_route(
        complaint=case,
        to_unit=unit,
        acting_user=office_user,
        reason="住宅质量问题",
        nature="quality",
        category="housing_materials",
    )
    assert case.unit == unit and case.status == S.TRIAGED
    assert case.category == "housing_materials"
    rerouting = Rerouting.objects.get()
    assert rerouting.to_unit == unit and rerouting.text == case.text


def test_only_the_office_triages(region, unit, route, staff_user):
    route(None)
    case = complaint_submit(data=complaint_data(), region=region)
    with pytest.raises(PermissionDenied):
        complaint_route(complaint=case, to_unit=unit, acting_user=staff_user, reason="x")


def test_a_unit_transfers_a_case_that_is_not_its_business(case, staff_user, other_unit):
    case = complaint_transfer(
        complaint=case, to_unit=other_unit, acting_user=staff_user, reason="属卫健部门职责"
    )
    assert case.unit == other_unit
    assert Rerouting.objects.filter(reason="属卫健部门职责").exists()
    # Once transferred, the first unit no longer handles it.
    assert available_steps(user=staff_user, complaint=case) == []


def test_transfer_needs_a_reason_and_an_unaccepted_case(case, staff_user, other_unit):
    with pytest.raises(ValidationError):
        complaint_transfer(complaint=case, to_unit=other_unit, acting_user=staff_user, reason="")
    walk(case, staff_user, "accept")
    with pytest.raises(ValidationError):
        complaint_transfer(complaint=case, to_unit=other_unit, acting_user=staff_user, reason="x")


def test_the_complainant_rates_once_after_the_answer(case, staff_user):
    with pytest.raises(ValidationError):
        complaint_rate(complaint=case, score=5)
    walk(case, staff_user, "accept", "mediate", "agree")
    with pytest.raises(ValidationError):
        complaint_rate(complaint=case, score=6)
    case = complaint_rate(complaint=case, score=4, comment="处理及时")
    assert case.satisfaction == 4
    with pytest.raises(ValidationError) as caught:
        complaint_rate(complaint=case, score=5)
    assert caught.value.code == "duplicate"


def test_a_province_office_sees_the_cases_of_its_cities(case):
    from qualitymonth.complaints.selectors import CaseFilters, office_cases
    from qualitymonth.core.models import Membership, Region, Unit
    from tests.factories import MembershipFactory, UnitFactory, UserFactory

    province = Region.objects.create(code="350000", name="福建省", level=Region.Level.PROVINCE)
    Region.objects.filter(pk=case.region_id).update(parent=province)
    unit = UnitFactory(region=province, kind=Unit.Kind.MARKET_SUPERVISION)
    user = MembershipFactory(
        unit=unit, role=Membership.Role.CAMPAIGN_OFFICE, user=UserFactory(username="province")
    ).user
    assert list(office_cases(user, CaseFilters())) == [case]
