import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from qualitymonth.complaints import selectors
from qualitymonth.complaints.models import Complaint
from qualitymonth.complaints.services import complaint_step, complaint_submit
from qualitymonth.complaints.services.hotspots import respondent_key, similarity
from tests.complaints.conftest import complaint_data


@pytest.mark.parametrize(
    "name",
    [
        "厦门市湖里区鹭佳电器商行",
        "鹭佳电器",
        "鹭佳电器（湖里店）",
        "厦门鹭佳电器有限公司",
        " 鹭佳 电器 ",
    ],
)
@pytest.mark.django_db
def test_one_business_written_many_ways_has_one_key(name, region):
    from qualitymonth.complaints.services.hotspots import _place_prefix

    _place_prefix.cache_clear()
    from qualitymonth.core.models import Region

    Region.objects.get_or_create(code="350200", defaults={"name": "厦门市", "level": "city"})
    assert respondent_key(name) == "鹭佳电器"


def test_similar_texts_score_high_and_different_ones_low():
    a = "小区门口的共享充电宝扣费不归还，客服电话打不通"
    b = "共享充电宝归还后仍然扣费，客服电话一直打不通"
    c = "新买的冰箱不制冷，售后拖了一个月不上门维修"
    assert similarity(a, b) > 0.45
    assert similarity(a, c) < 0.2
    assert similarity("", a) == 0.0


@pytest.mark.django_db
def test_same_problem_without_a_named_business_is_grouped_by_text(region, unit, route):
    route(unit.code, 0.9)
    common = dict(kind="report", respondent_name="某共享充电宝", request="")
    first = complaint_submit(
        data=complaint_data(**common, facts="小区门口的共享充电宝扣费不归还，客服电话打不通"),
        region=region,
    )
    second = complaint_submit(
        data=complaint_data(
            **{**common, "respondent_name": "街边充电宝柜"},
            facts="共享充电宝归还后仍然扣费，客服电话一直打不通",
            complainant_mobile="13500001111",
        ),
        region=region,
    )
    assert second.group == first.group


@pytest.mark.django_db
def test_hot_groups_rank_by_cases_and_report_how_fast_they_were_answered(
    region, unit, route, staff_user
):
    route(unit.code, 0.9)
    cases = [
        complaint_submit(data=complaint_data(complainant_mobile=f"1380000000{n}"), region=region)
        for n in range(3)
    ]
    complaint_submit(
        data=complaint_data(respondent_name="孤例商店", facts="会员卡余额被清零，店员说是系统升级"),
        region=region,
    )
    complaint_step(complaint=cases[0], step="accept", acting_user=staff_user)
    complaint_step(complaint=cases[0], step="end_mediation", acting_user=staff_user, message="终止")
    Complaint.objects.filter(pk=cases[0].pk).update(
        received_at=timezone.now() - dt.timedelta(days=2)
    )
    groups = selectors.hot_groups(region)
    assert [g.case_count for g in groups] == [3]  # a single case is not a hotspot
    outcome = selectors.group_outcomes(groups)[groups[0].pk]
    assert outcome["total"] == 3 and outcome["solved"] == 1
    assert outcome["avg_days"] == pytest.approx(2.0, abs=0.1)


@pytest.mark.django_db
def test_weekly_trend_counts_cases_by_category_and_district(office_client, region, unit, route):
    route(unit.code, 0.9, category="food")
    for n in range(3):
        complaint_submit(data=complaint_data(complainant_mobile=f"1370000000{n}"), region=region)
    rows = selectors.weekly_trend(region, by="category")
    assert sum(r["n"] for r in rows if r["category"] == "food") == 3
    rows = selectors.weekly_trend(region, by="district")
    assert sum(r["n"] for r in rows if r["district__name"] == "湖里区") == 3
    page = office_client.get(reverse("office_complaints:hotspots") + "?by=district&days=abc")
    assert page.status_code == 200
