"""Every list, API or web page, goes through core.pagination: a page number from the client never
reaches the database unbounded."""

import re

import pytest
from django.test import RequestFactory

from qualitymonth.api.urls import api
from qualitymonth.core.pagination import PAST_THE_END, paginate
from tests.contest.conftest import contest  # noqa: F401 (a contest for the {slug} lists)
from tests.factories import ActivityFactory

HOSTILE_PAGES = ["9223372036854775807", "99999999999999999999999", "2"]
MALFORMED_PAGES = ["-1", "0", "abc", "1e9", ""]


def paginated_list_paths() -> list[str]:
    """Every GET operation of the API that takes a ``page``: a new list is covered by itself."""
    schema = api.get_openapi_schema(path_prefix="/api/")
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get") or {}
        if any(p["name"] == "page" for p in get.get("parameters", [])):
            found.append(path)
    return found


def _fill(path: str, **more) -> str:
    values = {"slug": "video-contest", **{k: str(v) for k, v in more.items()}}
    missing = set(re.findall(r"{(\w+)}", path)) - set(values)
    assert not missing, f"give test_pagination a value for {missing} in {path}"
    return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)


def test_the_api_lists_are_found():
    paths = paginated_list_paths()
    for expected in (
        "/api/activities",
        "/api/stories",
        "/api/articles",
        "/api/contests/{slug}/entries",
        "/api/office/complaints",
        "/api/office/articles",
        "/api/office/stories",
        "/api/office/judging/assignments",
    ):
        assert expected in paths


def test_every_api_list_uses_the_core_pagination():
    """Its page parameter carries core.pagination's description, not ninja's bare one."""
    schema = api.get_openapi_schema(path_prefix="/api/")
    for path in paginated_list_paths():
        page = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "page")
        assert PAST_THE_END in page.get("description", ""), path


@pytest.fixture
def enterprise_id(campaign):
    """An enterprise of the office's city, for the lists under /api/enterprises/{enterprise_id}."""
    from qualitymonth.core.validators import uscc_check_character
    from qualitymonth.enterprises.models import Enterprise

    body = "91999999000000777"
    return Enterprise.objects.create(
        region=campaign.region,
        uscc=body + uscc_check_character(body),
        name="分页测试企业有限公司",
        legal_representative="王某",
        registered_address="测试路1号",
    ).pk


@pytest.fixture
def inspector_id(campaign):
    """An inspector of a unit of the office's city, for /api/office/supervision/inspectors/…"""
    from qualitymonth.supervision.models import Inspector
    from tests.factories import UnitFactory, UserFactory

    unit = UnitFactory(region=campaign.region, kind="market_supervision", code="paging-amr")
    return Inspector.objects.create(
        user=UserFactory(username="paging-inspector"),
        unit=unit,
        name="分页测试检查员",
        certificate_number="ZF-PAGING",
        kinds=["canteen"],
    ).pk


@pytest.mark.django_db
@pytest.mark.parametrize("page", HOSTILE_PAGES)
def test_a_page_past_the_end_is_empty_on_every_api_list(
    office_client,
    contest,  # noqa: F811
    activity,
    enterprise_id,
    inspector_id,
    page,
):
    for path in paginated_list_paths():
        filled = _fill(path, enterprise_id=enterprise_id, inspector_id=inspector_id)
        response = office_client.get(filled, {"page": page})
        assert response.status_code == 200, (path, response.content[:300])
        assert response.json()["items"] == [], path


@pytest.mark.django_db
@pytest.mark.parametrize("page", MALFORMED_PAGES)
def test_a_malformed_page_is_refused_on_every_api_list(
    office_client,
    contest,  # noqa: F811
    enterprise_id,
    inspector_id,
    page,
):
    for path in paginated_list_paths():
        response = office_client.get(
            _fill(path, enterprise_id=enterprise_id, inspector_id=inspector_id),
            {"page": page, "page_size": "-5"},
        )
        assert response.status_code == 422, (path, response.content[:300])


@pytest.mark.django_db
def test_an_api_page_past_the_end_keeps_the_true_count(client, campaign, unit):
    for _ in range(3):
        ActivityFactory(campaign=campaign, organiser=unit)
    first = client.get("/api/activities", {"page": 1, "page_size": 2}).json()
    second = client.get("/api/activities", {"page": 2, "page_size": 2}).json()
    beyond = client.get("/api/activities", {"page": 9223372036854775807, "page_size": 2}).json()
    assert (len(first["items"]), len(second["items"]), len(beyond["items"])) == (2, 1, 0)
    assert first["count"] == second["count"] == beyond["count"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "shown"),
    [("9223372036854775807", 2), ("99999999999999999999999", 2), ("-1", 2), ("abc", 1), ("", 1)],
)
def test_the_web_helper_clamps_to_the_pages_that_exist(campaign, unit, page, shown):
    from qualitymonth.campaigns.models import Activity

    for _ in range(3):
        ActivityFactory(campaign=campaign, organiser=unit)
    request = RequestFactory().get("/", {"page": page})
    assert paginate(request, Activity.objects.order_by("id"), per_page=2).number == shown


@pytest.mark.django_db
def test_the_web_helper_counts_up_to_its_cap(campaign, unit):
    from qualitymonth.campaigns.models import Activity

    for _ in range(3):
        ActivityFactory(campaign=campaign, organiser=unit)
    request = RequestFactory().get("/", {"page": "9223372036854775807"})
    capped = paginate(request, Activity.objects.order_by("id"), per_page=1, count_cap=2)
    assert capped.paginator.is_capped and capped.paginator.count == 3
    assert capped.number == 3
    whole = paginate(request, Activity.objects.order_by("id"), per_page=1)
    assert not whole.paginator.is_capped and whole.paginator.count == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/calendar/", "/stories/", "/science/", "/office/complaints/", "/office/", "/contest/"],
)
def test_web_lists_answer_a_huge_page(office_client, url):
    response = office_client.get(url, {"page": "9223372036854775807"}, follow=True)
    assert response.status_code < 500
