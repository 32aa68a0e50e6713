"""Enterprise lists in Excel: errors by row and nothing half-imported, merging by USCC, the
template and the export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from qualitymonth.core.models import AuditEvent
from qualitymonth.enterprises.models import Enterprise
from qualitymonth.enterprises.services.imports import COLUMNS, enterprises_import
from tests.enterprises.conftest import make_enterprise, make_uscc, wrong_check

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "法定代表人",
    "注册地址",
    "所在区",
    "行业",
    "规模",
    "中小企业",
]


def sheet(*rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def row(n: int, name: str, **cells):
    values = {
        "uscc": make_uscc(n),
        "name": name,
        "legal": "张某",
        "address": "湖里区测试路1号",
        "district": "湖里区",
        "industry": "C13",
        "size": "小型",
        "sme": "是",
    }
    values.update(cells)
    return list(values.values())


def test_every_bad_row_is_reported_by_number_and_nothing_is_imported(campaign, office_user):
    file = sheet(
        row(1, "厦门好味食品有限公司"),  # row 2: fine
        row(2, "厦门坏码公司", uscc=wrong_check(make_uscc(2))),  # row 3
        row(3, "", district="火星区"),  # row 4: no name, unknown district
        ["", "", "", "", "", "", "", ""],  # row 5: blank, skipped
        row(4, "厦门旧号公司", uscc="350200100012345"),  # row 6
        row(5, "厦门规模公司", size="巨型", sme="也许"),  # row 7
    )
    result = enterprises_import(acting_user=office_user, region=campaign.region, file=file)
    assert not result.ok
    rows = {number for number, _message in result.error_rows}
    assert rows == {3, 4, 6, 7}
    messages = " ".join(message for _n, message in result.error_rows)
    assert "check character" in messages and "火星区" in messages and "18-character" in messages
    assert "巨型" in messages and "也许" in messages
    assert not Enterprise.objects.exists()
    assert not AuditEvent.objects.filter(event_type__startswith="enterprise.").exists()


def test_rows_are_merged_by_code_in_the_file_and_with_the_registry(
    campaign, office_user, industry_c13
):
    stored = make_enterprise(
        campaign.region, 7, name="厦门老字号食品有限公司", main_products="馅饼", is_sme=False
    )
    file = sheet(
        row(6, "厦门新食品有限公司", size=""),
        row(6, "厦门新食品有限公司", size="中", industry="农副食品加工业"),  # same code: merged
        # The registry's enterprise: updated, its empty cells keep what is stored.
        row(7, "厦门老字号食品有限公司", district="思明", size="", industry=""),
    )
    result = enterprises_import(acting_user=office_user, region=campaign.region, file=file)
    assert result.ok, result.error_rows
    assert len(result.created) == 1 and len(result.updated) == 1
    new = Enterprise.objects.get(uscc=make_uscc(6))
    assert new.size == "medium" and new.industry == industry_c13 and new.is_sme
    assert new.district.name == "湖里区"
    stored.refresh_from_db()
    assert stored.is_sme and stored.district.name == "思明区" and stored.main_products == "馅饼"
    updated = AuditEvent.objects.get(event_type="enterprise.updated")
    assert updated.object_id == str(stored.pk)
    assert set(updated.detail["fields"]) == {
        "district",
        "is_sme",
        "registered_address",
        "legal_representative",
    }
    summary = AuditEvent.objects.get(event_type="enterprise.import")
    assert summary.detail == {"created": 1, "updated": 1}


def test_a_code_another_city_keeps_is_a_row_error(campaign, office_user, other_office_client):
    region = other_office_client.user.memberships.get().unit.region
    make_enterprise(region, 8, name="别市企业有限公司")
    result = enterprises_import(
        acting_user=office_user, region=campaign.region, file=sheet(row(8, "别市企业有限公司"))
    )
    assert result.error_rows[0][0] == 2 and "别市企业有限公司" in result.error_rows[0][1]


def test_missing_columns_and_a_file_that_is_no_workbook_are_said(campaign, office_user):
    result = enterprises_import(
        acting_user=office_user,
        region=campaign.region,
        file=sheet(["x"], header=["企业名称"]),
    )
    assert result.error_rows[0][0] == 1 and "统一社会信用代码" in result.error_rows[0][1]
    result = enterprises_import(
        acting_user=office_user, region=campaign.region, file=io.BytesIO(b"PK\x03\x04 not a zip")
    )
    assert not result.ok and not Enterprise.objects.exists()


def _xlsx(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_the_import_page_shows_errors_by_row_and_the_template_round_trips(
    campaign, office_client, office_user
):
    template = office_client.get("/office/enterprises/import/template/")
    assert template.status_code == 200
    rows = _xlsx(template.content)
    assert len(rows[0]) == len(COLUMNS)
    # The template's example code fails the check on purpose: importing it as is is refused.
    upload = SimpleUploadedFile("list.xlsx", template.content)
    refused = office_client.post(
        "/office/enterprises/import/", {"region": campaign.region.pk, "file": upload}
    )
    assert refused.status_code == 400
    assert "校验码不正确" in refused.content.decode()
    assert not Enterprise.objects.exists()
    good = SimpleUploadedFile("list.xlsx", sheet(row(9, "厦门模板食品有限公司")).getvalue())
    done = office_client.post(
        "/office/enterprises/import/", {"region": campaign.region.pk, "file": good}
    )
    assert done.status_code == 302
    assert Enterprise.objects.get().name == "厦门模板食品有限公司"


def test_the_export_reads_back_into_the_import_and_is_audited(
    campaign, office_client, office_user, enterprise
):
    response = office_client.get("/office/enterprises/export/")
    assert response.status_code == 200
    rows = _xlsx(response.content)
    assert rows[1][0] == enterprise.uscc and rows[1][1] == enterprise.name
    assert "13900001111" in rows[1]
    assert AuditEvent.objects.get(event_type="enterprise.export").detail == {"rows": 1}
    again = enterprises_import(
        acting_user=office_user, region=campaign.region, file=io.BytesIO(response.content)
    )
    assert again.ok, again.error_rows
    assert [e.pk for e in again.updated] == [enterprise.pk] and not again.created


def test_unit_staff_may_not_import_export_or_download(staff_client, other_office_client):
    for url in ("/office/enterprises/import/", "/office/enterprises/export/"):
        assert staff_client.get(url).status_code == 403
    assert staff_client.get("/office/enterprises/import/template/").status_code == 403
