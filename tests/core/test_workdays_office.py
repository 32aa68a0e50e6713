"""The campaign office's working-day page: next year's holidays without the Django admin."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitymonth.core.models import AuditEvent, WorkdayOverride
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.core.services_workdays import workday_override_create
from qualitymonth.core.workdays import KNOWN_LAST_YEAR, is_workday

pytestmark = pytest.mark.django_db

YEAR = KNOWN_LAST_YEAR + 2  # a year the calendar package does not know
NEW_YEAR = dt.date(YEAR, 1, 1)
LIST = reverse("office_workdays:list")
NEW = reverse("office_workdays:new")


def _form(**overrides):
    return {"date": NEW_YEAR.isoformat(), "is_workday": "0", "name": "元旦", **overrides}


def test_the_office_adds_changes_and_deletes_a_day(
    office_client, office_user, django_capture_on_commit_callbacks
):
    assert office_client.get(LIST).status_code == 200
    assert office_client.get(NEW).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(NEW, _form())
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?year={YEAR}"
    override = WorkdayOverride.objects.get(date=NEW_YEAR)
    assert not override.is_workday and override.name == "元旦"
    assert not is_workday(NEW_YEAR)  # deadlines count it at once

    edit = reverse("office_workdays:edit", args=[override.pk])
    assert office_client.get(edit).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(edit, _form(is_workday="1", name="调休上班"))
    assert response.status_code == 302
    override.refresh_from_db()
    assert override.is_workday and override.name == "调休上班"
    assert is_workday(NEW_YEAR)

    delete = reverse("office_workdays:delete", args=[override.pk])
    confirm = office_client.get(delete)
    assert confirm.status_code == 200
    assert WorkdayOverride.objects.filter(pk=override.pk).exists()  # a GET deletes nothing
    assert NEW_YEAR.isoformat() in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert office_client.post(delete).status_code == 302
    assert not WorkdayOverride.objects.exists()

    events = AuditEvent.objects.filter(actor=office_user, event_type__startswith="workday_override")
    assert list(events.order_by("created_at", "id").values_list("event_type", flat=True)) == [
        "workday_override.created",
        "workday_override.changed",
        "workday_override.deleted",
    ]
    assert events.filter(object_id=str(override.pk)).count() == 3


def test_the_list_filters_by_year_and_pages(office_client):
    WorkdayOverride.objects.bulk_create(
        [
            WorkdayOverride(date=NEW_YEAR + dt.timedelta(days=n), is_workday=False, name=f"假{n}")
            for n in range(60)
        ]
        + [WorkdayOverride(date=dt.date(YEAR + 1, 5, 1), is_workday=False, name="劳动节")]
    )
    first = office_client.get(LIST, {"year": YEAR})
    assert len(first.context["page"]) == 50
    assert first.context["page"].paginator.count == 60
    assert "劳动节" not in first.content.decode()
    second = office_client.get(LIST, {"year": YEAR, "page": 2})
    assert len(second.context["page"]) == 10
    assert "劳动节" in office_client.get(LIST, {"year": YEAR + 1}).content.decode()
    # A year or page that makes no sense shows a list, not an error.
    for params in ({"year": "abc"}, {"year": "99999"}, {"page": "9223372036854775807"}):
        assert office_client.get(LIST, params).status_code == 200


def test_the_list_takes_the_same_queries_for_one_day_or_fifty(
    office_client, django_assert_num_queries
):
    WorkdayOverride.objects.create(date=NEW_YEAR, is_workday=False, name="元旦")
    office_client.get(LIST)  # the session and memberships, once
    with CaptureQueriesContext(connection) as one:
        office_client.get(LIST)
    WorkdayOverride.objects.bulk_create(
        [
            WorkdayOverride(date=NEW_YEAR + dt.timedelta(days=n), is_workday=False, name="假")
            for n in range(1, 50)
        ]
    )
    with django_assert_num_queries(len(one)):
        office_client.get(LIST)


@pytest.mark.parametrize("who", ["staff_client", "manager_client", "citizen_client"])
def test_only_the_campaign_office_may_use_the_page(request, who):
    client = request.getfixturevalue(who)
    override = WorkdayOverride.objects.create(date=NEW_YEAR, is_workday=False, name="元旦")
    for url in (
        LIST,
        NEW,
        reverse("office_workdays:edit", args=[override.pk]),
        reverse("office_workdays:delete", args=[override.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, _form(date=f"{YEAR}-02-01")).status_code == 403, url
    assert list(WorkdayOverride.objects.values_list("name", flat=True)) == ["元旦"]
    assert not AuditEvent.objects.filter(event_type__startswith="workday_override").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(db):
    response = Client().get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_service_asks_the_policy_too(staff_user):
    with pytest.raises(PermissionDenied):
        workday_override_create(acting_user=staff_user, date=NEW_YEAR, is_workday=False, name="x")
    assert not WorkdayOverride.objects.exists()


def test_the_complaint_list_links_the_page_instead_of_the_admin(
    office_client, staff_client, monkeypatch
):
    monkeypatch.setattr(
        "qualitymonth.complaints.views.office.fallback_warning", lambda start, end: "未载入"
    )
    office_page = office_client.get(reverse("office_complaints:cases")).content.decode()
    assert f'href="{LIST}"' in office_page
    staff_page = staff_client.get(reverse("office_complaints:cases")).content.decode()
    assert "未载入" in staff_page and f'href="{LIST}"' not in staff_page
    assert "/admin/" not in office_page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "2025-02-30"}, "date"),
        ({"date": "30/01/2031"}, "date"),
        ({"date": "1900-01-01"}, "date"),
        ({"date": ""}, "date"),
        ({"is_workday": "maybe"}, "is_workday"),
        ({"name": "   "}, "name"),
        ({"name": "节" * 61}, "name"),
        ({"name": "元\x00旦"}, "name"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_kept(office_client, data, field):
    response = office_client.post(NEW, _form(**data))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not WorkdayOverride.objects.exists()
    if field != "name":
        assert "元旦" in response.content.decode()  # what was typed is still there


def test_a_date_that_already_has_an_override_is_refused(office_client):
    WorkdayOverride.objects.create(date=NEW_YEAR, is_workday=False, name="元旦")
    response = office_client.post(NEW, _form(name="新年"))
    assert response.status_code == 400
    assert "date" in response.context["form"].errors
    assert "新年" in response.content.decode()
    assert WorkdayOverride.objects.get().name == "元旦"

    other = WorkdayOverride.objects.create(
        date=NEW_YEAR + dt.timedelta(days=1), is_workday=False, name="元旦"
    )
    moved = office_client.post(reverse("office_workdays:edit", args=[other.pk]), _form())
    assert moved.status_code == 400
    assert "date" in moved.context["form"].errors
    other.refresh_from_db()
    assert other.date == NEW_YEAR + dt.timedelta(days=1)


def test_an_unknown_override_is_not_found(office_client):
    assert office_client.get(reverse("office_workdays:edit", args=[999999])).status_code == 404
    assert office_client.post(reverse("office_workdays:delete", args=[999999])).status_code == 404
