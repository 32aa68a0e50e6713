"""GB/T 19580 self-assessment: scoring limits, totals, the industry average, review and reopen,
who may do what, the pages, the API, the radar chart and the demo."""

import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from qualitymonth.core.models import AuditEvent, Membership, Region
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.enterprises import excellence_selectors as selectors
from qualitymonth.enterprises.charts import Series, radar_svg
from qualitymonth.enterprises.models import (
    EXCELLENCE_POINTS,
    EnterpriseMember,
    ExcellenceCategory,
    Industry,
    Provider,
    SelfAssessment,
)
from qualitymonth.enterprises.services import excellence as services
from tests.enterprises.conftest import make_enterprise
from tests.factories import CampaignFactory, MembershipFactory, UserFactory
from tests.queries import session_queries

pytestmark = pytest.mark.django_db
S = SelfAssessment.Status
C = ExcellenceCategory
YEAR = 2024


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def scores(ratio: str = "0.6") -> dict:
    """Each category at the ratio of its points (0.6: 66 + 54 + 54 + 78 + 60 + 48 + 240 = 600)."""
    return {c.value: (Decimal(EXCELLENCE_POINTS[c]) * Decimal(ratio), "证据") for c in C}


@pytest.fixture
def machinery(db):
    return Industry.objects.get(code="34")  # 通用设备制造业, in section C


@pytest.fixture
def member(enterprise, machinery):
    enterprise.industry = machinery
    enterprise.save(update_fields=["industry"])
    user = UserFactory(username="member")
    EnterpriseMember.objects.create(enterprise=enterprise, user=user)
    return user


@pytest.fixture
def stranger(campaign):
    """A member of another enterprise."""
    other = make_enterprise(campaign.region, 2)
    user = UserFactory(username="stranger")
    EnterpriseMember.objects.create(enterprise=other, user=user)
    return user


@pytest.fixture
def expert(campaign):
    user = UserFactory(username="expert", email="expert@example.com")
    Provider.objects.create(region=campaign.region, kind="expert", name="示例专家", user=user)
    return user


@pytest.fixture
def submitted(enterprise, member):
    assessment = services.self_assessment_save(
        enterprise=enterprise, year=YEAR, scores=scores(), acting_user=member
    )
    return services.self_assessment_submit(assessment=assessment, acting_user=member)


def _other(campaign, n: int, industry, ratio: str, *, submit: bool = True, year: int = YEAR):
    enterprise = make_enterprise(campaign.region, n, industry=industry)
    user = UserFactory(username=f"member-{n}")
    EnterpriseMember.objects.create(enterprise=enterprise, user=user)
    assessment = services.self_assessment_save(
        enterprise=enterprise, year=year, scores=scores(ratio), acting_user=user
    )
    if submit:
        services.self_assessment_submit(assessment=assessment, acting_user=user)
    return assessment


# --- scoring limits ----------------------------------------------------------------------------
def test_a_draft_is_saved_with_its_scores_and_evidence_and_audited(enterprise, member):
    assessment = services.self_assessment_save(
        enterprise=enterprise, year=YEAR, scores=scores(), acting_user=member
    )
    assert assessment.status == S.DRAFT
    assert assessment.scores.count() == 7
    assert selectors.total(assessment.scores.all()) == Decimal("600.0")
    assert AuditEvent.objects.filter(event_type="excellence.created").count() == 1


def test_saving_again_replaces_the_draft_and_a_left_out_category_loses_its_score(
    enterprise, member
):
    services.self_assessment_save(
        enterprise=enterprise, year=YEAR, scores=scores(), acting_user=member
    )
    again = {**scores("0.5")}
    del again["results"]
    assessment = services.self_assessment_save(
        enterprise=enterprise, year=YEAR, scores=again, acting_user=member
    )
    assert SelfAssessment.objects.count() == 1
    assert assessment.scores.count() == 6
    assert assessment.scores.get(category="leadership").score == Decimal("55.0")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("110.1", "at most 110 points"),
        ("-1", "cannot be negative"),
        ("50.25", "one decimal place at most"),
        ("abc", "enter a number"),
        ("NaN", "enter a number"),
    ],
)
def test_a_bad_score_is_refused_naming_the_category_and_nothing_is_saved(
    enterprise, member, value, words
):
    bad = {**scores(), "leadership": (value, "")}
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_save(
            enterprise=enterprise, year=YEAR, scores=bad, acting_user=member
        )
    message = refused.value.message_dict["leadership"][0]
    assert "Leadership" in message and words in message
    assert not SelfAssessment.objects.exists()


def test_results_may_have_400_points_but_not_more(enterprise, member):
    ok = {**scores(), "results": ("400", "")}
    services.self_assessment_save(enterprise=enterprise, year=YEAR, scores=ok, acting_user=member)
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_save(
            enterprise=enterprise,
            year=YEAR,
            scores={**ok, "results": ("400.5", "")},
            acting_user=member,
        )
    assert "Results" in refused.value.message_dict["results"][0]


@pytest.mark.parametrize("year", [1999, 3000])
def test_a_year_out_of_range_is_refused(enterprise, member, year):
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_save(
            enterprise=enterprise, year=year, scores=scores(), acting_user=member
        )
    assert "year" in refused.value.message_dict


def test_unknown_categories_and_long_evidence_are_refused(enterprise, member):
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_save(
            enterprise=enterprise, year=YEAR, scores={"luck": ("1", "")}, acting_user=member
        )
    assert "scores" in refused.value.message_dict
    long = {**scores(), "strategy": ("10", "长" * (services.EVIDENCE_MAX + 1))}
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_save(
            enterprise=enterprise, year=YEAR, scores=long, acting_user=member
        )
    assert "strategy_evidence" in refused.value.message_dict
    assert not SelfAssessment.objects.exists()


# --- totals, submitting -------------------------------------------------------------------------
def test_bands_are_plain_labels_of_the_total():
    assert selectors.band(Decimal("0")).startswith("0–250")
    assert selectors.band(Decimal("600")).startswith("550–700")
    assert selectors.band(1000).startswith("700–1000")


def test_submitting_needs_every_category_then_the_draft_is_frozen(enterprise, member):
    partial = scores()
    del partial["measurement"]
    assessment = services.self_assessment_save(
        enterprise=enterprise, year=YEAR, scores=partial, acting_user=member
    )
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_submit(assessment=assessment, acting_user=member)
    assert refused.value.code == "incomplete" and "Measurement" in refused.value.messages[0]
    services.self_assessment_save(
        enterprise=enterprise, year=YEAR, scores=scores(), acting_user=member
    )
    services.self_assessment_submit(assessment=assessment, acting_user=member)
    assessment.refresh_from_db()
    assert assessment.status == S.SUBMITTED and assessment.submitted_at
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_save(
            enterprise=enterprise, year=YEAR, scores=scores("0.9"), acting_user=member
        )
    assert refused.value.code == "invalid_transition"


def test_another_enterprise_and_anonymous_may_not_write(enterprise, member, stranger):
    from django.contrib.auth.models import AnonymousUser

    for user in (stranger, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.self_assessment_save(
                enterprise=enterprise, year=YEAR, scores=scores(), acting_user=user
            )
    assert not SelfAssessment.objects.exists()


# --- industry average ---------------------------------------------------------------------------
def test_industry_average_excludes_the_enterprise_itself_and_drafts(
    campaign, enterprise, submitted, machinery
):
    _other(campaign, 3, machinery, "0.4")
    _other(campaign, 4, machinery, "0.8")
    _other(campaign, 5, machinery, "0.1", submit=False)  # a draft: not counted
    _other(campaign, 6, machinery, "0.1", year=YEAR - 1)  # another year
    _other(campaign, 7, Industry.objects.get(code="39"), "0.1")  # another division
    average = selectors.industry_average(
        year=YEAR, industry=machinery, exclude_enterprise=enterprise
    )
    assert average.count == 2
    assert average.values["leadership"] == Decimal("66.0")  # (44 + 88) / 2
    assert average.values["results"] == Decimal("240.0")
    with_self = selectors.industry_average(year=YEAR, industry=machinery)
    assert with_self.count == 3


def test_industry_average_uses_the_experts_score_and_falls_back_to_the_section(
    campaign, enterprise, submitted, machinery, office_user
):
    other = _other(campaign, 3, Industry.objects.get(code="39"), "0.4")  # same section C
    services.self_assessment_review(
        assessment=other,
        adjustments={"leadership": ("11", "证据不足")},
        note="",
        acting_user=office_user,
    )
    average = selectors.comparison_average(submitted)
    assert average.industry.code == "C" and average.count == 1
    assert average.values["leadership"] == Decimal("11.0")
    assert average.values["strategy"] == Decimal("36.0")


def test_the_average_is_one_query(
    campaign, enterprise, submitted, machinery, django_assert_num_queries
):
    _other(campaign, 3, machinery, "0.4")
    with django_assert_num_queries(1):
        selectors.industry_average(year=YEAR, industry=machinery, exclude_enterprise=enterprise)


# --- review and reopen --------------------------------------------------------------------------
def test_an_expert_adjusts_with_a_note_and_the_final_score_uses_it(submitted, expert):
    services.self_assessment_review(
        assessment=submitted,
        adjustments={"results": ("200", "顾客满意度数据不足"), "strategy": ("54", "")},
        note="总体良好",
        acting_user=expert,
    )
    submitted.refresh_from_db()
    assert submitted.status == S.REVIEWED and submitted.reviewed_by == expert
    results = submitted.scores.get(category="results")
    assert (results.adjusted_score, results.final_score) == (Decimal("200.0"), Decimal("200.0"))
    assert submitted.scores.get(category="strategy").adjusted_score is None  # agreed: no change
    assert selectors.total(submitted.scores.all()) == Decimal("560.0")
    assert AuditEvent.objects.filter(event_type="excellence.reviewed").exists()


def test_an_adjustment_without_its_note_is_refused_and_nothing_changes(submitted, expert):
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_review(
            assessment=submitted,
            adjustments={"results": ("200", "")},
            note="",
            acting_user=expert,
        )
    assert "Results" in refused.value.message_dict["results_note"][0]
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_review(
            assessment=submitted,
            adjustments={"leadership": ("111", "过高")},
            note="",
            acting_user=expert,
        )
    assert "at most 110" in refused.value.message_dict["leadership_adjusted"][0]
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert not submitted.scores.filter(adjusted_score__isnull=False).exists()


def test_who_may_review(submitted, member, stranger, staff_user, other_office_client):
    expert_elsewhere = UserFactory(username="far-expert")
    far = CampaignFactory(slug="far")
    Provider.objects.create(
        region=far.region, kind="expert", name="远方专家", user=expert_elsewhere
    )
    for user in (member, stranger, staff_user, other_office_client.user, expert_elsewhere):
        with pytest.raises(PermissionDenied):
            services.self_assessment_review(
                assessment=submitted, adjustments={}, note="", acting_user=user
            )


def test_a_membership_expert_role_in_the_region_may_review(campaign, submitted, unit):
    user = MembershipFactory(
        unit=unit, role=Membership.Role.EXPERT, user=UserFactory(username="unit-expert")
    ).user
    services.self_assessment_review(assessment=submitted, adjustments={}, note="", acting_user=user)
    submitted.refresh_from_db()
    assert submitted.status == S.REVIEWED


def test_a_draft_cannot_be_reviewed(enterprise, member, office_user):
    draft = services.self_assessment_save(
        enterprise=enterprise, year=YEAR, scores=scores(), acting_user=member
    )
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_review(
            assessment=draft, adjustments={}, note="", acting_user=office_user
        )
    assert refused.value.code == "invalid_transition"


def test_the_office_reopens_with_a_reason_and_the_adjustments_are_cleared(
    submitted, expert, office_user, member
):
    services.self_assessment_review(
        assessment=submitted, adjustments={"results": ("200", "不足")}, note="", acting_user=expert
    )
    with pytest.raises(ValidationError):
        services.self_assessment_reopen(assessment=submitted, reason="  ", acting_user=office_user)
    with pytest.raises(PermissionDenied):
        services.self_assessment_reopen(assessment=submitted, reason="重填", acting_user=expert)
    services.self_assessment_reopen(
        assessment=submitted, reason="数据有误，请重填", acting_user=office_user
    )
    submitted.refresh_from_db()
    assert submitted.status == S.DRAFT and submitted.reviewed_by is None
    assert not submitted.scores.filter(adjusted_score__isnull=False).exists()
    services.self_assessment_save(
        enterprise=submitted.enterprise, year=YEAR, scores=scores("0.7"), acting_user=member
    )


# --- the radar chart ----------------------------------------------------------------------------
def test_the_radar_is_xml_with_seven_axes_scaled_to_each_categorys_points():
    labels = ["领导", "战略", "顾客与市场", "资源", "过程管理", "测量、分析与改进", "结果 <&>"]
    maxima = [EXCELLENCE_POINTS[c] for c in C]
    svg = radar_svg(
        labels=labels,
        maxima=maxima,
        series=[
            Series("本企业", [m for m in maxima], "#c0392b", "#c0392b"),  # full marks
            Series("平均", [None] * 7, "#2471a3", "#2471a3", dashed=True),
        ],
        title="雷达图",
    )
    root = ET.fromstring(svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//svg:line[@class='axis']", ns)) == 7
    texts = [t.text for t in root.findall(".//svg:g[@class='labels']/svg:text", ns)]
    assert texts == labels  # escaped in the markup, the same text once parsed
    assert "style=" not in svg and "<script" not in svg
    own = root.find(".//svg:polygon[@class='series series-0']", ns).get("points").split()
    axis_ends = [
        (line.get("x2"), line.get("y2")) for line in root.findall(".//svg:line[@class='axis']", ns)
    ]
    assert [tuple(p.split(",")) for p in own] == axis_ends  # 100 % of each axis is its end


def test_the_radar_refuses_mismatched_series():
    with pytest.raises(ValueError):
        radar_svg(
            labels=["a", "b", "c"],
            maxima=[1, 2, 3],
            series=[Series("x", [1], "red", "red")],
            title="t",
        )


# --- pages ---------------------------------------------------------------------------------------
def test_a_member_fills_in_the_form_and_sees_the_radar_and_history(enterprise, member):
    client = login(member)
    assert client.get("/excellence/").status_code == 200
    url = f"/excellence/{enterprise.pk}/{YEAR}/"
    assert client.get(url).status_code == 200
    data = {c: str(v) for c, (v, _e) in scores().items()}
    data.update({f"{c}_evidence": "年度质量分析会纪要" for c in data})
    response = client.post(url, data)
    assessment = SelfAssessment.objects.get()
    assert response.status_code == 302 and response.url == f"/excellence/a/{assessment.pk}/"
    page = client.get(response.url)
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "600.0" in body
    assert 'data-testid="history"' in body


def test_a_score_over_the_maximum_is_shown_on_its_row_and_nothing_saved(enterprise, member):
    client = login(member)
    data = {c: str(v) for c, (v, _e) in scores().items()}
    data["customers"] = "95"
    response = client.post(f"/excellence/{enterprise.pk}/{YEAR}/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    # The page speaks Chinese: the message names the category and its 90 points.
    assert "customers" in errors and "顾客与市场" in errors["customers"][0]
    assert "90" in errors["customers"][0]
    assert not SelfAssessment.objects.exists()


def test_submitting_asks_first_then_hands_in(enterprise, member):
    client = login(member)
    assessment = services.self_assessment_save(
        enterprise=enterprise, year=YEAR, scores=scores(), acting_user=member
    )
    url = f"/excellence/a/{assessment.pk}/submit/"
    page = client.get(url)
    assert page.status_code == 200 and "data-confirm" in page.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == S.DRAFT  # looking at the question changes nothing
    assert client.post(url).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == S.SUBMITTED
    # The form is closed now: it sends the member to the read-only page.
    assert client.get(f"/excellence/{enterprise.pk}/{YEAR}/").status_code == 302


def test_pages_refuse_strangers_and_anonymous(enterprise, submitted, stranger, staff_user):
    anonymous = Client()
    assert anonymous.get("/excellence/").status_code == 302
    assert anonymous.get(f"/excellence/a/{submitted.pk}/").status_code == 302
    for user in (stranger, staff_user):
        client = login(user)
        assert client.get(f"/excellence/a/{submitted.pk}/").status_code == 404
        assert client.get(f"/excellence/{enterprise.pk}/{YEAR}/").status_code == 404
        assert client.post(f"/excellence/a/{submitted.pk}/submit/").status_code == 404
        assert client.get("/office/excellence/").status_code == 404


def test_an_expert_reviews_on_the_page(submitted, expert):
    client = login(expert)
    page = client.get(f"/office/excellence/{submitted.pk}/")
    assert page.status_code == 200 and 'id="review"' in page.content.decode()
    bad = client.post(
        f"/office/excellence/{submitted.pk}/review/",
        {"results_adjusted": "200", "results_note": ""},
    )
    assert bad.status_code == 400 and "results_note" in bad.context["review_form"].errors
    ok = client.post(
        f"/office/excellence/{submitted.pk}/review/",
        {"results_adjusted": "200", "results_note": "样本量偏小", "note": "良好"},
    )
    assert ok.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.REVIEWED


def test_the_office_reopens_on_the_page(submitted, office_client, expert):
    assert (
        office_client.post(f"/office/excellence/{submitted.pk}/reopen/", {"reason": ""}).status_code
        == 400
    )
    assert (
        login(expert)
        .post(f"/office/excellence/{submitted.pk}/reopen/", {"reason": "x"})
        .status_code
        == 403
    )
    response = office_client.post(
        f"/office/excellence/{submitted.pk}/reopen/", {"reason": "请补充证据"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.DRAFT


def test_the_office_list_filters_and_its_queries_do_not_grow(
    campaign, office_client, machinery, django_assert_num_queries
):
    district = Region.objects.create(
        code="999901", name="测试区", level=Region.Level.DISTRICT, parent=campaign.region
    )
    for n in range(3, 6):
        _other(campaign, n, machinery, "0.5")
    url = "/office/excellence/?industry=C&year=2024"
    office_client.get(url)  # warm the session and the user's memberships
    # Nine for the page, and the session where it lives in the database.
    with django_assert_num_queries(9 + session_queries()) as few:
        page = office_client.get(url)
    assert page.content.decode().count("/office/excellence/") >= 3
    for n in range(6, 12):
        _other(campaign, n, machinery, "0.5")
    with django_assert_num_queries(len(few.captured_queries)):
        office_client.get(url)
    assert page.context["page"].paginator.count == 3
    assert office_client.get("/office/excellence/?industry=39").context["page"].paginator.count == 0
    assert (
        office_client.get(f"/office/excellence/?district={district.code}")
        .context["page"]
        .paginator.count
        == 0
    )
    listed = office_client.get("/office/excellence/?q=测试企业3").context["page"]
    assert [a.enterprise.name for a in listed] == ["测试企业3有限公司"]
    assert listed[0].total_points == Decimal("500.0")


def test_an_expert_sees_what_was_handed_in_not_drafts(campaign, expert, machinery, submitted):
    _other(campaign, 3, machinery, "0.5", submit=False)
    listed = login(expert).get("/office/excellence/").context["page"]
    assert [a.pk for a in listed] == [submitted.pk]


def test_timeline_entries_name_the_year_and_total(enterprise, submitted, django_assert_num_queries):
    with django_assert_num_queries(1):
        entries = selectors.timeline_entries(enterprise)
    assert len(entries) == 1 and "2024" in entries[0].title and "600.0" in entries[0].title
    assert entries[0].url == f"/office/excellence/{submitted.pk}/"


# --- API -----------------------------------------------------------------------------------------
def _body(ratio="0.6", **changes) -> dict:
    body = {c: str(v) for c, (v, _e) in scores(ratio).items()}
    body.update({f"{c}_evidence": "证据" for c in ExcellenceCategory.values})
    body.update(changes)
    return body


def test_api_put_list_and_submit(enterprise, member):
    client = login(member)
    url = f"/api/enterprises/{enterprise.pk}/self-assessments"
    response = client.put(f"{url}/{YEAR}", json.dumps(_body()), content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "draft" and Decimal(data["total"]) == 600
    assert len(data["scores"]) == 7 and data["scores"][0]["points"] == 110
    assert [a["year"] for a in client.get(url).json()] == [YEAR]
    submitted = client.post(f"{url}/{YEAR}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    again = client.post(f"{url}/{YEAR}/submit")
    assert again.status_code == 409


def test_api_bad_input_names_the_field(enterprise, member):
    client = login(member)
    url = f"/api/enterprises/{enterprise.pk}/self-assessments/{YEAR}"
    response = client.put(url, json.dumps(_body(results="401")), content_type="application/json")
    assert response.status_code == 400
    assert "results" in response.json()["errors"]
    assert "结果" in response.json()["errors"]["results"][0]  # named, in the site's language
    response = client.put(
        f"/api/enterprises/{enterprise.pk}/self-assessments/1990",
        json.dumps(_body()),
        content_type="application/json",
    )
    assert response.status_code == 400 and "year" in response.json()["errors"]
    assert not SelfAssessment.objects.exists()


def test_api_refuses_strangers_and_anonymous(enterprise, member, stranger, submitted):
    url = f"/api/enterprises/{enterprise.pk}/self-assessments"
    body = json.dumps(_body())
    assert (
        login(stranger).put(f"{url}/2023", body, content_type="application/json").status_code == 403
    )
    assert login(stranger).get(url).status_code == 403
    assert Client().get(url).status_code == 401
    assert login(stranger).get("/api/office/self-assessments").status_code == 403
    review = login(stranger).post(
        f"/api/office/self-assessments/{submitted.pk}/review", "{}", content_type="application/json"
    )
    assert review.status_code == 404


def test_api_office_list_and_review(submitted, expert, office_client):
    listed = office_client.get("/api/office/self-assessments?year=2024&industry=34").json()
    assert listed["count"] == 1 and Decimal(listed["items"][0]["total"]) == 600
    client = login(expert)
    url = f"/api/office/self-assessments/{submitted.pk}/review"
    bad = client.post(url, json.dumps({"results_adjusted": "300"}), content_type="application/json")
    assert bad.status_code == 400 and "results_note" in bad.json()["errors"]
    ok = client.post(
        url,
        json.dumps({"results_adjusted": "300", "results_note": "数据不足", "note": "好"}),
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert Decimal(ok.json()["total"]) == 660
    assert client.post(url, "{}", content_type="application/json").status_code == 409


# --- demo ----------------------------------------------------------------------------------------
def test_the_demo_loads_twenty_self_assessments_once(campaign, office_user):
    from qualitymonth.enterprises.demo import excellence as demo
    from qualitymonth.enterprises.demo import loader

    loader.load(campaign)
    demo.load(campaign)
    demo.load(campaign)
    assert SelfAssessment.objects.count() == 20
    mine = SelfAssessment.objects.filter(enterprise__uscc=loader.ACCOUNT_ENTERPRISE)
    assert mine.count() == 2
    totals = [
        selectors.total(a.scores.all()) for a in SelfAssessment.objects.prefetch_related("scores")
    ]
    assert all(Decimal(300) < t < Decimal(800) for t in totals)
    assert SelfAssessment.objects.filter(
        status=S.REVIEWED, scores__adjusted_score__isnull=False
    ).exists()
