"""The end-of-campaign Word report: opened with python-docx, its headings, tables, images, fonts,
page, footer and table of contents; the overview holds the campaign's numbers; the CLI."""

import datetime
import io
import zoneinfo

import pytest
from django.db.models import Count
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from qualitymonth.campaigns.models import Activity
from qualitymonth.cli import main as cli
from qualitymonth.core import figures
from qualitymonth.core.figures import Chart, Column, Figure, Section, Series, Table
from qualitymonth.dashboard.report import write_report
from tests.factories import ActivityFactory, CampaignFactory, UnitFactory

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
SECTION_TITLE = "测试活动情况"


class ReportTestProvider(figures.Provider):
    """Counts the campaign's activities straight from the rows (a stand-in for the real ones)."""

    key = "test-report"
    title = SECTION_TITLE
    order = 999

    def _activities(self, view):
        return Activity.objects.filter(campaign=view.campaign)

    def figures(self, view):
        rows = self._activities(view)
        return [
            Figure("total", "活动总数", rows.count(), "场", public=True),
            Figure("done", "已完成活动", rows.filter(status="completed").count(), "场"),
        ]

    def section(self, view):
        rows = self._activities(view)
        by_unit = list(rows.values("organiser__name").annotate(n=Count("pk")).order_by("-n"))
        by_status = list(rows.values("status").annotate(n=Count("pk")).order_by("status"))
        days = [view.campaign.starts_on + datetime.timedelta(days=i) for i in range(5)]
        return Section(
            key=self.key,
            title=SECTION_TITLE,
            figures=self.figures(view),
            charts=[
                Chart(
                    "units",
                    "各单位活动",
                    "hbar",
                    [r["organiser__name"] for r in by_unit],
                    [Series("活动", [r["n"] for r in by_unit])],
                    unit="场",
                ),
                Chart(
                    "status",
                    "活动状态",
                    "pie",
                    [r["status"] for r in by_status],
                    [Series("活动", [r["n"] for r in by_status])],
                ),
                Chart(
                    "days",
                    "每日活动",
                    "line",
                    [d.isoformat() for d in days],
                    [Series("活动", [1, 0, 2, None, 1])],
                ),
                Chart(
                    "districts",
                    "各区活动",
                    "bar",
                    ["思明区", "湖里区"],
                    [Series("活动", [2, 1]), Series("完成", [1, 1])],
                ),
                Chart("empty", "尚无数据", "bar", ["思明区"], [Series("活动", [0])]),
            ],
            tables=[
                Table(
                    "cases", "典型案例", ["案例", "单位"], [["某超市销售过期食品案", "市场监管局"]]
                )
            ],
        )

    def scoreboard(self, view):
        done = dict(
            self._activities(view)
            .filter(status="completed")
            .values_list("organiser_id")
            .annotate(n=Count("pk"))
        )
        return [
            Column("done", "完成活动", done, unit="场"),
            Column("extra", "额外一栏", dict.fromkeys(done, 1), default=False),
        ]

    def overview(self, view):
        rows = self._activities(view)
        return [
            f"本次质量月共开展活动{rows.count()}场，已完成{rows.filter(status='completed').count()}场。"
        ]


@pytest.fixture
def report_provider():
    provider = ReportTestProvider()
    figures.register(provider)
    yield provider
    figures._providers.pop(provider.key)


@pytest.fixture
def report_campaign(db):
    campaign = CampaignFactory(
        year=2023, starts_on=datetime.date(2023, 9, 1), ends_on=datetime.date(2023, 9, 30)
    )
    lead = campaign.lead_unit
    other = UnitFactory(region=campaign.region, name="厦门市建设局", short_name="市建设局")
    campaign.co_organisers.add(other)
    when = datetime.datetime(2023, 9, 5, 9, 0, tzinfo=TZ)
    ActivityFactory(
        campaign=campaign,
        organiser=lead,
        starts_at=when,
        status="completed",
        title="计量服务进园区",
    )
    ActivityFactory(campaign=campaign, organiser=other, starts_at=when, status="completed")
    ActivityFactory(campaign=campaign, organiser=other, starts_at=when, status="published")
    return campaign


def written(campaign, **kwargs) -> Document:
    buffer = io.BytesIO()
    write_report(campaign, buffer, today=datetime.date(2023, 10, 8), **kwargs)
    buffer.seek(0)
    return Document(buffer)


def headings(document, level=None) -> list[str]:
    names = {f"Heading {level}"} if level else {f"Heading {n}" for n in (1, 2, 3)}
    return [p.text for p in document.paragraphs if p.style.name in names]


def test_the_report_has_cover_overview_focus_areas_one_chapter_per_section_and_annexes(
    report_provider, report_campaign
):
    document = written(report_campaign, language="en")
    chapters = headings(document, 1)
    assert chapters[0] == "1. Overview"
    assert chapters[1] == "2. Focus areas"
    # One chapter per composed section (the apps' providers and ours, in their order).
    assert any(h.endswith(f". {SECTION_TITLE}") for h in chapters)
    assert any(h.endswith(". Units") for h in chapters)
    assert chapters[-2:] == ["Annex 1 Activities", "Annex 2 Unit scoreboard"]
    focus = headings(document, 2)
    assert focus == ["(1) 开展质量宣传教育", "(2) 深化质量提升行动"]
    cover = [p.text for p in document.paragraphs[:20]]
    assert f"2023 {report_campaign.region.name} Quality Month summary report" in cover
    assert f"Theme: {report_campaign.theme}" in cover
    assert report_campaign.lead_unit.name in cover


def test_the_overview_holds_the_campaigns_numbers(report_provider, report_campaign):
    document = written(report_campaign, language="en")
    texts = [p.text for p in document.paragraphs]
    assert "本次质量月共开展活动3场，已完成2场。" in texts
    start = next(
        n
        for n, p in enumerate(document.paragraphs)
        if p.style.name == "Heading 1" and p.text == "1. Overview"
    )
    opening = texts[start + 1]
    assert "ran from" in opening and report_campaign.theme in opening


def test_figures_are_a_two_column_table_and_charts_inline_png_images(
    report_provider, report_campaign
):
    document = written(report_campaign, language="en")
    figure_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Figure"]
    values = {row.cells[0].text: row.cells[1].text for t in figure_tables for row in t.rows[1:]}
    assert values["活动总数"] == "3场"
    assert values["已完成活动"] == "2场"
    assert all(len(t.columns) == 2 for t in figure_tables)
    # Our four charts with data are drawn (captioned); the empty one is a sentence instead.
    texts = [p.text for p in document.paragraphs]
    captions = [t.split(" ", 2)[2] for t in texts if t.startswith("Figure ")]
    assert {"各单位活动", "活动状态", "每日活动", "各区活动"} <= set(captions)
    assert "尚无数据" not in captions
    assert "尚无数据: nothing recorded yet." in texts
    assert len(document.inline_shapes) == len(captions)
    images = {
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/image")
    }
    assert len(images) >= 4
    assert all(
        part.content_type == "image/png" and part.blob[:8] == b"\x89PNG\r\n\x1a\n"
        for part in images
    )
    cases = next(t for t in document.tables if t.rows[0].cells[0].text == "案例")
    assert cases.rows[1].cells[0].text == "某超市销售过期食品案"


def test_the_scoreboard_and_its_annex(report_provider, report_campaign):
    document = written(report_campaign, language="en")
    boards = [t for t in document.tables if t.rows[0].cells[0].text == "Rank"]
    assert len(boards) == 2
    body, annex = boards
    body_header = [c.text for c in body.rows[0].cells]
    annex_header = [c.text for c in annex.rows[0].cells]
    # The body shows the default columns, the annex every column the providers offer.
    assert "完成活动（场）" in body_header and "额外一栏" not in body_header
    assert {"完成活动（场）", "额外一栏"} <= set(annex_header)
    done = body_header.index("完成活动（场）")
    shown = {row.cells[1].text: row.cells[done].text for row in body.rows[1:]}
    assert shown["市建设局"] == "1"
    assert len(body.rows) == 1 + 2  # the lead unit and the co-organiser
    annex_text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "计量服务进园区" in annex_text


def test_east_asian_fonts_a4_page_numbers_and_table_of_contents(report_provider, report_campaign):
    document = written(report_campaign)
    for name, font in [("Normal", "宋体"), ("Heading 1", "黑体"), ("Heading 2", "黑体")]:
        rfonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == font
        assert rfonts.get(qn("w:eastAsiaTheme")) is None
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.05)
    footer = section.footer._element.xml
    assert "PAGE" in "".join(footer.split("<w:instrText")[1:])
    body = document.element.body
    instructions = [e.text for e in body.iter(qn("w:instrText"))]
    assert any('TOC \\o "1-3"' in text for text in instructions)
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    toc_entries = [p.text for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert toc_entries[0].startswith("一")  # pre-filled with the headings, Chinese numbering
    assert len(toc_entries) == len(headings(document))


def test_a_campaign_without_providers_or_activities_still_gives_a_document(db):
    campaign = CampaignFactory(
        year=2024, starts_on=datetime.date(2024, 9, 1), ends_on=datetime.date(2024, 9, 30)
    )
    document = written(campaign, language="en")
    assert headings(document, 1)[:2] == ["1. Overview", "2. Focus areas"]


def test_the_cli_writes_the_report(report_provider, report_campaign, tmp_path, capsys):
    out = tmp_path / "总结.docx"
    cli(
        [
            "qualitymonth",
            "report",
            "campaign",
            "--campaign",
            report_campaign.slug,
            "--out",
            str(out),
            "--as-at",
            "2023-10-08",
        ]
    )
    assert "figures as at 2023-09-30" in capsys.readouterr().out
    assert f"{SECTION_TITLE}" in "\n".join(headings(Document(str(out)), 1))


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--campaign", "no-such-campaign"], "No campaign 'no-such-campaign'"),
        (["--out", "/no/such/folder/r.docx"], "the folder /no/such/folder does not exist"),
        (["--out", "REPORT.txt"], "name it ….docx"),
        (["--as-at", "2023-13-01"], "is not a date"),
    ],
)
def test_the_cli_refuses_bad_input_with_a_clear_message(
    report_campaign, tmp_path, capsys, arguments, message
):
    options = {"--campaign": report_campaign.slug, "--out": str(tmp_path / "r.docx")}
    options.update(dict(zip(arguments[::2], arguments[1::2], strict=True)))
    with pytest.raises(SystemExit) as exit_info:
        cli(["qualitymonth", "report", "campaign", *[x for kv in options.items() for x in kv]])
    assert exit_info.value.code != 0
    error = capsys.readouterr().err
    assert message in error
    assert "Traceback" not in error
