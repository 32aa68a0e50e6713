"""Supervision on the enterprise's side: its page shows its inspections, spot checks and cases,
and "enterprises with many quality problems" counts those as well as complaints."""

import datetime as dt

from qualitymonth.enterprises import problems
from qualitymonth.enterprises.programme_selectors import target_candidates
from qualitymonth.supervision.models import (
    Case,
    Inspection,
    ProductCategory,
    Result,
    Sample,
    SpotCheckPlan,
)
from qualitymonth.supervision.services.checklists import checklist_current

DAY = dt.date(2026, 9, 10)


def _inspection(subject, unit, n: int, result: str) -> Inspection:
    return Inspection.objects.create(
        number=f"TEST-J{n}",
        subject=subject,
        unit=unit,
        checklist=checklist_current(subject.region, "canteen"),
        inspected_on=DAY,
        status=Inspection.Status.SIGNED,
        result=result,
    )


def _sample(plan, enterprise, category, n: int, outcome: str, retest: str = "") -> Sample:
    return Sample.objects.create(
        plan=plan,
        number=f"TEST-S{n}",
        enterprise=enterprise,
        category=category,
        product="示例电热水壶",
        quantity="4台",
        seal_number=f"F{n}",
        sampled_on=DAY,
        outcome=outcome,
        retest_outcome=retest,
    )


def _case(enterprise, unit, n: int, status: str) -> Case:
    return Case.objects.create(
        region=enterprise.region,
        unit=unit,
        number=f"TEST-A{n}",
        source=Case.Source.SPOT_CHECK,
        party_kind=Case.PartyKind.ENTERPRISE,
        enterprise=enterprise,
        party_name=enterprise.name,
        facts="示例案情",
        procedure=Case.Procedure.ORDINARY,
        status=status,
    )


def _problems_of(enterprise, canteen, sv_unit):
    _inspection(canteen, sv_unit, 1, Result.RECTIFY)
    _inspection(canteen, sv_unit, 2, Result.NO_PROBLEM)
    plan = SpotCheckPlan.objects.create(
        region=enterprise.region, unit=sv_unit, year=2026, title="示例抽查"
    )
    category = ProductCategory.objects.create(
        region=enterprise.region, code="kettle", name="电热水壶"
    )
    _sample(plan, enterprise, category, 1, "fail")
    _sample(plan, enterprise, category, 2, "fail", retest="pass")  # the re-test cleared it
    _sample(plan, enterprise, category, 3, "pass")
    _case(enterprise, sv_unit, 1, Case.Status.DECIDED)
    _case(enterprise, sv_unit, 2, Case.Status.REVOKED)  # a revoked decision is no problem


def test_failed_inspections_spot_checks_and_cases_count_as_quality_problems(
    sv_enterprise, canteen, sv_unit
):
    _problems_of(sv_enterprise, canteen, sv_unit)
    found = {name: n for name, _label, n in problems.breakdown(sv_enterprise)}
    assert found == {"inspections": 1, "samples": 1, "cases": 1}


def test_a_programme_can_target_enterprises_with_many_quality_problems(
    campaign, sv_enterprise, canteen, sv_unit
):
    from tests.enterprises.conftest import make_enterprise

    quiet = make_enterprise(campaign.region, 802, name="示例无问题企业有限公司")
    _problems_of(sv_enterprise, canteen, sv_unit)
    many = target_candidates(campaign.region, {"min_problems": 3})
    assert list(many) == [sv_enterprise]
    assert not target_candidates(campaign.region, {"min_problems": 4}).exists()
    assert not target_candidates(campaign.region, {"min_complaints": 1}).exists()
    assert quiet in target_candidates(campaign.region, {})


def test_the_enterprise_page_shows_its_supervision_record(
    office_client, sv_enterprise, canteen, sv_unit
):
    _problems_of(sv_enterprise, canteen, sv_unit)
    page = office_client.get(f"/office/enterprises/{sv_enterprise.pk}/").content.decode()
    assert "TEST-J1" in page and "TEST-S1" in page and "TEST-A1" in page
    assert "抽检不合格 1" in page and "执法案件 1" in page


def test_the_programme_filter_refuses_a_bad_number(campaign):
    import pytest
    from django.core.exceptions import ValidationError

    from qualitymonth.enterprises.services.programmes import clean_target_filters

    for bad in ("-1", "many", "100000"):
        with pytest.raises(ValidationError) as refused:
            clean_target_filters(campaign.region, {"min_problems": bad})
        assert "min_problems" in refused.value.message_dict
