"""The office's registry API: the same forms, rights and audit as the pages."""

import json

import pytest

from qualitymonth.core.models import AuditEvent
from qualitymonth.enterprises.models import Enterprise
from tests.enterprises.conftest import make_uscc, wrong_check

pytestmark = pytest.mark.django_db


def body(**overrides) -> dict:
    data = {
        "uscc": make_uscc(40),
        "name": "厦门接口测试科技有限公司",
        "legal_representative": "郑某",
        "registered_address": "湖里区测试路40号",
        "district": "350206",
        "industry": "65",
        "size": "small",
        "contact_mobile": "+86 139 0000 4040",
        "is_sme": True,
    }
    data.update(overrides)
    return data


def post(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_the_office_creates_lists_reads_and_changes_an_enterprise(campaign, office_client):
    created = post(office_client, "/api/office/enterprises", body())
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["uscc"] == make_uscc(40) and item["district"] == "350206"
    assert item["industry"] == "65" and item["contact_mobile"] == "13900004040"
    assert item["region"] == campaign.region.code
    listed = office_client.get("/api/office/enterprises", {"q": "接口 科技", "flag": "sme"})
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()["items"]] == [item["id"]]
    assert "contact_mobile" not in listed.json()["items"][0]
    by_code = office_client.get("/api/office/enterprises", {"q": make_uscc(40)[:12]}).json()
    assert by_code["count"] == 1
    detail = office_client.get(f"/api/office/enterprises/{item['id']}")
    assert detail.status_code == 200 and detail.json()["name"] == "厦门接口测试科技有限公司"
    changed = post(
        office_client,
        f"/api/office/enterprises/{item['id']}",
        body(is_key_industry=True, size="medium"),
        method="put",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["is_key_industry"] and changed.json()["size"] == "medium"
    event = AuditEvent.objects.get(event_type="enterprise.updated")
    assert sorted(event.detail["fields"]) == ["is_key_industry", "size"]


def test_bad_input_is_refused_by_field_and_a_duplicate_is_a_conflict(office_client, enterprise):
    wrong = post(office_client, "/api/office/enterprises", body(uscc=wrong_check(make_uscc(40))))
    assert wrong.status_code == 400 and "uscc" in wrong.json()["errors"]
    excepted = post(
        office_client,
        "/api/office/enterprises",
        body(uscc=wrong_check(make_uscc(41)), uscc_exception_reason="早期代码"),
    )
    assert excepted.status_code == 201
    old = post(office_client, "/api/office/enterprises", body(uscc="350200100012345"))
    assert old.status_code == 400 and old.json()["code"] == "old_registration_number"
    duplicate = post(office_client, "/api/office/enterprises", body(uscc=enterprise.uscc))
    assert duplicate.status_code == 409 and enterprise.name in duplicate.json()["detail"]
    fields = post(
        office_client,
        "/api/office/enterprises",
        body(uscc=make_uscc(42), district="999999", size="huge", contact_mobile="12"),
    )
    assert fields.status_code == 400
    assert {"district", "size", "contact_mobile"} <= set(fields.json()["errors"])
    city = post(office_client, "/api/office/enterprises", body(uscc=make_uscc(43), region="000"))
    assert city.status_code == 400 and "region" in city.json()["errors"]
    bad_filter = office_client.get("/api/office/enterprises", {"order": "nope"})
    assert bad_filter.status_code == 400 and "order" in bad_filter.json()["errors"]
    assert Enterprise.objects.count() == 2


def test_unit_staff_get_403_and_another_citys_office_404(
    staff_client, other_office_client, citizen_client, enterprise
):
    for client in (staff_client, citizen_client):
        assert client.get("/api/office/enterprises").status_code == 403
        assert post(client, "/api/office/enterprises", body()).status_code == 403
        assert client.get(f"/api/office/enterprises/{enterprise.pk}").status_code == 403
    assert other_office_client.get("/api/office/enterprises").json()["count"] == 0
    assert other_office_client.get(f"/api/office/enterprises/{enterprise.pk}").status_code == 404
    changed = post(
        other_office_client,
        f"/api/office/enterprises/{enterprise.pk}",
        body(uscc=enterprise.uscc),
        method="put",
    )
    assert changed.status_code == 404
    assert not AuditEvent.objects.filter(event_type__startswith="enterprise.").exists()
