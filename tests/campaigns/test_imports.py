import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from qualitymonth.campaigns.models import Activity
from qualitymonth.campaigns.services import activities_import
from qualitymonth.campaigns.services.imports import COLUMNS, MAX_ROWS, import_template
from qualitymonth.core.models import AuditEvent
from tests.xlsx import with_unreadable_text

pytestmark = pytest.mark.django_db
HEADER = [f"{zh} / {en}" for _f, zh, en, _x in COLUMNS]


DAY = (dt.date.today() + dt.timedelta(days=5)).isoformat()


def _row(**overrides):
    row = {
        "title": "计量服务中小企业行",
        "summary": "上门校准",
        "activity_type": "服务行",
        "kind": "线下",
        "domains": "产品、服务",
        "focus_area": "开展质量宣传教育",
        "starts_at": f"{DAY} 09:00",
        "ends_at": f"{DAY} 11:30",
        "district": "湖里区",
        "venue": "湖里区某工业园区",
        "capacity": 60,
        "description": "",
    }
    row.update(overrides)
    return [row[name] for name, *_rest in COLUMNS]


def _sheet(rows, header=HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_a_clean_sheet_imports_every_row_as_drafts(campaign, unit, staff_user):
    rows = [_row(title=f"计量服务中小企业行 第{i}站") for i in range(3)] + [
        _row(
            title="线上质量讲堂",
            kind="线上",
            district="",
            venue="",
            capacity="",
            domains="医疗",
            activity_type="讲座",
        )
    ]
    result = activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=_sheet(rows)
    )
    assert result.ok, result.errors
    assert Activity.objects.filter(status=Activity.Status.DRAFT, organiser=unit).count() == 4
    online = Activity.objects.get(title="线上质量讲堂")
    assert (
        online.kind == "online"
        and online.capacity is None
        and [d.code for d in online.domains.all()] == ["medical"]
    )
    assert AuditEvent.objects.filter(event_type="activity.import", detail__count=4).exists()


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_imported(
    campaign, unit, staff_user
):
    rows = [
        _row(),  # row 2: fine
        _row(title=""),  # row 3: no title
        _row(domains="航天"),  # row 4: unknown domain
        _row(starts_at="明天上午", ends_at=f"{DAY} 11:30"),  # row 5: bad date
        _row(ends_at=f"{DAY} 08:00"),  # row 6: ends before start
        _row(kind="线下", district="", venue=""),  # row 7: offline without place
        _row(capacity=-5),  # row 8: negative capacity
    ]
    result = activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=_sheet(rows)
    )
    assert not result.ok
    assert Activity.objects.count() == 0
    rows_with_errors = sorted({e.row for e in result.errors})
    assert rows_with_errors == [3, 4, 5, 6, 7, 8]
    messages = {e.row: e.message for e in result.errors}
    assert "航天" in messages[4]


def test_blank_rows_are_skipped(campaign, unit, staff_user):
    rows = [_row(), [None] * len(COLUMNS), _row(title="第二项")]
    result = activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=_sheet(rows)
    )
    assert result.ok and len(result.created) == 2


def test_missing_columns_are_named(campaign, unit, staff_user):
    result = activities_import(
        acting_user=staff_user,
        campaign=campaign,
        organiser=unit,
        file=_sheet([["x"]], header=["标题"]),
    )
    assert not result.ok and "开始时间" in result.errors[0].message


def test_a_file_that_is_not_a_workbook_is_refused(campaign, unit, staff_user):
    result = activities_import(
        acting_user=staff_user,
        campaign=campaign,
        organiser=unit,
        file=io.BytesIO(b"PK\x03\x04 not really a zip"),
    )
    assert not result.ok and result.errors[0].row == 0


def test_the_template_round_trips(campaign, unit, staff_user):
    content = import_template(campaign)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=1, column=1).value == "标题 / Title"
    example = [c.value for c in sheet[2]]
    result = activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=_sheet([example])
    )
    assert result.ok, result.errors


def test_import_view_shows_row_errors_and_keeps_nothing(staff_client, campaign, unit):
    upload = SimpleUploadedFile("plan.xlsx", _sheet([_row(), _row(domains="航天")]).getvalue())
    response = staff_client.post(
        f"/office/activities/import/?campaign={campaign.slug}",
        {"organiser": unit.pk, "file": upload, "campaign": campaign.slug},
    )
    assert response.status_code == 400
    assert "航天" in response.content.decode() and Activity.objects.count() == 0


def test_import_view_refuses_a_renamed_text_file(staff_client, campaign, unit):
    upload = SimpleUploadedFile("plan.xlsx", b"title,start\nx,y\n")
    response = staff_client.post(
        "/office/activities/import/",
        {"organiser": unit.pk, "file": upload, "campaign": campaign.slug},
    )
    assert response.status_code == 400 and Activity.objects.count() == 0


def test_import_view_imports_and_redirects(staff_client, campaign, unit):
    upload = SimpleUploadedFile("plan.xlsx", _sheet([_row(), _row(title="第二项")]).getvalue())
    response = staff_client.post(
        "/office/activities/import/",
        {"organiser": unit.pk, "file": upload, "campaign": campaign.slug},
    )
    assert response.status_code == 302 and Activity.objects.count() == 2


def test_citizens_cannot_import(citizen_client, campaign):
    assert citizen_client.get("/office/activities/import/").status_code == 403


def test_rows_outside_the_campaign_and_repeats_are_refused(campaign, unit, staff_user):
    rows = [_row(starts_at="2001-01-01 09:00", ends_at="2001-01-01 10:00"), _row(), _row()]
    result = activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=_sheet(rows)
    )
    assert sorted({e.row for e in result.errors}) == [2, 4] and Activity.objects.count() == 0
    assert activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=_sheet([_row()])
    ).ok
    again = activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=_sheet([_row()])
    )
    assert not again.ok and Activity.objects.count() == 1


def _bad_cell_in_row_301() -> io.BytesIO:
    rows = [_row(title=f"计量服务中小企业行 第{n}站") for n in range(2, 400)]
    rows[299][0] = "计量UNREADABLE"  # rows[0] is sheet row 2
    return with_unreadable_text(_sheet(rows), "UNREADABLE")


def test_a_bad_cell_after_the_first_rows_is_reported_by_row_and_nothing_is_imported(
    campaign, unit, staff_user
):
    result = activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=_bad_cell_in_row_301()
    )
    assert [e.row for e in result.errors] == [301] and Activity.objects.count() == 0


def test_a_sheet_far_longer_than_the_limit_is_refused_with_a_clear_message(
    campaign, unit, staff_user
):
    # Only the last of Excel's million rows is written: the reader must count the blank rows
    # before it, but building and reading the file stays fast.
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.cell(row=1_048_576, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=buffer
    )
    assert [e.row for e in result.errors] == [MAX_ROWS + 2]
    assert f"more than {MAX_ROWS} rows" in result.errors[0].message
    assert Activity.objects.count() == 0


def test_a_title_on_two_lines_is_refused_with_its_row(campaign, unit, staff_user):
    rows = [_row(), _row(title="计量服务\n中小企业行")]
    result = activities_import(
        acting_user=staff_user, campaign=campaign, organiser=unit, file=_sheet(rows)
    )
    assert [e.row for e in result.errors] == [3] and Activity.objects.count() == 0


def test_import_view_answers_a_bad_cell_with_its_row(staff_client, campaign, unit):
    upload = SimpleUploadedFile("plan.xlsx", _bad_cell_in_row_301().getvalue())
    response = staff_client.post(
        "/office/activities/import/",
        {"organiser": unit.pk, "file": upload, "campaign": campaign.slug},
    )
    assert response.status_code == 400 and "301" in response.content.decode()
    assert Activity.objects.count() == 0
