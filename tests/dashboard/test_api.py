"""GET /api/office/dashboard/{slug}: the same figures as the page, the filters as query
parameters (a bad one is a 400 naming it), scoped to a unit's own."""

import pytest

from qualitymonth.api.urls import api
from qualitymonth.core.models import Region
from tests.dashboard.test_pages import campaign, fake  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def path(campaign) -> str:  # noqa: F811
    return f"/api/office/dashboard/{campaign.slug}"


def test_the_office_gets_sections_and_the_scoreboard(office_client, fake, campaign, unit):  # noqa: F811
    district = Region.objects.filter(parent=campaign.region).order_by("code").first()
    response = office_client.get(
        path(campaign), {"district": district.pk, "from": "2024-09-03", "columns": ["late", "done"]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["campaign"]["slug"] == campaign.slug
    assert (body["since"], body["until"]) == ("2024-09-03", "2024-09-30")
    section = body["sections"][0]
    assert section["figures"][0]["value"] == 5  # the district's
    assert [c["key"] for c in section["charts"]] == ["by-unit", "by-day"]
    assert section["charts"][0]["rows"][0] == [unit.name, 7]
    assert [t["key"] for t in section["tables"]] == ["top", "private"]
    assert [c["key"] for c in body["scoreboard"]["columns"]] == ["late", "done"]
    assert fake.calls[-1].filters.district_id == district.pk


def test_a_unit_gets_its_own_share_and_its_row_marked(staff_client, fake, campaign, unit):  # noqa: F811
    body = staff_client.get(path(campaign)).json()
    assert body["sections"][0]["figures"][0]["value"] == 7
    assert body["sections"][0]["charts"][0]["categories"] == [unit.name]
    assert [r["unit_id"] for r in body["scoreboard"]["rows"] if r["own"]] == [unit.pk]


def test_a_unit_asking_for_another_unit_is_refused(staff_client, fake, campaign, other_unit):  # noqa: F811
    response = staff_client.get(path(campaign), {"unit": other_unit.pk})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["unit"]
    assert not fake.calls


@pytest.mark.parametrize(
    "query, field",
    [
        ({"unit": "abc"}, "unit"),
        ({"district": "99999999999999999999999999"}, "district"),
        ({"domain": "-1"}, "domain"),
        ({"focus_area": "1.5"}, "focus_area"),
        ({"from": "2024-02-30"}, "from"),
        ({"to": "09/30/2024"}, "to"),
        ({"from": "2024-09-20", "to": "2024-09-01"}, "to"),
    ],
)
def test_bad_filters_are_400_naming_the_field(office_client, fake, campaign, query, field):  # noqa: F811
    response = office_client.get(path(campaign), query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_control_characters_are_refused_naming_the_field(office_client, fake, campaign):  # noqa: F811
    response = office_client.get(path(campaign), {"sort": "a\tb"})
    assert response.status_code in (400, 422)
    assert "sort" in response.content.decode()


def test_who_may_ask(client, citizen_client, other_staff_client, fake, campaign):  # noqa: F811
    assert client.get(path(campaign)).status_code == 401
    assert citizen_client.get(path(campaign)).status_code == 403
    # A unit taking no part in this campaign: not one it may see.
    campaign.co_organisers.clear()
    assert other_staff_client.get(path(campaign)).status_code == 404
    assert not fake.calls


def test_an_unknown_campaign_is_not_found(office_client, fake):  # noqa: F811
    assert office_client.get("/api/office/dashboard/no-such").status_code == 404


def test_the_schemas_have_names_of_their_own():
    schemas = api.get_openapi_schema(path_prefix="/api/")["components"]["schemas"]
    for name in ("DashboardOut", "ResultsOut", "DashboardSectionOut", "DashboardScoreboardOut"):
        assert name in schemas
