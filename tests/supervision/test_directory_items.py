"""Check items (ordinary with a capped share, key without), product categories, the city's rules
and the supervision hub."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.supervision.models import CheckItem, ProductCategory, Rules
from qualitymonth.supervision.services import directories as services
from tests.supervision.conftest import login

pytestmark = pytest.mark.django_db


def _item(**extra):
    return {
        "code": "canteen-safety",
        "title": "校园食堂食品安全检查",
        "subject_kind": "canteen",
        "kind": "key",
        "max_share": None,
        "legal_basis": "《学校食品安全与营养健康管理规定》",
        "checklist_code": "canteen",
        **extra,
    }


def test_a_key_item_has_no_cap_and_an_ordinary_one_needs_one(campaign, office_user):
    key = services.check_item_create(region=campaign.region, data=_item(), acting_user=office_user)
    assert key.max_share is None and key.publication_workdays == 20
    with pytest.raises(ValidationError) as caught:
        services.check_item_create(
            region=campaign.region,
            data=_item(code="lift", kind="ordinary", subject_kind="elevator"),
            acting_user=office_user,
        )
    assert caught.value.error_dict["max_share"][0].code == "required"
    with pytest.raises(ValidationError) as caught:
        services.check_item_create(
            region=campaign.region, data=_item(code="k2", max_share="5"), acting_user=office_user
        )
    assert "max_share" in caught.value.error_dict
    for share in ("0", "100.5", "abc", "5.123"):
        with pytest.raises(ValidationError) as caught:
            services.check_item_create(
                region=campaign.region,
                data=_item(code="o", kind="ordinary", max_share=share),
                acting_user=office_user,
            )
        assert "max_share" in caught.value.error_dict
    ordinary = services.check_item_create(
        region=campaign.region,
        data=_item(code="lift", kind="ordinary", max_share="10", checklist_code="elevator"),
        acting_user=office_user,
    )
    assert ordinary.max_share == Decimal("10")
    assert CheckItem.objects.count() == 2


def test_check_item_codes_are_unique_in_the_city_and_units_may_not_add(
    campaign, office_user, sv_manager
):
    services.check_item_create(region=campaign.region, data=_item(), acting_user=office_user)
    with pytest.raises(ValidationError) as caught:
        services.check_item_create(region=campaign.region, data=_item(), acting_user=office_user)
    assert caught.value.error_dict["code"][0].code == "duplicate"
    with pytest.raises(PermissionDenied):
        services.check_item_create(
            region=campaign.region, data=_item(code="x"), acting_user=sv_manager
        )


def test_update_of_a_check_item_is_audited(campaign, office_user):
    item = services.check_item_create(region=campaign.region, data=_item(), acting_user=office_user)
    services.check_item_update(
        item=item, data={"publication_workdays": 7, "is_active": False}, acting_user=office_user
    )
    item.refresh_from_db()
    assert item.publication_workdays == 7 and not item.is_active
    assert AuditEvent.objects.filter(event_type="supervision.directory.check_item_updated").exists()


def test_check_item_form_says_what_is_wrong_with_the_share_first(campaign, office_client):
    data = {
        "code": "lift",
        "title": "电梯维护保养检查",
        "subject_kind": "elevator",
        "kind": "ordinary",
        "publication_workdays": "20",
        "is_active": "on",
    }
    bad = office_client.post("/office/supervision/check-items/new/", data)
    assert bad.status_code == 400 and "max_share" in bad.context["form"].errors
    key = office_client.post(
        "/office/supervision/check-items/new/", {**data, "kind": "key", "max_share": "5"}
    )
    assert key.status_code == 400 and "max_share" in key.context["form"].errors
    ok = office_client.post("/office/supervision/check-items/new/", {**data, "max_share": "10"})
    assert ok.status_code == 302
    listed = office_client.get("/office/supervision/check-items/", {"kind": "ordinary"})
    assert listed.context["page"].paginator.count == 1
    item = CheckItem.objects.get()
    edit = office_client.post(
        f"/office/supervision/check-items/{item.pk}/edit/", {**data, "max_share": "12.5"}
    )
    assert edit.status_code == 302
    item.refresh_from_db()
    assert item.max_share == Decimal("12.5")


def test_categories_are_added_listed_and_changed(campaign, office_client, inspectors):
    data = {"code": "kettle", "name": "电热水壶", "name_en": "Electric kettles", "is_active": "on"}
    assert office_client.post("/office/supervision/categories/new/", data).status_code == 302
    again = office_client.post("/office/supervision/categories/new/", data)
    assert again.status_code == 400 and "code" in again.context["form"].errors
    category = ProductCategory.objects.get()
    office_client.post(
        f"/office/supervision/categories/{category.pk}/edit/",
        {**data, "standard": "GB 4706.1、GB 4706.19"},
    )
    category.refresh_from_db()
    assert category.standard == "GB 4706.1、GB 4706.19"
    reader = login(inspectors[0].user)
    assert reader.get("/office/supervision/categories/", {"q": "kettle"}).status_code == 200
    assert reader.get("/office/supervision/categories/new/").status_code == 403


def test_rules_keep_the_national_floor(campaign, office_user):
    with pytest.raises(ValidationError) as caught:
        services.rules_update(
            region=campaign.region,
            data={"canteen_sample_grams": 100, "retest_days": 10, "emergency_number": "9-6"},
            acting_user=office_user,
        )
    assert {"canteen_sample_grams", "retest_days", "emergency_number"} <= set(
        caught.value.error_dict
    )
    assert not Rules.objects.exists()
    rules = services.rules_update(
        region=campaign.region,
        data={"canteen_sample_grams": 200, "emergency_number": "12345"},
        acting_user=office_user,
    )
    assert (rules.canteen_sample_grams, rules.elevator_maintenance_days) == (200, 15)
    assert Rules.for_region(campaign.region).emergency_number == "12345"


def test_hub_shows_counts_and_rules_to_the_office_and_units_not_to_citizens(
    canteen, elevator, inspectors, office_client, citizen_client, enterprise_user
):
    page = office_client.get("/office/supervision/")
    assert page.status_code == 200
    counts = page.context["counts"]
    assert (counts["canteens"], counts["elevators"], counts["inspectors"]) == (1, 1, 4)
    assert page.context["can_manage"]
    unit_page = login(inspectors[0].user).get("/office/supervision/")
    assert unit_page.status_code == 200 and not unit_page.context["can_manage"]
    assert citizen_client.get("/office/supervision/").status_code == 403
    assert login(enterprise_user).get("/office/supervision/").status_code == 403
    rules = office_client.post(
        "/office/supervision/rules/",
        {
            "canteen_sample_grams": "200",
            "canteen_sample_hours": "48",
            "elevator_maintenance_days": "15",
            "emergency_number": "96333",
            "lower_fine_person": "10000",
            "lower_fine_organisation": "100000",
            "retest_days": "15",
        },
    )
    assert rules.status_code == 302
    assert login(inspectors[0].user).get("/office/supervision/rules/").status_code == 403


def test_api_check_items_categories_and_rules(campaign, office_client, sv_manager):
    body = {**_item(), "max_share": None}
    created = office_client.post(
        "/api/office/supervision/check-items", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["kind"] == "key"
    bad = office_client.post(
        "/api/office/supervision/check-items",
        json.dumps({**body, "code": "o", "kind": "ordinary"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "max_share" in bad.json()["errors"]
    assert office_client.get("/api/office/supervision/check-items").json()["count"] == 1
    category = office_client.post(
        "/api/office/supervision/product-categories",
        json.dumps({"code": "furniture", "name": "家具"}),
        content_type="application/json",
    )
    assert category.status_code == 201
    assert login(sv_manager).get("/api/office/supervision/product-categories").json()["count"] == 1
    rules = office_client.get("/api/office/supervision/rules").json()
    assert rules["is_default"] and rules["canteen_sample_grams"] == 125
    changed = office_client.put(
        "/api/office/supervision/rules",
        json.dumps({**rules, "canteen_sample_grams": 200}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["canteen_sample_grams"] == 200
    assert not changed.json()["is_default"]
    refused = login(sv_manager).put(
        "/api/office/supervision/rules",
        json.dumps({**rules, "canteen_sample_grams": 300}),
        content_type="application/json",
    )
    assert refused.status_code == 403
