"""The end-of-campaign report as a Word document, written from the dashboard's figures.

The report composes the same providers as the dashboard (no figure is computed here): the
overview is every provider's `overview(view)` sentences, one section per focus area comes from
the campaigns app, then one section per dashboard Section (figures as a table, charts as PNG
images, tables), the unit scoreboard and the annexes. The text is ordinary paragraphs, so the
office edits it afterwards in Word.

Chinese needs the East Asian font named on its own (`w:eastAsia`): Word otherwise sets the
characters in whatever its theme says. Body text is 宋体, headings 黑体; the font table names
the CJK font this machine has as their alternative, for viewers that have neither. The table
of contents is a TOC field Word updates on opening (`updateFields`), pre-filled with the
headings so viewers that do not update fields still show it.
"""

import datetime
import io
import logging
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from qualitymonth.campaigns.figures import activity_rows, focus_areas
from qualitymonth.core import figures as core_figures
from qualitymonth.core.figures import Chart, Figure, Section, Table, format_number
from qualitymonth.dashboard import chart_images
from qualitymonth.dashboard.figures import View, compose, scoreboard

log = logging.getLogger(__name__)

BODY_FONT = "宋体"  # SimSun
HEADING_FONT = "黑体"  # SimHei
LATIN_FONT = "Times New Roman"
ALT_NAMES = {BODY_FONT: "SimSun", HEADING_FONT: "SimHei"}
TEXT_WIDTH = Cm(21 - 2 * 2.8)
IMAGE_WIDTH = Cm(15.2)
TABLE_STYLE = "Table Grid"
TABLE_TEXT = "Table Text"
CHINESE_NUMERALS = "〇一二三四五六七八九"

ProgressCallback = Callable[[int, str], None]


def report_as_at(campaign, today: datetime.date | None = None) -> datetime.date:
    """The day the figures stop at: the campaign's last day once it is over, else today."""
    today = today or timezone.localdate()
    return min(campaign.ends_on, today)


def write_report(
    campaign,
    out,
    *,
    today: datetime.date | None = None,
    language: str | None = None,
    progress: ProgressCallback | None = None,
) -> None:
    """Write the report of `campaign` to `out` (a path or a binary file). `today` fixes the day
    the figures stop at (see report_as_at); `progress(percent, step)` hears how far it got."""
    with translation.override(language or settings.LANGUAGE_CODE):
        _ReportWriter(campaign, report_as_at(campaign, today), progress).write(out)


def _numeral(number: int) -> str:
    """一 … 九十九 in Chinese, 1 … in any other language."""
    if not (translation.get_language() or "").startswith("zh") or not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = (CHINESE_NUMERALS[tens] if tens > 1 else "") + ("十" if tens else "")
    return text + (CHINESE_NUMERALS[ones] if ones else "")


def _text(value) -> str:
    """A table cell's text: numbers as the dashboard writes them, dates in the local format."""
    if value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool)):
        return format_number(value)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


class _ReportWriter:
    def __init__(self, campaign, as_at: datetime.date, progress: ProgressCallback | None):
        self.campaign = campaign
        self.as_at = as_at
        self.progress = progress or (lambda percent, step: None)
        self.document = Document()
        self.headings: list[tuple[int, str]] = []
        self.chapter = 0
        self.part = 0
        self.figure_number = 0
        self.table_number = 0

    # --- the whole document ------------------------------------------------------------------
    def write(self, out) -> None:
        self.progress(5, _("Reading the figures"))
        dashboard = compose(self.campaign, today=self.as_at)
        view = dashboard.view
        self._setup()
        self._cover(dashboard)
        toc = self._toc_placeholder()
        self.progress(20, _("Writing the overview"))
        self._overview(view)
        self.progress(30, _("Writing the focus areas"))
        self._focus_areas(view)
        sections = dashboard.sections
        for number, section in enumerate(sections):
            self.progress(
                35 + 45 * number // max(len(sections), 1),
                _("Writing the section %(title)s") % {"title": section.title},
            )
            self._section(section)
        self.progress(82, _("Writing the unit tables"))
        self._units(dashboard.scoreboard)
        self.progress(88, _("Writing the annexes"))
        self._annexes(view)
        self._fill_toc(toc)
        self.progress(95, _("Saving the document"))
        self.document.save(out)

    # --- page, styles, fonts, footer ---------------------------------------------------------
    def _setup(self) -> None:
        document = self.document
        section = document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2.54)
        section.left_margin = section.right_margin = (Cm(21) - TEXT_WIDTH) // 2
        section.different_first_page_header_footer = True  # no page number on the cover
        core = document.core_properties
        core.title = self._title()
        core.author = str(self.campaign.lead_unit)
        core.language = translation.get_language() or ""
        self._styles()
        self._font_table()
        self._footer(section)
        self._update_fields_on_open()

    def _styles(self) -> None:
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
            if rpr is not None:
                _set_fonts(rpr, LATIN_FONT, BODY_FONT)
        normal = styles["Normal"]
        normal.font.size = Pt(12)
        _set_fonts(normal.element.get_or_add_rPr(), LATIN_FONT, BODY_FONT)
        _set_language(normal.element.get_or_add_rPr())
        normal.paragraph_format.line_spacing = 1.5
        normal.paragraph_format.space_after = Pt(0)
        for name, size in [
            ("Title", 26),
            ("Subtitle", 16),
            ("Heading 1", 16),
            ("Heading 2", 14),
            ("Heading 3", 12),
            ("TOC Heading", 16),
        ]:
            style = styles[name]
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.italic = False
            _set_fonts(style.element.get_or_add_rPr(), LATIN_FONT, HEADING_FONT)
            style.paragraph_format.space_before = Pt(12 if name.startswith("Heading") else 0)
            style.paragraph_format.space_after = Pt(6)
        caption = styles["Caption"]
        caption.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
        caption.font.size = Pt(10.5)
        caption.font.bold = False
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_fonts(caption.element.get_or_add_rPr(), LATIN_FONT, BODY_FONT)
        table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = normal
        table_text.font.size = Pt(10.5)
        table_text.paragraph_format.line_spacing = 1.15
        for level in (1, 2, 3):
            toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            toc.base_style = normal
            toc.paragraph_format.left_indent = Cm(0.75 * (level - 1))

    def _font_table(self) -> None:
        """Name 宋体 and 黑体 in the font table, with the CJK font found here as their
        alternative: a viewer without them (LibreOffice on Linux) then takes that one."""
        part = next(
            (
                p
                for p in self.document.part.package.iter_parts()
                if p.partname == "/word/fontTable.xml"
            ),
            None,
        )
        if part is None:  # pragma: no cover - python-docx's template has one
            return
        fonts = parse_xml(part.blob)
        fallback = chart_images.cjk_family()
        for name in (BODY_FONT, HEADING_FONT):
            font = OxmlElement("w:font")
            font.set(qn("w:name"), name)
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), fallback or ALT_NAMES[name])
            font.append(alt)
            for tag, value in [("w:charset", "86"), ("w:family", "auto"), ("w:pitch", "variable")]:
                child = OxmlElement(tag)
                child.set(qn("w:val"), value)
                font.append(child)
            fonts.append(font)
        from lxml import etree

        part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _footer(self, section) -> None:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("— ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" —")

    def _update_fields_on_open(self) -> None:
        settings_element = self.document.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        # The schema's order: updateFields comes before these (Word refuses elements out of it).
        for tag in ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat"):
            successor = settings_element.find(qn(tag))
            if successor is not None:
                successor.addprevious(update)
                return
        settings_element.append(update)

    # --- cover and table of contents ---------------------------------------------------------
    def _title(self) -> str:
        return _("%(year)s %(region)s Quality Month summary report") % {
            "year": self.campaign.year,
            "region": self.campaign.region.name,
        }

    def _cover(self, dashboard) -> None:
        document, campaign = self.document, self.campaign
        for _blank in range(5):
            document.add_paragraph()
        title = document.add_paragraph(self._title(), style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        theme = document.add_paragraph(
            _("Theme: %(theme)s") % {"theme": campaign.theme}, style="Subtitle"
        )
        theme.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for _blank in range(8):
            document.add_paragraph()
        lines = [
            _("Campaign period: %(start)s to %(end)s")
            % {
                "start": formats.date_format(campaign.starts_on, "DATE_FORMAT"),
                "end": formats.date_format(campaign.ends_on, "DATE_FORMAT"),
            },
            _("Figures as at %(date)s") % {"date": formats.date_format(self.as_at, "DATE_FORMAT")},
            str(campaign.lead_unit.name),
            formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        ]
        for line in lines:
            paragraph = document.add_paragraph(line)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _toc_placeholder(self):
        self.document.add_paragraph(_("Contents"), style="TOC Heading")
        placeholder = self.document.add_paragraph()
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        return placeholder

    def _fill_toc(self, placeholder) -> None:
        """The TOC field, its result pre-filled with the headings written (without page numbers:
        only the program that lays out the pages knows them)."""
        entries = self.headings or [(1, "")]
        paragraphs = []
        for level, text in entries:
            paragraph = placeholder.insert_paragraph_before(style=f"toc {level}")
            if not paragraphs:
                _field_begin(paragraph, 'TOC \\o "1-3" \\h \\z \\u')
            paragraph.add_run(text)
            paragraphs.append(paragraph)
        _field_end(paragraphs[-1])
        placeholder._element.getparent().remove(placeholder._element)

    # --- headings, figures, charts and tables ------------------------------------------------
    def _chapter(self, title: str) -> None:
        self.chapter += 1
        self.part = 0
        text = _("%(number)s. %(title)s") % {"number": _numeral(self.chapter), "title": title}
        self._heading(text, 1)

    def _part(self, title: str) -> None:
        self.part += 1
        text = _("(%(number)s) %(title)s") % {"number": _numeral(self.part), "title": title}
        self._heading(text, 2)

    def _heading(self, text: str, level: int) -> None:
        self.document.add_heading(text, level)
        self.headings.append((level, text))

    def _figures_table(self, figures: list[Figure], *, with_previous: bool = True) -> None:
        if not figures:
            return
        rows = []
        for figure in figures:
            value = figure.display
            if with_previous and figure.previous is not None:
                value = _("%(value)s (same point last year: %(previous)s)") % {
                    "value": value,
                    "previous": figure.previous_display,
                }
            if figure.note:
                value = f"{value}\n{figure.note}" if value else figure.note
            rows.append([figure.label, value])
        self._table([pgettext("report table", "Figure"), _("Value")], rows, widths=[Cm(8), Cm(7.4)])

    def _chart(self, chart: Chart) -> None:
        self.figure_number += 1
        if chart.is_empty:
            self.document.add_paragraph(
                _("%(title)s: nothing recorded yet.") % {"title": chart.title}
            )
            return
        try:
            png = chart_images.chart_png(chart, with_title=False)  # the caption names it
        except Exception:  # one chart that cannot be drawn must not lose the whole report
            log.exception("The chart %s cannot be drawn", chart.key)
            self.document.add_paragraph(
                _("%(title)s: the chart could not be drawn.") % {"title": chart.title}
            )
            return
        self.document.add_picture(io.BytesIO(png), width=IMAGE_WIDTH)
        picture = self.document.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True  # the caption stays under its chart
        caption = _("Figure %(number)s %(title)s") % {
            "number": self.figure_number,
            "title": chart.title,
        }
        self.document.add_paragraph(caption, style="Caption")

    def _captioned_table(self, table: Table) -> None:
        self.table_number += 1
        caption = _("Table %(number)s %(title)s") % {
            "number": self.table_number,
            "title": table.title,
        }
        self.document.add_paragraph(caption, style="Caption").paragraph_format.keep_with_next = True
        if not table.rows:
            self.document.add_paragraph(_("None."))
            return
        self._table(table.header, table.rows)

    def _table(self, header: list, rows: list[list], *, widths: list | None = None):
        """A bordered table with a header row repeated on every page. Rows are appended to the
        XML directly, the style set by its id: python-docx's add_row and paragraph.style walk
        the whole table and all styles for every cell (an annex of 2,000 activities took
        minutes)."""
        header = [str(h) for h in header]
        style_id = self.document.styles[TABLE_TEXT].style_id
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = TABLE_STYLE
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        head = table.rows[0]
        tr_pr = head._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        tr_pr.append(repeat)
        for cell, text in zip(head.cells, header, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph._p.style = style_id
            paragraph.add_run(text).bold = True
        widths = widths or _column_widths(header, rows)
        for values in rows:
            tr = table._tbl.add_tr()
            for number in range(len(header)):
                value = values[number] if number < len(values) else ""
                tc = tr.add_tc()
                tc.width = widths[number]
                p = tc.p_lst[0]
                p.style = style_id
                p.add_r().text = _text(value)
        table.autofit = False
        for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=False):
            grid_col.w = width
        for tc, width in zip(head._tr.tc_lst, widths, strict=False):
            tc.width = width
        self.document.add_paragraph()
        return table

    # --- the chapters ------------------------------------------------------------------------
    def _overview(self, view: View) -> None:
        campaign = self.campaign
        self._chapter(pgettext("report chapter", "Overview"))
        opening = _(
            "The %(year)s Quality Month of %(region)s ran from %(start)s to %(end)s under the "
            "theme “%(theme)s”, led by %(lead)s."
        ) % {
            "year": campaign.year,
            "region": campaign.region.name,
            "start": formats.date_format(campaign.starts_on, "DATE_FORMAT"),
            "end": formats.date_format(campaign.ends_on, "DATE_FORMAT"),
            "theme": campaign.theme,
            "lead": campaign.lead_unit.name,
        }
        self.document.add_paragraph(opening)
        for provider in core_figures.providers():
            try:
                sentences = [str(s) for s in provider.overview(view) if s]
            except Exception:  # a provider's sentence must not cost the whole report
                log.exception("The overview of %s failed", provider.key)
                continue
            if sentences:
                self.document.add_paragraph("".join(sentences))

    def _focus_areas(self, view: View) -> None:
        self._chapter(pgettext("report chapter", "Focus areas"))
        items = focus_areas(view)
        if not items:
            self.document.add_paragraph(_("This campaign has no focus areas."))
            return
        header = [
            _("Activity"),
            _("Organiser"),
            _("Date"),
            _("Status"),
            _("Participants"),
        ]  # what campaigns.figures.focus_areas puts in each row
        for item in items:
            self._part(str(item["focus_area"]))
            self._figures_table(item["figures"], with_previous=False)
            if item["rows"]:
                self._table(header, item["rows"])
            else:
                self.document.add_paragraph(_("No activities in this focus area."))

    def _section(self, section: Section) -> None:
        self._chapter(str(section.title))
        self._figures_table(section.figures)
        for chart in section.charts:
            self._chart(chart)
        for table in section.tables:
            self._captioned_table(table)

    def _scoreboard_table(self, board) -> None:
        header = [_("Rank"), _("Unit")] + [
            f"{column.label}（{column.unit}）" if column.unit else str(column.label)
            for column in board.columns
        ]
        rows = [
            [row["rank"] if row["rank"] is not None else "—", row["unit"].display_name]
            + [format_number(v, "") for v in row["values"]]
            for row in board.rows
        ]
        self._table(header, rows)

    def _units(self, board) -> None:
        self._chapter(pgettext("report chapter", "Units"))
        if board is None or not board.rows:
            self.document.add_paragraph(_("No unit figures yet."))
            return
        self.document.add_paragraph(
            _("Units ranked by %(column)s; the columns are those the dashboard shows by default.")
            % {"column": next(c.label for c in board.columns if c.key == board.sort)}
        )
        self._scoreboard_table(board)

    def _annexes(self, view: View) -> None:
        self.document.add_page_break()
        self._heading(
            _("Annex %(number)s %(title)s")
            % {"number": 1, "title": pgettext("report annex", "Activities")},
            1,
        )
        header, rows = activity_rows(view)
        if rows:
            self._table(header, rows)
        else:
            self.document.add_paragraph(_("No activities."))
        self.document.add_page_break()
        title = _("Unit scoreboard")
        self._heading(_("Annex %(number)s %(title)s") % {"number": 2, "title": title}, 1)
        probe = scoreboard(view)
        if probe is None or not probe.rows:
            self.document.add_paragraph(_("No unit figures yet."))
            return
        # Every column the providers offer, not only the default ones.
        full = scoreboard(view, columns=[c.key for c in probe.available], sort=probe.sort)
        self._scoreboard_table(full)


def _display_width(text: str) -> int:
    """Roughly how many Latin letters wide: a Chinese character counts two."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _column_widths(header: list[str], rows: list[list]) -> list[int]:
    """Columns as wide as their longest text (within bounds), filling the text width."""
    wanted = []
    for number, title in enumerate(header):
        longest = max(
            [min(_display_width(title), 12)]
            + [_display_width(_text(row[number])) for row in rows[:500] if number < len(row)]
        )
        wanted.append(min(max(longest, 4), 40))
    total = sum(wanted)
    return [int(TEXT_WIDTH * w / total) for w in wanted]


# --- WordprocessingML helpers ----------------------------------------------------------------
def _set_fonts(rpr, latin: str, east_asian: str) -> None:
    """Latin and East Asian fonts by name, replacing the theme's (which would win otherwise)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attribute), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        successor = next(
            (
                rpr.find(qn(t))
                for t in ("w:eastAsianLayout", "w:specVanish", "w:oMath")
                if rpr.find(qn(t)) is not None
            ),
            None,
        )
        if successor is not None:
            successor.addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _fld_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _instruction(text: str):
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = f" {text} "
    return element


def _field_begin(paragraph, instruction: str) -> None:
    paragraph.add_run()._r.append(_fld_char("begin"))
    paragraph.add_run()._r.append(_instruction(instruction))
    paragraph.add_run()._r.append(_fld_char("separate"))


def _field_end(paragraph) -> None:
    paragraph.add_run()._r.append(_fld_char("end"))


def _field(paragraph, instruction: str, shown: str) -> None:
    """A complex field (PAGE …) with `shown` as its result until the viewer computes it."""
    _field_begin(paragraph, instruction)
    paragraph.add_run(shown)
    _field_end(paragraph)
