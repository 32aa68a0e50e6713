"""Spreadsheets no well-behaved writer makes, for the import tests."""

import io
import zipfile


def with_unreadable_text(workbook: io.BytesIO, marker: str) -> io.BytesIO:
    """`workbook` with `marker` replaced, in every XML part, by U+FFFE: a character XML cannot
    hold, so the cell cannot be read back (other tools write such files; openpyxl with lxml
    refuses to)."""
    source = zipfile.ZipFile(workbook)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith(".xml"):
                data = data.replace(marker.encode(), "\ufffe".encode())
            target.writestr(item, data)
    out.seek(0)
    return out
