"""The office's and units' dashboard pages, the large screen and the Excel exports, with a fake
provider standing for the apps (registered for each test, gone after it)."""

import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from qualitymonth.core import figures
from qualitymonth.core.models import Region
from tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("dashboard:home")
SEPT_1, SEPT_30 = dt.date(2024, 9, 1), dt.date(2024, 9, 30)


class FakeProvider(figures.Provider):
    """Numbers per unit and per district; remembers every view it was asked for."""

    key = "zz-fake"
    title = "Fake figures"
    order = 1

    def __init__(self, done: dict, by_district: dict, names: dict):
        self.done = done  # unit id -> activities done
        self.by_district = by_district  # district id -> activities done
        self.names = names  # unit id -> name
        self.calls = []

    def _units(self, view):
        ids = view.unit_ids
        return [pk for pk in self.done if ids is None or pk in ids]

    def figures(self, view):
        if view.filters.district_id is not None:
            total = self.by_district.get(view.filters.district_id, 0)
        else:
            total = sum(self.done[pk] for pk in self._units(view))
        # Last year's campaign is another object: it gets a fixed, smaller number.
        if view.campaign.year != 2024:
            total = 3
        return [
            figures.Figure("done", "Activities done", total, "场", public=True),
            figures.Figure("on-time", "Reports on time", 87.5, "%"),
        ]

    def section(self, view):
        self.calls.append(view)
        units = self._units(view)
        return figures.Section(
            key=self.key,
            title=self.title,
            figures=self.figures(view),
            charts=[
                figures.Chart(
                    key="by-unit",
                    title="Done by unit",
                    kind="bar",
                    categories=[self.names[pk] for pk in units],
                    series=[figures.Series("Done", [self.done[pk] for pk in units])],
                    public=True,
                    unit="场",
                    category_label="Unit",
                ),
                figures.Chart(
                    key="by-day",
                    title="Internal by day",
                    kind="line",
                    categories=["09-01", "09-02"],
                    series=[figures.Series("Late", [1, 0]), figures.Series("Open", [2, None])],
                ),
            ],
            tables=[
                figures.Table(
                    "top",
                    "Top activities",
                    ["Activity", "Participants"],
                    [["计量服务进企业", 120]],
                    public=True,
                ),
                figures.Table(
                    "private", "Internal list", ["Who", "Mobile"], [["PRIVATE-ROW", "13912345678"]]
                ),
            ],
            ignored_filters=figures.not_applied(view, "domain"),
        )

    def scoreboard(self, view):
        return [
            figures.Column("done", "Done", dict(self.done), unit="场"),
            figures.Column(
                "late",
                "Late reports",
                {pk: n % 3 for pk, n in self.done.items()},
                higher_is_better=False,
                default=False,
            ),
        ]


@pytest.fixture
def campaign(db):
    return CampaignFactory(year=2024, starts_on=SEPT_1, ends_on=SEPT_30)


@pytest.fixture
def fake(campaign, unit, other_unit, monkeypatch):
    campaign.co_organisers.add(unit, other_unit)
    district = Region.objects.filter(parent=campaign.region).order_by("code").first()
    provider = FakeProvider(
        done={unit.pk: 7, other_unit.pk: 4},
        by_district={district.pk: 5},
        names={unit.pk: unit.name, other_unit.pk: other_unit.name},
    )
    # Only the fake: the apps' own providers have their own tests.
    monkeypatch.setattr(figures, "_providers", {})
    figures.register(provider)
    return provider


def page_charts(response) -> list[dict]:
    found = re.search(
        r'<script id="dashboard-charts" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def workbook_rows(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


# --- the office ----------------------------------------------------------------------------------
def test_office_sees_figures_charts_tables_and_scoreboard(office_client, fake, unit, other_unit):
    response = office_client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fake figures" in html and "11场" in html  # 7 + 4, the whole campaign
    assert fake.calls[-1].scope is None
    charts = {c["key"]: c for c in page_charts(response)}
    assert charts["by-unit"]["categories"] == [unit.name, other_unit.name]
    assert charts["by-unit"]["series"][0]["data"] == [7, 4]
    assert 'id="chart-zz-fake-by-unit"' in html and "<details" in html  # the chart's table
    assert reverse("dashboard:export", args=[fake.key, "by-unit"]) in html
    assert "PRIVATE-ROW" in html  # the office's own page shows internal tables
    board = response.context["data"]["scoreboard"]
    assert [r["unit"] for r in board["rows"]][:2] == [unit.display_name, other_unit.display_name]
    assert [c["key"] for c in board["columns"]] == ["done"]
    assert not any(r["own"] for r in board["rows"])


def test_the_page_has_no_inline_script_or_style(office_client, fake):
    html = office_client.get(HOME).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "<style" not in html and " style=" not in html


def test_last_years_campaign_at_the_same_point_is_shown(office_client, fake, campaign):
    CampaignFactory(
        year=2023,
        region=campaign.region,
        starts_on=dt.date(2023, 9, 1),
        ends_on=dt.date(2023, 9, 30),
    )
    response = office_client.get(HOME, {"campaign": campaign.slug})
    figure = response.context["data"]["sections"][0]["figures"][0]
    assert (figure["value"], figure["previous"], figure["change"]["display"]) == (11, 3, "+8场")
    assert "2023" in response.content.decode()


def test_the_chooser_opens_the_newest_campaign_or_the_one_asked(office_client, fake, campaign):
    older = CampaignFactory(
        year=2021,
        region=campaign.region,
        starts_on=dt.date(2021, 9, 1),
        ends_on=dt.date(2021, 9, 30),
    )
    assert office_client.get(HOME).context["campaign"] == campaign
    assert office_client.get(HOME, {"campaign": older.slug}).context["campaign"] == older
    assert office_client.get(HOME, {"campaign": "no-such"}).context["campaign"] == campaign
    elsewhere = CampaignFactory(year=2025)  # another city's: not this office's
    assert office_client.get(HOME, {"campaign": elsewhere.slug}).context["campaign"] == campaign


def test_filters_reach_the_provider_and_change_the_figures(office_client, fake, campaign):
    district = Region.objects.filter(parent=campaign.region).order_by("code").first()
    domain = campaign.domains.first()
    response = office_client.get(
        HOME,
        {"district": district.pk, "domain": domain.pk, "from": "2024-09-05", "to": "2024-09-10"},
    )
    assert response.status_code == 200
    view = fake.calls[-1]
    assert (view.filters.district_id, view.filters.domain_id) == (district.pk, domain.pk)
    assert (view.since, view.until) == (dt.date(2024, 9, 5), dt.date(2024, 9, 10))
    assert response.context["data"]["sections"][0]["figures"][0]["display"] == "5场"
    # The section cannot narrow by domain: the page says so.
    assert 'data-testid="ignored-zz-fake"' in response.content.decode()
    # Links keep the filters: export and large screen count the same days and district.
    assert f"district={district.pk}" in response.context["asked"].query


@pytest.mark.parametrize(
    "query, field",
    [
        ({"unit": "abc"}, "unit"),
        ({"unit": "99999999999999999999999"}, "unit"),
        ({"district": "-1"}, "district"),
        ({"domain": "1 OR 1=1"}, "domain"),
        ({"focus_area": "１"}, "focus_area"),
        ({"from": "2024-13-01"}, "from"),
        ({"to": "tomorrow"}, "to"),
        ({"from": "2024-09-20", "to": "2024-09-10"}, "to"),
        ({"from": "0000-00-00"}, "from"),
    ],
)
def test_bad_filters_are_form_errors_not_crashes(office_client, fake, query, field):
    response = office_client.get(HOME, query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert fake.calls  # the figures are still shown, without the refused filter


def test_a_nul_in_the_query_is_refused_before_the_page(office_client, fake):
    assert office_client.get(HOME, {"focus_area": "\x00"}).status_code == 400


def test_odd_scoreboard_choices_are_ignored(office_client, fake):
    response = office_client.get(HOME, {"columns": ["nope", "<b>", "late"], "sort": "x" * 500})
    assert response.status_code == 200
    board = response.context["data"]["scoreboard"]
    assert [c["key"] for c in board["columns"]] == ["late"]


def test_the_office_chooses_scoreboard_columns_and_sort(office_client, fake, unit, other_unit):
    response = office_client.get(HOME, {"columns": ["done", "late"], "sort": "late"})
    board = response.context["data"]["scoreboard"]
    assert [c["key"] for c in board["columns"]] == ["done", "late"]
    assert board["sort"] == "late"
    # late: 7 % 3 = 1 for the unit, 4 % 3 = 1 for the other, 0 for the lead unit (no value).
    ranked = [(r["unit"], r["rank"]) for r in board["rows"]]
    assert ranked[0][1] == 1 and ranked[1][1] == 1
    assert ranked[-1][1] is None


# --- a unit --------------------------------------------------------------------------------------
def test_a_unit_sees_only_its_own_figures(staff_client, fake, unit, other_unit):
    response = staff_client.get(HOME)
    assert response.status_code == 200
    assert fake.calls[-1].scope == frozenset({unit.pk})
    assert fake.calls[-1].unit_ids == frozenset({unit.pk})
    charts = {c["key"]: c for c in page_charts(response)}
    assert charts["by-unit"]["categories"] == [unit.name]
    assert response.context["data"]["sections"][0]["figures"][0]["display"] == "7场"
    choices = [value for value, _label in response.context["form"].fields["unit"].choices]
    assert choices == ["", str(unit.pk)]
    # The scoreboard ranks every unit, with the unit's own row marked.
    rows = response.context["data"]["scoreboard"]["rows"]
    assert [r["unit"] for r in rows if r["own"]] == [unit.display_name]
    assert 'data-testid="own-row"' in response.content.decode()
    # "All" in the unit filter means all of the unit's own units, and says so.
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        label = translation.gettext("All my units")
    assert f'<option value="" selected>{label}</option>' in response.content.decode()


def test_the_page_has_a_section_menu_and_aligns_numbers_only(office_client, fake):
    response = office_client.get(HOME)
    html = response.content.decode()
    menu = html.split('data-testid="section-menu"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#section-zz-fake"' in menu and 'href="#scoreboard"' in menu
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        everything = translation.pgettext("filter", "All")
    assert f'<option value="" selected>{everything}</option>' in html  # the office's: all units
    # The table's text is left-aligned, its numbers right-aligned; a missing value is "—".
    assert '<th scope="row">计量服务进企业</th><td class="num">120</td>' in html
    assert '<th scope="col" class="num">Participants</th>' in html
    assert '<td class="none">—</td>' in html  # the chart "by-day" has a None


def test_a_unit_asking_for_another_units_figures_is_refused(staff_client, fake, unit, other_unit):
    response = staff_client.get(HOME, {"unit": other_unit.pk})
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert fake.calls[-1].unit_ids == frozenset({unit.pk})
    assert other_unit.name not in json.dumps(page_charts(response), ensure_ascii=False)
    export = staff_client.get(
        reverse("dashboard:export", args=[fake.key, "by-unit"]), {"unit": other_unit.pk}
    )
    assert export.status_code == 400


def test_a_unit_of_no_campaign_is_told_there_is_none(fake, campaign):
    loner = UnitFactory(region=campaign.region)
    user = MembershipFactory(unit=loner, role="unit_staff", user=UserFactory()).user
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 404
    assert not fake.calls


def test_anonymous_is_sent_to_log_in_and_a_citizen_is_refused(client, citizen_client, fake):
    response = client.get(HOME)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name in ("home", "screen", "data", "scoreboard_export"):
        assert citizen_client.get(reverse(f"dashboard:{name}")).status_code == 403
    url = reverse("dashboard:export", args=[fake.key, "by-unit"])
    assert citizen_client.get(url).status_code == 403
    assert not fake.calls


# --- exports -------------------------------------------------------------------------------------
def test_a_charts_export_has_the_rows_of_its_table(office_client, fake, campaign):
    district = Region.objects.filter(parent=campaign.region).order_by("code").first()
    query = {"district": district.pk, "from": "2024-09-02"}
    page = office_client.get(HOME, query)
    chart = next(c for c in page_charts(page) if c["key"] == "by-unit")
    response = office_client.get(
        reverse("dashboard:export", args=[fake.key, "by-unit"]),
        {"campaign": campaign.slug, **query},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = workbook_rows(response)
    assert rows == [chart["header"], *chart["rows"]]
    assert fake.calls[-1].filters.district_id == district.pk
    about = load_workbook(io.BytesIO(response.content)).worksheets[1]
    assert any(
        district.name in str(cell) for row in about.iter_rows(values_only=True) for cell in row
    )


def test_a_tables_export_and_a_multi_series_chart(office_client, fake):
    rows = workbook_rows(office_client.get(reverse("dashboard:export", args=[fake.key, "top"])))
    assert rows == [["Activity", "Participants"], ["计量服务进企业", 120]]
    rows = workbook_rows(office_client.get(reverse("dashboard:export", args=[fake.key, "by-day"])))
    assert rows == [["Internal by day", "Late", "Open"], ["09-01", 1, 2], ["09-02", 0, None]]


def test_a_units_export_is_its_own_share(staff_client, fake, unit):
    rows = workbook_rows(staff_client.get(reverse("dashboard:export", args=[fake.key, "by-unit"])))
    assert rows == [["Unit", "Done"], [unit.name, 7]]


def test_unknown_exports_are_not_found(office_client, fake):
    for section, key in [(fake.key, "nope"), ("nope", "by-unit"), ("..", "%00")]:
        url = reverse("dashboard:export", args=[section, key])
        assert office_client.get(url).status_code == 404


def test_the_scoreboard_export(office_client, staff_client, fake, unit, other_unit):
    url = reverse("dashboard:scoreboard_export")
    rows = workbook_rows(office_client.get(url, {"columns": ["done", "late"], "sort": "done"}))
    assert rows[0][2:] == ["Done (场)", "Late reports"]  # after rank and unit
    assert rows[1] == [1, unit.display_name, 7, 1]
    assert rows[2] == [2, other_unit.display_name, 4, 1]
    # A unit gets its own place among all, not the other units' figures.
    assert workbook_rows(staff_client.get(url))[1:] == [[1, unit.display_name, 7]]


# --- the large screen ----------------------------------------------------------------------------
def test_the_large_screen_and_its_data(office_client, fake, campaign):
    response = office_client.get(reverse("dashboard:screen"), {"campaign": campaign.slug})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="screen"' in html and "data-refresh-url=" in html
    assert 'data-tile="done"' in html and "11场" in html
    data_url = re.search(r'data-refresh-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert data_url.startswith(reverse("dashboard:data"))
    data = office_client.get(data_url).json()
    assert [t["key"] for t in data["tiles"]] == ["done", "on-time"]
    assert [c["key"] for c in data["charts"]] == ["by-unit", "by-day"]
    assert data["computed_at"]


def test_the_screens_data_refuses_bad_filters(office_client, fake):
    response = office_client.get(reverse("dashboard:data"), {"from": "2024-02-30"})
    assert response.status_code == 400
    assert "from" in response.json()["errors"]


def test_the_page_reads_few_queries(office_client, fake, django_assert_max_num_queries):
    office_client.get(HOME)  # the session and the user's memberships warm up
    with django_assert_max_num_queries(30):
        assert office_client.get(HOME).status_code == 200


def test_the_date_fields_say_how_they_choose(office_client, fake, campaign):
    from django.utils import translation

    from qualitymonth.dashboard.forms import DashboardFilterForm

    page = office_client.get(reverse("dashboard:home"), {"campaign": campaign.slug})
    with translation.override("zh-hans"):
        help_text = str(DashboardFilterForm(None, campaign=campaign, units=[])["to"].help_text)
    assert help_text and help_text in page.content.decode()
