"""Penalty publicity by the 2021 rules: which decisions are published, the 20-working-day clock
across the National Day holiday, 3 months or 3 years, the 3-working-day withdrawal, expiry,
early removal, and the redaction of other people's personal data."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from qualitymonth.core.models import AuditEvent
from qualitymonth.supervision.models import Case, Publicity, Rules, TypicalCase
from qualitymonth.supervision.services import cases as services
from qualitymonth.supervision.services import publicity as ps
from tests.supervision.case_helpers import TODAY, decide, fixed_today, open_case, published_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(inspectors):
    return inspectors[0].user


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    fixed_today(monkeypatch)


def test_publicity_is_due_20_working_days_after_the_decision_skipping_national_day(sv_unit, worker):
    case = decide(open_case(sv_unit, worker), worker, on=dt.date(2026, 9, 25))
    # 9-28..9-30 (3), 10-1..10-7 off, 10-8, 10-9, Saturday 10-10 worked (6), then 14 more.
    assert case.publicity.due_on == dt.date(2026, 10, 29)
    assert case.publicity.status == Publicity.Status.DUE


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"decisions": ["warning"], "fine": None}, "warning_only"),
        ({"procedure": Case.Procedure.SIMPLIFIED}, "simplified_procedure"),
        ({"party_is_minor": True}, "minor"),
    ],
)
def test_warning_alone_simplified_procedure_and_minors_are_never_published(
    sv_unit, worker, fields, why
):
    opening = {k: v for k, v in fields.items() if k in ("procedure", "party_is_minor")}
    if "party_is_minor" in opening:
        case = open_case(sv_unit, worker, person="王小明", **opening)
    else:
        case = open_case(sv_unit, worker, **opening)
    deciding = {k: v for k, v in fields.items() if k in ("decisions", "fine")}
    case = decide(case, worker, **deciding)
    assert not Publicity.objects.filter(case=case).exists()
    event = AuditEvent.objects.get(event_type="supervision.case.not_published")
    assert event.detail["reason"] == why


def test_a_minor_flag_is_ignored_for_an_enterprise_party(sv_unit, worker):
    case = open_case(sv_unit, worker, party_is_minor=True)
    assert case.party_is_minor is False


@pytest.mark.parametrize(
    ("decisions", "fine", "person", "period"),
    [
        (["criticism"], None, "", "3m"),
        (["warning", "criticism"], None, "", "3m"),
        (["fine"], "100000", "", "3m"),  # an organisation's lower fine: up to 100,000
        (["fine"], "100000.01", "", "3y"),
        (["fine"], "10000", "李四", "3m"),  # a person's: up to 10,000
        (["fine"], "20000", "李四", "3y"),
        (["fine", "confiscate_gains"], "500", "", "3y"),
        (["licence_revocation"], None, "", "3y"),
    ],
)
def test_three_months_for_criticism_or_a_lower_fine_else_three_years(
    sv_unit, worker, decisions, fine, person, period
):
    case = decide(open_case(sv_unit, worker, person=person), worker, decisions=decisions, fine=fine)
    assert case.publicity.period == period


def test_the_citys_threshold_decides_what_a_lower_fine_is(sv_unit, worker, campaign):
    Rules.objects.create(region=campaign.region, lower_fine_organisation=Decimal("50000"))
    case = decide(open_case(sv_unit, worker), worker, fine="60000")
    assert case.publicity.period == Publicity.Period.LONG


def test_publishing_shows_it_for_three_months_or_three_years_from_today(
    sv_unit, worker, sv_manager
):
    short = published_case(sv_unit, worker, sv_manager, fine="3000")
    long = published_case(sv_unit, worker, sv_manager, decisions=["confiscate_goods"])
    assert short.publicity.visible_until == dt.date(2027, 2, 20)
    assert long.publicity.visible_until == dt.date(2029, 11, 20)
    assert short.publicity.status == Publicity.Status.PUBLISHED


def test_a_restriction_lasting_longer_keeps_the_publicity_longer(sv_unit, worker, sv_manager):
    case = published_case(
        sv_unit,
        worker,
        sv_manager,
        decisions=["occupation_ban"],
        restriction_until=dt.date(2031, 9, 25),
    )
    assert case.publicity.visible_until == dt.date(2031, 9, 25)


def test_only_a_manager_or_the_office_publishes(sv_unit, worker, office_user):
    case = decide(open_case(sv_unit, worker), worker)
    from qualitymonth.core.permissions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ps.publicity_publish(publicity=case.publicity, acting_user=worker)
    ps.publicity_publish(publicity=case.publicity, acting_user=office_user)


def test_revoking_a_published_decision_gives_three_working_days_to_withdraw(
    sv_unit, worker, sv_manager, monkeypatch
):
    fixed_today(monkeypatch, dt.date(2026, 9, 28))
    case = published_case(sv_unit, worker, sv_manager, on=dt.date(2026, 9, 25))
    fixed_today(monkeypatch, TODAY)
    services.case_change(
        case=case,
        change="revoke",
        changed_on=dt.date(2026, 9, 30),
        reason="复议撤销",
        acting_user=worker,
    )
    publicity = Publicity.objects.get(case=case)
    # 10-1..10-7 off; 10-8, 10-9 and the adjusted working Saturday 10-10.
    assert publicity.withdraw_due == dt.date(2026, 10, 10)
    assert publicity.status == Publicity.Status.PUBLISHED  # until someone withdraws it
    from qualitymonth.supervision.case_selectors import publicity_counts, publicity_list

    assert list(publicity_list(worker, tab="withdraw")) == [publicity]
    assert publicity_counts(worker)["withdraw_late"] == 1
    ps.publicity_withdraw(publicity=publicity, acting_user=sv_manager)
    publicity.refresh_from_db()
    assert publicity.status == Publicity.Status.WITHDRAWN


def test_a_revised_published_decision_is_withdrawn_then_due_again_in_its_new_form(
    sv_unit, worker, sv_manager
):
    case = published_case(sv_unit, worker, sv_manager, on=dt.date(2026, 11, 2))
    services.case_change(
        case=case,
        change="revise",
        changed_on=dt.date(2026, 11, 10),
        reason="复议变更罚款数额",
        decisions=["fine"],
        fine_amount="2000",
        decision_text="罚款2000元。",
        acting_user=worker,
    )
    ps.publicity_withdraw(publicity=Publicity.objects.get(case=case), acting_user=sv_manager)
    publicity = Publicity.objects.get(case=case)
    assert publicity.status == Publicity.Status.DUE
    assert "2000" in publicity.text and publicity.due_on > dt.date(2026, 11, 10)


def test_revoking_before_publication_closes_the_record(sv_unit, worker):
    case = decide(open_case(sv_unit, worker), worker, on=dt.date(2026, 11, 2))
    services.case_change(
        case=case, change="revoke", changed_on=TODAY, reason="撤销", acting_user=worker
    )
    assert Publicity.objects.get(case=case).status == Publicity.Status.WITHDRAWN


def test_expiry_removes_the_record_and_its_typical_case_and_is_idempotent(
    sv_unit, worker, sv_manager, campaign, monkeypatch
):
    case = published_case(sv_unit, worker, sv_manager, fine="3000")
    typical = ps.typical_create(
        case=case,
        campaign=campaign,
        domain=campaign.domains.first(),
        title="销售不合格电饭煲案",
        facts="事实",
        actions="罚款",
        warning="警示",
        acting_user=worker,
    )
    ps.typical_submit(typical=typical, acting_user=worker)
    ps.typical_approve(typical=typical, acting_user=sv_manager)
    from qualitymonth.supervision.case_selectors import public_penalties, public_typical

    assert list(public_typical()) == [typical]
    assert ps.publicity_expire(dt.date(2027, 2, 20)) == 0  # the last day still shows it
    day_after = dt.date(2027, 2, 21)
    assert list(public_typical(today=day_after)) == []  # hidden at once, whatever the job
    assert ps.publicity_expire(day_after) == 1
    assert ps.publicity_expire(day_after) == 0
    case.publicity.refresh_from_db()
    typical.refresh_from_db()
    assert case.publicity.status == Publicity.Status.EXPIRED
    assert typical.status == TypicalCase.Status.WITHDRAWN
    assert list(public_penalties(today=day_after)) == []


def test_the_expire_command_runs_the_same_service(sv_unit, worker, sv_manager, capsys):
    published_case(sv_unit, worker, sv_manager, fine="3000")
    call_command("supervision_publicity", "expire", "--today", "2027-03-01")
    assert "1" in capsys.readouterr().out
    assert Publicity.objects.get().status == Publicity.Status.EXPIRED


def test_early_removal_is_refused_for_a_licence_revocation(sv_unit, worker, sv_manager):
    case = published_case(sv_unit, worker, sv_manager, decisions=["licence_revocation"])
    with pytest.raises(ValidationError) as refused:
        ps.publicity_remove_early(
            publicity=case.publicity,
            reason="当事人申请",
            carried_out=True,
            harm_removed=True,
            no_repeat=True,
            not_listed=True,
            acting_user=sv_manager,
        )
    assert refused.value.code == "not_allowed"
    assert Publicity.objects.get(case=case).status == Publicity.Status.PUBLISHED


def test_early_removal_needs_every_condition(sv_unit, worker, sv_manager):
    case = published_case(sv_unit, worker, sv_manager)
    with pytest.raises(ValidationError) as refused:
        ps.publicity_remove_early(
            publicity=case.publicity,
            reason="当事人申请",
            carried_out=True,
            harm_removed=True,
            acting_user=sv_manager,
        )
    assert set(refused.value.error_dict) == {"no_repeat", "not_listed"}
    ps.publicity_remove_early(
        publicity=case.publicity,
        reason="当事人申请",
        carried_out=True,
        harm_removed=True,
        no_repeat=True,
        not_listed=True,
        acting_user=sv_manager,
    )
    assert Publicity.objects.get(case=case).status == Publicity.Status.REMOVED_EARLY


def test_the_text_can_be_edited_only_before_publishing(sv_unit, worker, sv_manager):
    case = decide(open_case(sv_unit, worker), worker)
    ps.publicity_edit(publicity=case.publicity, text="更正后的公示文本", acting_user=worker)
    ps.publicity_publish(publicity=case.publicity, acting_user=sv_manager)
    with pytest.raises(ValidationError):
        ps.publicity_edit(publicity=case.publicity, text="再改", acting_user=worker)
    assert Publicity.objects.get(case=case).text == "更正后的公示文本"


# --- redaction -----------------------------------------------------------------------------------
def test_redaction_removes_other_peoples_numbers_addresses_and_health():
    text = (
        "消费者张三（身份证号350203199001011234，电话13912345678，住址厦门市思明区湖滨南路100号）"
        "于2026年9月1日购买电饭煲，经诊断为轻度烫伤，退款转入其银行账户6222 0212 3456 7890 123，"
        "联系邮箱zhang@example.com，座机0592-5123456。"
    )
    out = ps.redact(text)
    for secret in (
        "350203199001011234",
        "13912345678",
        "湖滨南路",
        "轻度烫伤",
        "6222 0212 3456 7890 123",
        "zhang@example.com",
        "5123456",
        "张三",
    ):
        assert secret not in out, secret
    assert "消费者张*" in out and "2026年9月1日" in out and "电饭煲" in out


def test_redaction_masks_the_names_role_words_announce_and_nothing_else():
    out = ps.redact("消费者投诉后查明，执法人员林晓峰检查时，负责人李小红称未留样。")
    assert "林晓峰" not in out and "李小红" not in out
    assert "执法人员林*峰" in out and "负责人李*红" in out
    assert "消费者投诉" in out  # a role word and a verb, not a name


def test_redaction_keeps_what_it_is_told_to_keep():
    out = ps.redact("当事人913502000000000001销售电饭煲。", keep=["913502000000000001"])
    assert "913502000000000001" in out


def test_the_generated_text_masks_a_person_party_and_removes_others_data(sv_unit, worker):
    case = open_case(
        sv_unit,
        worker,
        person="王大明",
        facts="王大明向消费者李四（电话13800001111）出售假冒白酒。",
    )
    case = decide(case, worker)
    text = case.publicity.text
    assert "王大明" not in text and "王*明" in text
    assert "13800001111" not in text and "李四" not in text
    assert case.decision_number in text


def test_a_corrected_text_is_redacted_like_the_generated_one(sv_unit, worker, sv_manager, client):
    case = decide(open_case(sv_unit, worker, person="王大明"), worker)
    publicity = case.publicity
    typed = "当事人王大明，消费者李小红，电话13812345678，身份证350203199001011234。"
    ps.publicity_edit(publicity=publicity, text=typed, acting_user=worker)
    publicity.refresh_from_db()
    for secret in ("王大明", "李小红", "13812345678", "350203199001011234"):
        assert secret not in publicity.text
    assert "王*明" in publicity.text and "李*红" in publicity.text
    ps.publicity_publish(
        publicity=publicity, text=typed + "住址厦门市某路1号", acting_user=sv_manager
    )
    body = client.get("/supervision/penalties/").content.decode()
    api = json.dumps(client.get("/api/supervision/penalties").json(), ensure_ascii=False)
    assert "王*明" in api
    for text in (body, api):
        for secret in ("王大明", "李小红", "13812345678", "350203199001011234", "某路1号"):
            assert secret not in text


def test_a_decision_revised_to_a_warning_then_to_a_fine_is_due_again(sv_unit, worker):
    case = decide(open_case(sv_unit, worker), worker, on=dt.date(2026, 11, 2))
    revise = {"change": "revise", "reason": "复议", "acting_user": worker}
    services.case_change(
        case=case,
        changed_on=dt.date(2026, 11, 5),
        decisions=["warning"],
        decision_text="警告。",
        **revise,
    )
    assert Publicity.objects.get(case=case).status == Publicity.Status.WITHDRAWN
    services.case_change(
        case=case,
        changed_on=dt.date(2026, 11, 10),
        decisions=["fine"],
        fine_amount="3000",
        decision_text="罚款3000元。",
        **revise,
    )
    publicity = Publicity.objects.get(case=case)
    assert publicity.status == Publicity.Status.DUE and "3000" in publicity.text
    assert publicity.due_on > dt.date(2026, 11, 10)
