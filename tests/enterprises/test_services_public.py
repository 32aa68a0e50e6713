"""The public pages of the one-stop service: what it offers, and its results."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from qualitymonth.enterprises.catalogue_selectors import compute_public_results
from qualitymonth.enterprises.models import Need, Provider, ServiceType
from qualitymonth.enterprises.reference import load_services
from tests.enterprises.conftest import make_enterprise

pytestmark = pytest.mark.django_db

INDEX, RESULTS = "/services/", "/services/results/"


@pytest.fixture
def services(db):
    load_services()
    return {t.code: t for t in ServiceType.objects.all()}


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0)))


def _need(n, enterprise, service_type, *, status="closed", closed=None, complete_by=None, **fields):
    return Need.objects.create(
        number=f"N20240301{n:04d}",
        region=enterprise.region,
        enterprise=enterprise,
        service_type=service_type,
        description="需要帮助",
        status=status,
        respond_by=dt.date(2024, 3, 4),
        complete_by=complete_by,
        closed_at=_at(closed) if closed else None,
        **fields,
    )


# --- the page that explains the service --------------------------------------------------------
def test_the_public_page_lists_the_offered_catalogue_by_category_with_fees_limits_and_providers(
    services, campaign, django_assert_max_num_queries
):
    Provider.objects.create(
        region=campaign.region,
        kind="institution",
        name="测试计量院",
        unit=campaign.lead_unit,
    ).service_types.add(services["calibration"])
    ServiceType.objects.filter(code="qc-circle").update(is_active=False)
    with django_assert_max_num_queries(6):
        response = Client().get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    for service_type in ServiceType.objects.filter(is_active=True):
        assert service_type.name in html  # every category's types
    assert html.count("<h2>") >= len(ServiceType.Category.values)
    assert "测试计量院" in html
    assert "QC 小组活动辅导" not in html  # not offered now
    assert 'class="tag warn"' in html and 'class="tag"' in html  # charged, free
    # Anonymous visitors are sent to sign up as an enterprise (or to log in).
    assert 'href="/enterprises/"' in html and "/services/new/" in html


def test_the_sign_up_link_leads_to_the_sign_up_page(services):
    response = Client().get("/enterprises/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/enterprises/signup/", 302)]


def test_an_inactive_provider_is_not_shown_to_the_public(services, campaign):
    provider = Provider.objects.create(
        region=campaign.region,
        kind="institution",
        name="停用的机构",
        unit=campaign.lead_unit,
        is_active=False,
    )
    provider.service_types.add(services["calibration"])
    assert "停用的机构" not in Client().get(INDEX).content.decode()


def test_a_signed_in_visitor_gets_the_need_form_link(services, citizen_client):
    html = citizen_client.get(INDEX).content.decode()
    assert 'href="/services/new/"' in html and 'href="/enterprises/"' not in html


def test_the_site_navigation_links_the_service_page(services):
    html = Client().get(INDEX).content.decode()
    assert f'<a href="{INDEX}">' in html
    assert f'href="{RESULTS}"' in html


# --- results -----------------------------------------------------------------------------------
@pytest.fixture
def served(services, campaign):
    """Three closed needs (two on time), one open, one declined; one enterprise agreed to be
    named, the other did not."""
    agreed = make_enterprise(
        campaign.region, 501, name="愿意公开测试有限公司", contact_name="赵公开",
        contact_mobile="13911112222",
    )  # fmt: skip
    private = make_enterprise(
        campaign.region, 502, name="不愿公开测试有限公司", contact_name="钱保密",
        contact_mobile="13933334444", legal_representative="孙法人",
    )  # fmt: skip
    calibration, diagnosis = services["calibration"], services["quality-diagnosis"]
    _need(1, agreed, calibration, closed=dt.date(2024, 3, 10), complete_by=dt.date(2024, 3, 12),
          fee_standard=Decimal("1000"), fee_charged=Decimal("400"), relief="reduced", rating=5,
          rating_comment="王师傅很好 13955556666", public_consent=True)  # fmt: skip
    _need(2, private, calibration, closed=dt.date(2024, 3, 20), complete_by=dt.date(2024, 3, 12),
          fee_standard=Decimal("500"), fee_charged=Decimal("500"), rating=2)  # fmt: skip
    _need(3, private, diagnosis, closed=dt.date(2024, 3, 5), complete_by=dt.date(2024, 3, 6),
          rating=4)  # fmt: skip
    _need(4, agreed, diagnosis, status="in_service", complete_by=dt.date(2024, 3, 30),
          public_consent=True)  # fmt: skip
    _need(5, private, calibration, status="declined", closed=dt.date(2024, 3, 2))
    return agreed, private


def test_the_results_count_served_on_time_rating_and_money_saved_by_category(served):
    results = compute_public_results()
    assert results["total"] == {
        "received": 4,
        "served": 3,
        "on_time_percent": 67,
        "rating": 3.7,
        "ratings": 3,
        "saved": "600.00",
    }
    metrology = results["categories"]["metrology"]
    assert (metrology["received"], metrology["served"], metrology["on_time_percent"]) == (2, 2, 50)
    assert metrology["rating"] == 3.5 and Decimal(metrology["saved"]) == 600
    quality = results["categories"]["quality"]
    assert (quality["received"], quality["served"], quality["on_time_percent"]) == (2, 1, 100)
    assert Decimal(quality["saved"]) == 0
    assert [item["enterprise"] for item in results["named"]] == ["愿意公开测试有限公司"]


def test_the_results_page_names_only_enterprises_that_agreed_and_shows_no_personal_data(served):
    response = Client().get(RESULTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "愿意公开测试有限公司" in html
    for secret in ("不愿公开测试有限公司", "赵公开", "钱保密", "孙法人", "13911112222",
                   "139****2222", "13955556666", "王师傅", "需要帮助", "N20240301"):  # fmt: skip
        assert secret not in html, secret
    assert "600" in html and "67 %" in html and "3.7" in html


def test_the_results_are_cached_for_a_few_minutes(served, services, django_assert_num_queries):
    first = Client().get(RESULTS).context["total"]["served"]
    agreed, _private = served
    _need(9, agreed, services["calibration"], closed=dt.date(2024, 3, 8), rating=5)
    with django_assert_num_queries(0):
        again = Client().get(RESULTS)
    assert again.context["total"]["served"] == first == 3
    cache.clear()
    assert Client().get(RESULTS).context["total"]["served"] == 4


def test_the_results_page_with_no_needs_yet_shows_dashes(services):
    response = Client().get(RESULTS)
    assert response.status_code == 200
    assert response.context["total"]["on_time_percent"] is None


def test_with_the_demo_loaded_the_results_show_its_closed_needs_and_consenting_names_only(
    campaign, office_user, office_client
):
    from qualitymonth.enterprises.demo import loader

    loader.load(campaign)
    response = Client().get(RESULTS)
    assert response.status_code == 200
    assert response.context["total"]["served"] == 10
    assert response.context["total"]["received"] == 38  # the two declined are not counted
    assert 0 < response.context["total"]["on_time_percent"] < 100  # two were closed late
    named = {item["enterprise"] for item in response.context["named"]}
    consenting = set(
        Need.objects.filter(status="closed", public_consent=True).values_list(
            "enterprise__name", flat=True
        )
    )
    assert named == consenting and named
    html = response.content.decode()
    for need in Need.objects.filter(public_consent=False).select_related("enterprise"):
        if not Need.objects.filter(enterprise=need.enterprise, public_consent=True).exists():
            assert need.enterprise.name not in html
    assert Client().get(INDEX).status_code == 200
    assert office_client.get("/office/needs/catalogue/").status_code == 200
    assert office_client.get("/office/needs/catalogue/providers/").status_code == 200
