"""Typical cases: written from a case whose penalty is public, approved by a manager who did not
write it (or returned with the reason), public only while the penalty is."""

import json

import pytest
from django.core.exceptions import ValidationError

from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.supervision.models import TypicalCase
from qualitymonth.supervision.services import publicity as ps
from tests.factories import MembershipFactory, UserFactory
from tests.supervision.case_helpers import decide, fixed_today, open_case, published_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    fixed_today(monkeypatch)


@pytest.fixture
def worker(inspectors):
    return inspectors[0].user


def _write(case, campaign, user):
    return ps.typical_create(
        case=case,
        campaign=campaign,
        domain=campaign.domains.get(code="product"),
        title="销售不合格电饭煲案",
        facts="某商行销售不合格电饭煲。",
        actions="罚款并没收。",
        warning="经营者应严把进货关。",
        acting_user=user,
    )


def test_only_a_case_with_its_penalty_public_can_be_written_up(sv_unit, worker, campaign):
    case = decide(open_case(sv_unit, worker), worker)
    with pytest.raises(ValidationError) as refused:
        _write(case, campaign, worker)
    assert "case" in refused.value.error_dict
    assert not TypicalCase.objects.exists()


def test_the_writer_cannot_approve_their_own_write_up(sv_unit, sv_manager, campaign):
    case = published_case(sv_unit, sv_manager, sv_manager)
    typical = _write(case, campaign, sv_manager)
    ps.typical_submit(typical=typical, acting_user=sv_manager)
    with pytest.raises(PermissionDenied):
        ps.typical_approve(typical=typical, acting_user=sv_manager)
    other_manager = UserFactory(username="sv-manager-2")
    MembershipFactory(unit=sv_unit, role="unit_manager", user=other_manager)
    ps.typical_approve(typical=typical, acting_user=other_manager)
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.PUBLISHED and typical.approved_by == other_manager


def test_a_returned_write_up_carries_its_reason_and_can_be_resubmitted(
    sv_unit, worker, sv_manager, campaign
):
    case = published_case(sv_unit, worker, sv_manager)
    typical = _write(case, campaign, worker)
    ps.typical_submit(typical=typical, acting_user=worker)
    with pytest.raises(PermissionDenied):
        ps.typical_return(typical=typical, reason="x", acting_user=worker)  # not a manager
    ps.typical_return(typical=typical, reason="请补充警示内容", acting_user=sv_manager)
    typical.refresh_from_db()
    assert (typical.status, typical.return_reason) == ("returned", "请补充警示内容")
    ps.typical_submit(typical=typical, acting_user=worker)
    ps.typical_approve(typical=typical, acting_user=sv_manager)


def test_another_units_manager_and_a_citizen_are_refused(
    sv_unit, sv_other_unit, worker, sv_manager, campaign, citizen_user
):
    case = published_case(sv_unit, worker, sv_manager)
    typical = _write(case, campaign, worker)
    ps.typical_submit(typical=typical, acting_user=worker)
    stranger = UserFactory(username="other-manager")
    MembershipFactory(unit=sv_other_unit, role="unit_manager", user=stranger)
    for user in (stranger, citizen_user):
        with pytest.raises(PermissionDenied):
            ps.typical_approve(typical=typical, acting_user=user)
        with pytest.raises(PermissionDenied):
            _write(published_case(sv_unit, worker, sv_manager), campaign, user)


def test_bad_input_is_refused_by_field_and_nothing_is_stored(sv_unit, worker, sv_manager, campaign):
    case = published_case(sv_unit, worker, sv_manager)
    with pytest.raises(ValidationError) as refused:
        ps.typical_create(
            case=case,
            campaign=campaign,
            domain=None,
            title="",
            facts="x" * 5001,
            actions="a",
            warning="w\x00",
            acting_user=worker,
        )
    assert {"title", "facts", "warning"} <= set(refused.value.error_dict)
    assert not TypicalCase.objects.exists()


def test_the_campaign_panel_and_what_other_pages_read_of_cases(
    sv_unit, worker, sv_manager, campaign, sv_enterprise
):
    from django.template.loader import render_to_string

    from qualitymonth.supervision import case_selectors as selectors

    assert selectors.public_panel(campaign) is None
    case = published_case(sv_unit, worker, sv_manager)
    typical = _write(case, campaign, worker)
    ps.typical_submit(typical=typical, acting_user=worker)
    ps.typical_approve(typical=typical, acting_user=sv_manager)
    panel = selectors.public_panel(campaign)
    assert panel["cases"] == [typical]
    html = render_to_string("supervision/cases/_public_panel.html", {"panel": panel})
    assert typical.title in html
    mine = open_case(sv_unit, worker, enterprise=sv_enterprise)
    from qualitymonth.enterprises import problems

    assert {name: n for name, _label, n in problems.breakdown(sv_enterprise)} == {"cases": 1}
    entries = selectors.timeline_entries(sv_enterprise)
    assert [e.title.split(" ")[0] for e in entries] == [mine.number]
    assert selectors.cases_for_complaint(None) == []


def test_the_write_up_is_redacted_before_it_goes_public(
    sv_unit, worker, sv_manager, campaign, client
):
    case = decide(open_case(sv_unit, worker, person="王大明"), worker)
    ps.publicity_publish(publicity=case.publicity, acting_user=sv_manager)
    case.refresh_from_db()
    typical = ps.typical_create(
        case=case,
        campaign=campaign,
        domain=None,
        title="王大明销售不合格电饭煲案",
        facts="当事人王大明向消费者李小红，出售不合格电饭煲，联系电话13812345678。",
        actions="罚款。",
        warning="举报人张小华，住址厦门市某路1号。",
        acting_user=worker,
    )
    ps.typical_submit(typical=typical, acting_user=worker)
    ps.typical_approve(typical=typical, acting_user=sv_manager)
    page = client.get(f"/supervision/typical-cases/{typical.pk}/").content.decode()
    api = client.get(f"/api/supervision/typical-cases/{typical.pk}").json()
    api = json.dumps(api, ensure_ascii=False)
    for text in (page, api):
        for secret in ("王大明", "李小红", "13812345678", "张小华", "某路1号"):
            assert secret not in text
        assert "王*明" in text
