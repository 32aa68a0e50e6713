"""The dashboard's API shapes. Names start with Dashboard or Results: one OpenAPI document
holds every app's schemas, and two of one name would show as one."""

import datetime

from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line

Number = int | float | None
Cell = str | int | float | None


class DashboardQueryIn(InputSchema):
    """The filters, as on the page: ids from the campaign's lists, dates as YYYY-MM-DD."""

    unit: Line | None = Field(None, description="A unit id (a unit's staff: one of their own)")
    district: Line | None = Field(None, description="A district id (a region below the campaign's)")
    domain: Line | None = Field(None, description="A domain id of the campaign")
    focus_area: Line | None = Field(None, description="A focus area id of the campaign")
    date_from: Line | None = Field(None, alias="from", description="First day, YYYY-MM-DD")
    date_to: Line | None = Field(None, alias="to", description="Last day, YYYY-MM-DD")
    columns: list[Line] = Field([], description="Scoreboard columns (keys); default ones if none")
    sort: Line | None = Field(None, description="The scoreboard column to rank by")


class DashboardCampaignOut(Schema):
    slug: str
    year: int
    theme: str


class DashboardChangeOut(Schema):
    value: float
    display: str
    direction: str


class DashboardFigureOut(Schema):
    key: str
    label: str
    value: Number
    unit: str
    display: str
    previous: Number = Field(description="Last year's campaign at the same point")
    previous_display: str
    change: DashboardChangeOut | None
    note: str


class DashboardSeriesOut(Schema):
    name: str
    data: list[Number]


class DashboardChartOut(Schema):
    key: str
    title: str
    kind: str = Field(description="bar, hbar, line or pie")
    unit: str
    category_label: str
    categories: list[str]
    series: list[DashboardSeriesOut]
    header: list[str] = Field(description="The chart as a table: its header …")
    rows: list[list[Cell]] = Field(description="… and its rows")
    empty: bool


class DashboardTableOut(Schema):
    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]


class DashboardSectionOut(Schema):
    key: str
    title: str
    ignored_filters: list[str] = Field(description="Filters set that this section cannot apply")
    figures: list[DashboardFigureOut]
    charts: list[DashboardChartOut]
    tables: list[DashboardTableOut]


class DashboardColumnOut(Schema):
    key: str
    label: str
    unit: str
    higher_is_better: bool


class DashboardColumnChoiceOut(Schema):
    key: str
    label: str


class DashboardRowOut(Schema):
    unit_id: int
    unit: str
    rank: int | None
    own: bool = Field(description="The caller's own unit")
    values: list[Number]
    displays: list[str]


class DashboardScoreboardOut(Schema):
    columns: list[DashboardColumnOut]
    available: list[DashboardColumnChoiceOut]
    sort: str
    rows: list[DashboardRowOut]


class DashboardOut(Schema):
    campaign: DashboardCampaignOut
    since: datetime.date = Field(description="First day counted")
    until: datetime.date = Field(description="Last day counted")
    previous_year: int | None
    computed_at: datetime.datetime
    sections: list[DashboardSectionOut]
    scoreboard: DashboardScoreboardOut | None


class ResultsOut(Schema):
    campaign: DashboardCampaignOut
    since: datetime.date
    until: datetime.date
    previous_year: int | None
    computed_at: datetime.datetime = Field(description="Results are cached a few minutes")
    sections: list[DashboardSectionOut]
