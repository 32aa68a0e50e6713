"""The inspection pages: the inspector's home, the item page whose answers save themselves (htmx)
and still work as plain forms, photos served only to those who may see them, the
representative and the signatures, the office's list and the checklist versions."""

import re

import pytest

from qualitymonth.supervision.models import Answer, Checklist, Hazard, Inspection, Photo
from tests.supervision.conftest import login, make_canteen
from tests.supervision.inspection_helpers import (  # noqa: F401 (fixtures)
    drawn_fixture,
    fixed_day_fixture,
    inspection_fixture,
    photo_upload,
    ready_to_sign,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(inspection, *parts) -> str:
    return "/inspect/inspections/" + "/".join([inspection.number, *map(str, parts)]) + "/"


def test_the_inspector_sees_the_drawn_subject_and_starts_it(drawn, inspectors):
    client = login(inspectors[0].user)
    page = client.get("/inspect/")
    assert page.status_code == 200 and drawn.subject.name in page.content.decode()
    response = client.post(f"/inspect/drawn/{drawn.pk}/start/")
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == _url(inspection)
    page = client.get("/inspect/")
    assert inspection.number in page.content.decode()
    # An inspector not drawn for it: refused, nothing started.
    assert login(inspectors[1].user).post(f"/inspect/drawn/{drawn.pk}/start/").status_code == 403


def test_an_answer_posted_by_htmx_is_saved_and_the_card_comes_back(inspection, inspectors):
    client = login(inspectors[0].user)
    item = inspection.checklist.items.get(order=7)
    page = client.get(_url(inspection))
    assert page.status_code == 200 and 'hx-post="' + _url(
        inspection, "items", item.pk, "answer"
    ) in (page.content.decode())
    response = client.post(
        _url(inspection, "items", item.pk, "answer"),
        {"verdict": "not_compliant", "note": "午餐未留样"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="item-{item.pk}"' in body
    answer = Answer.objects.get(inspection=inspection, item=item)
    assert (answer.verdict, answer.note) == ("not_compliant", "午餐未留样")
    # The card now asks for a photo and the order.
    assert 'capture="environment"' in body and 'name="order_text"' in body
    # Reloading shows the saved answer.
    page = client.get(_url(inspection)).content.decode()
    pattern = rf'value="not_compliant"[^>]*id="i{item.pk}_verdict_1"[^>]*checked'
    assert re.search(pattern, page)


def test_a_plain_form_answer_redirects_to_the_item_and_a_bad_one_shows_the_item_page(
    inspection, inspectors
):
    client = login(inspectors[0].user)
    item = inspection.checklist.items.first()
    url = _url(inspection, "items", item.pk, "answer")
    response = client.post(url, {"verdict": "compliant"})
    assert response.status_code == 302 and response.url.endswith(f"#item-{item.pk}")
    response = client.post(url, {"verdict": "maybe", "note": "x"})
    assert response.status_code == 400 and "verdict" in response.context["answer_form"].errors
    assert Answer.objects.get().verdict == "compliant"


def test_photos_are_uploaded_per_item_and_served_only_to_those_who_may_see_them(
    inspection, inspectors, citizen_user, enterprise_user, office_user
):
    client = login(inspectors[0].user)
    item = inspection.checklist.items.get(order=2)
    client.post(_url(inspection, "items", item.pk, "answer"), {"verdict": "not_compliant"})
    response = client.post(
        _url(inspection, "items", item.pk, "photos"), {"photo": photo_upload(gps=True)}, **HTMX
    )
    assert response.status_code == 200
    photo = Photo.objects.get()
    assert photo.item == item and photo.latitude is not None
    url = _url(inspection, "photos", photo.pk)
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["Cache-Control"] == "private, no-store"
    for outsider in (citizen_user, enterprise_user):
        assert login(outsider).get(url).status_code in (403, 404)
    assert login(inspectors[3].user).get(url).status_code == 404  # another unit, not drawn
    # The location is shown to the office only.
    assert str(photo.latitude) in login(office_user).get(_url(inspection)).content.decode()
    assert str(photo.latitude) not in client.get(_url(inspection)).content.decode()
    # Not a picture: refused on the form, nothing stored.
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"<html>no</html>", content_type="image/png")
    response = client.post(_url(inspection, "items", item.pk, "photos"), {"photo": fake})
    assert response.status_code == 400 and "photo" in response.context["photo_form"].errors
    assert Photo.objects.count() == 1
    # Removing asks first.
    remove = _url(inspection, "photos", photo.pk, "remove")
    assert client.get(remove).status_code == 200 and Photo.objects.exists()
    assert client.post(remove).status_code == 302 and not Photo.objects.exists()


def test_the_representative_and_both_inspectors_sign_on_the_pages(inspection, inspectors):
    first, second = login(inspectors[0].user), login(inspectors[2].user)
    from tests.supervision.inspection_helpers import answer_all

    answer_all(inspection, inspectors[0].user, not_compliant=(7,))
    finish = first.get(_url(inspection, "finish"))
    assert finish.status_code == 200 and "representative_form" in finish.context
    response = first.post(_url(inspection, "representative"), {"name": ""})
    assert response.status_code == 400 and "name" in response.context["representative_form"].errors
    response = first.post(_url(inspection, "representative"), {"name": "王园长"})
    assert response.status_code == 302
    confirm = first.get(_url(inspection, "sign"))
    assert confirm.status_code == 200 and "第7项不符合要求" in confirm.content.decode()
    assert first.post(_url(inspection, "sign")).status_code == 302
    assert second.post(_url(inspection, "sign")).status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.SIGNED and Hazard.objects.count() == 1
    page = second.get(_url(inspection)).content.decode()
    assert "王园长" in page and 'hx-post="' not in page  # read-only now
    item = inspection.checklist.items.first()
    response = first.post(
        _url(inspection, "items", item.pk, "answer"), {"verdict": "not_compliant"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert Answer.objects.get(inspection=inspection, item=item).verdict == "compliant"


def test_the_office_list_is_scoped_searched_and_filtered(
    campaign,
    inspection,
    inspectors,
    office_user,
    citizen_user,
    sv_unit,
    districts,
    django_assert_max_num_queries,
):
    office = login(office_user)
    with django_assert_max_num_queries(12):
        page = office.get("/inspect/inspections/")
    assert page.status_code == 200 and inspection.number in page.content.decode()
    assert inspection.number in office.get("/inspect/inspections/?q=测试第1").content.decode()
    assert (
        inspection.number not in office.get("/inspect/inspections/?status=signed").content.decode()
    )
    assert office.get("/inspect/inspections/?date_from=nonsense").status_code == 400
    assert (
        inspection.number in login(inspectors[2].user).get("/inspect/inspections/").content.decode()
    )
    assert (
        inspection.number
        not in login(inspectors[3].user).get("/inspect/inspections/").content.decode()
    )
    assert login(citizen_user).get("/inspect/inspections/").status_code == 403


def test_the_office_edits_a_checklist_into_a_new_version(campaign, office_user, inspectors):
    office = login(office_user)
    page = office.get("/inspect/checklists/")
    assert page.status_code == 200
    canteen = Checklist.objects.get(region=campaign.region, code="canteen")
    edit = office.get(f"/inspect/checklists/{canteen.pk}/edit/")
    formset = edit.context["formset"]
    data = {"title": "学校食堂检查表（2026版）"}
    data.update({f"items-{k}": v for k, v in formset.management_form.initial.items()})
    for n, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if name == "photo_required":
                if value:
                    data[f"items-{n}-{name}"] = "on"
            else:
                data[f"items-{n}-{name}"] = value
    data["items-0-remove"] = "on"
    data["items-1-order"] = "99"
    last = len(formset.initial)
    data[f"items-{last}-text"] = "食堂配备防蝇防鼠设施"
    response = office.post(f"/inspect/checklists/{canteen.pk}/edit/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    v2 = Checklist.objects.get(region=campaign.region, code="canteen", is_current=True)
    texts = list(v2.items.values_list("text", flat=True))
    assert v2.version == 2 and v2.title == "学校食堂检查表（2026版）"
    assert canteen.items.get(order=1).text not in texts
    # Moved to the end, before the new item (which has no number).
    assert texts[-2:] == [canteen.items.get(order=2).text, "食堂配备防蝇防鼠设施"]
    # Inspectors read no checklist pages.
    assert login(inspectors[0].user).get(f"/inspect/checklists/{v2.pk}/edit/").status_code == 404
    assert office.get(f"/inspect/checklists/{canteen.pk}/").status_code == 200


def test_an_ad_hoc_inspection_is_started_from_a_search(
    campaign, districts, inspectors, sv_enterprise, fixed_day
):
    subject = make_canteen(campaign.region, districts[1], 5, enterprise=sv_enterprise)
    client = login(inspectors[1].user)
    page = client.get("/inspect/new/?q=测试第5")
    assert subject.name in page.content.decode()
    response = client.post("/inspect/new/", {"subject": subject.pk})
    inspection = Inspection.objects.get(subject=subject)
    assert response.url == _url(inspection) and inspection.drawn is None
    assert client.post("/inspect/new/", {"subject": "99999999999999999999"}).status_code == 404


def test_a_drawn_inspection_page_and_an_unrelated_user(
    inspection, citizen_user, enterprise_user, sv_manager
):
    assert login(citizen_user).get(_url(inspection)).status_code == 403
    assert login(enterprise_user).get(_url(inspection)).status_code == 403
    assert login(sv_manager).get(_url(inspection)).status_code == 200
    assert login(sv_manager).get("/inspect/inspections/J2026-99999/").status_code == 404


def test_the_inspection_page_and_an_answer_take_a_fixed_number_of_queries(
    inspection, inspectors, django_assert_max_num_queries
):
    from tests.supervision.inspection_helpers import answer_all

    client = login(inspectors[0].user)
    answer_all(inspection, inspectors[0].user, not_compliant=(2, 7))
    with django_assert_max_num_queries(15):  # ten items, two photos: not a query per item
        assert client.get(_url(inspection)).status_code == 200
    item = inspection.checklist.items.first()
    with django_assert_max_num_queries(22):
        response = client.post(
            _url(inspection, "items", item.pk, "answer"), {"verdict": "not_applicable"}, **HTMX
        )
    assert response.status_code == 200
