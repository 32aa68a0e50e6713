"""Excel in and out: every export is written, and every import read, through this module.

Writing: the text in a cell is what people typed (a registrant's name, a question stem, a
complaint), so it may start like a formula or hold characters an .xlsx file cannot carry. Each
cell is stored as plain text that Excel never evaluates, and impossible characters are replaced
rather than letting openpyxl fail half-way through a streamed file.

Reading: an uploaded sheet is read row by row in streaming mode; every row counts against a
limit (blank ones too, or three million empty rows keep a worker busy), reading stops at a
deadline, and an unreadable cell is reported with its row number instead of escaping as a 500.
"""

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from qualitymonth.core.validators import refuse_control_characters

# Characters XML 1.0 (and so .xlsx) cannot hold: C0 controls other than tab and line breaks,
# the non-characters U+FFFE/U+FFFF and lone surrogates. DEL is legal XML but is never text.
_UNSTORABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"
# A cell whose text starts with one of these (after any blank) is a formula to Excel, Calc or
# Sheets once someone edits it; "=cmd|' /C calc'!A0" and "=HYPERLINK(...)" are the classics.
_FORMULA_STARTERS = ("=", "+", "-", "@")
MAX_CELL_CHARS = 32_767  # Excel refuses to open a file with a longer cell

# Reading limits. The upload forms already cap the file size; these bound the work inside it.
MAX_COLUMNS = 64
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a small .xlsx can inflate to gigabytes
READ_SECONDS = 10.0  # well inside gunicorn's 30-second worker timeout


# --- writing ----------------------------------------------------------------------------------
def cell_value(value):
    """The value as it may be stored: numbers and dates unchanged, everything else as text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        # Excel has no time zones (openpyxl raises): write the local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    text = _UNSTORABLE_RE.sub(REPLACEMENT, str(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def is_formula_like(text: str) -> bool:
    return text.lstrip(" \t\r\n")[:1] in _FORMULA_STARTERS


class SheetWriter:
    """One sheet of a `SpreadsheetWriter`; rows are streamed, so widths come first."""

    def __init__(self, sheet):
        self._sheet = sheet

    def append(self, values: Iterable, *, bold: bool = False) -> None:
        self._sheet.append([self._cell(value, bold=bold) for value in values])

    def _cell(self, value, *, bold: bool):
        value = cell_value(value)
        cell = WriteOnlyCell(self._sheet, value=value)
        if isinstance(value, str):
            # Text stays text: openpyxl would store "=..." as a live formula. quotePrefix keeps
            # Excel from turning it into one when someone edits the cell, and unlike a leading
            # apostrophe in the value it reads back unchanged (a bank export re-imports as is).
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True
        if bold:
            cell.font = Font(bold=True)
        return cell


class SpreadsheetWriter:
    """A streamed .xlsx workbook whose every cell passes through `cell_value`."""

    def __init__(self):
        self._book = Workbook(write_only=True)

    def add_sheet(self, title: str, *, widths: Iterable[float] = ()) -> SheetWriter:
        sheet = self._book.create_sheet(title[:31])
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        return SheetWriter(sheet)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


# --- reading ----------------------------------------------------------------------------------
class SpreadsheetError(Exception):
    """The sheet cannot be imported; `problems` are (row number, message), row 0 = the file."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(problems[0][1])
        self.problems = problems


def _check_archive(file) -> None:
    # The sizes in a ZIP's directory bound what Python will inflate, so checking them is enough.
    with zipfile.ZipFile(file) as archive:
        total = sum(info.file_size for info in archive.infolist())
    file.seek(0)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            [(0, _("The workbook is too large once unpacked. Split it into several files."))]
        )


def _cell_problems(number: int, values: tuple) -> list[str]:
    # The same rule as every form: imported text is input like any other.
    messages = []
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            try:
                refuse_control_characters(value, multiline=True)
            except ValidationError as error:
                cell = f"{get_column_letter(column)}{number}"
                messages.extend(f"{cell}: {message}" for message in error.messages)
    return messages


def read_sheet(
    file,
    *,
    max_rows: int,
    time_limit: float = READ_SECONDS,
    max_columns: int = MAX_COLUMNS,
) -> list[tuple[int, tuple]]:
    """The first sheet's rows as (row number, values), the header row included.

    At most `max_rows` rows below the header, blank ones counted; raises SpreadsheetError for a
    file that is not a workbook, a cell that cannot be read, too many rows or too long a read.
    """
    started = time.monotonic()
    try:
        _check_archive(file)
        workbook = load_workbook(file, read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as error:
        # openpyxl raises many kinds of errors for a damaged file (zip, XML, key and value
        # errors): all of them mean "not a readable workbook" to the person uploading it.
        raise SpreadsheetError(
            [
                (
                    0,
                    _("The file could not be read as an Excel workbook (%(error)s).")
                    % {"error": type(error).__name__},
                )
            ]
        ) from error
    rows: list[tuple[int, tuple]] = []
    problems: list[tuple[int, str]] = []
    number = 0
    try:
        if not workbook.worksheets:
            return rows  # only chart sheets: the importer says which columns it misses
        sheet = workbook.worksheets[0]
        # The <dimension> a file declares is not to be trusted (it may claim a million rows
        # or 16,384 columns): read the rows that are there, each cut to `max_columns`.
        sheet.reset_dimensions()
        for number, values in enumerate(
            sheet.iter_rows(values_only=True, max_col=max_columns), start=1
        ):
            if number > max_rows + 1:
                problems.append(
                    (
                        number,
                        _(
                            "The sheet has more than %(n)s rows; empty rows count too. Delete "
                            "the empty rows at its end or split it into several files."
                        )
                        % {"n": max_rows},
                    )
                )
                break
            if time.monotonic() - started >= time_limit:
                problems.append(
                    (
                        number,
                        _(
                            "Reading the sheet took too long and stopped at this row. Split it "
                            "into several smaller files."
                        ),
                    )
                )
                break
            problems.extend((number, message) for message in _cell_problems(number, values))
            rows.append((number, values))
    except Exception:
        # The XML of a row is damaged (a character XML forbids, such as U+FFFE, or a value of
        # the wrong type): the rows before it were read, so the bad one is the next.
        problems.append(
            (
                number + 1,
                _(
                    "This row could not be read: a cell holds a character or value an Excel "
                    "file may not contain. Retype the row's cells."
                ),
            )
        )
    finally:
        workbook.close()
    if problems:
        raise SpreadsheetError(problems)
    return rows


# --- what an import reports -----------------------------------------------------------------------
def cell_text(value) -> str:
    """A cell as the text a person typed: 12.0 (how Excel stores 12) reads "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    """Rows created and updated, or the errors by row number (then nothing was written)."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> list[tuple[int, str]]:
        return [(e.row, e.message) for e in self.errors]
