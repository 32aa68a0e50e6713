"""Helpers of the directory tests: the data a service takes for each kind, and sheets to import.

Codes made here stay outside anything real or in the demo: licence numbers are JY9999…, elevator
registration codes start with "TEST"."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from qualitymonth.supervision.services.directory_imports import COLUMNS

DAY = dt.date(2024, 5, 6)  # a fixed day in the past: maintenance and closing dates are before it


def licence(n: int) -> str:
    return f"JY9999{n:010d}"


def canteen_data(n: int, district=None, **extra) -> dict:
    return {
        "school": f"测试第{n}小学",
        "school_kind": "primary",
        "canteen": "学生食堂",
        "licence_number": licence(n),
        "district": district,
        "risk_grade": "B",
        **extra,
    }


def elevator_data(n: int, district=None, **extra) -> dict:
    return {
        "registration_code": f"TEST{n:08d}",
        "building": f"测试大厦{n}",
        "user_unit": "测试物业公司",
        "maintenance_company": "测试电梯维保公司",
        "last_maintained_on": DAY,
        "certificate_number": f"TJ-{n}",
        "certificate_expires_on": dt.date(2030, 1, 1),
        "district": district,
        **extra,
    }


HEADER = [f"{zh} / {en}" for _f, zh, en, _x in COLUMNS]
FIELDS = [name for name, *_rest in COLUMNS]


def sheet_row(**cells) -> list:
    return [cells.get(name, "") for name in FIELDS]


def workbook(*rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "subjects.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
