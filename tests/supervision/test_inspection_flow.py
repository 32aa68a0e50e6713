"""Inspections through their services: started with the current checklist, answers saved one by
one, hazards written for not-compliant items, the representative and both inspectors sign, and
the second signature creates the hazards and records the draw's result."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.supervision import inspection_selectors as selectors
from qualitymonth.supervision.models import (
    Answer,
    Hazard,
    Inspection,
    Result,
    Rules,
    Signature,
)
from qualitymonth.supervision.services import checklists as checklist_services
from qualitymonth.supervision.services import inspections as services
from tests.supervision.conftest import make_canteen, make_inspector
from tests.supervision.inspection_helpers import (  # noqa: F401 (fixtures)
    DAY,
    answer_all,
    drawn_fixture,
    fixed_day_fixture,
    inspection_fixture,
    make_drawn,
    photo_upload,
    ready_to_sign,
)

pytestmark = pytest.mark.django_db


def test_a_drawn_inspector_starts_with_the_current_canteen_checklist_and_the_city_figures(
    campaign, drawn, inspectors
):
    Rules.objects.create(region=campaign.region, canteen_sample_grams=200)
    inspection = services.inspection_start(drawn=drawn, acting_user=inspectors[2].user)
    assert inspection.number == f"J{DAY.year}-00001"
    assert (inspection.checklist.code, inspection.checklist.version) == ("canteen", 1)
    assert inspection.unit == drawn.task.unit and inspection.inspected_on == DAY
    texts = " ".join(inspection.checklist.items.values_list("text", flat=True))
    assert "不少于200克" in texts and "48小时以上" in texts
    # A second tap returns the same inspection.
    again = services.inspection_start(drawn=drawn, acting_user=inspectors[0].user)
    assert again.pk == inspection.pk and Inspection.objects.count() == 1
    assert AuditEvent.objects.filter(event_type="supervision.inspection.started").count() == 1


def test_an_inspector_not_drawn_may_not_start_the_drawn_subject(drawn, inspectors, citizen_user):
    for user in (inspectors[1].user, inspectors[3].user, citizen_user):
        with pytest.raises(PermissionDenied):
            services.inspection_start(drawn=drawn, acting_user=user)
    assert not Inspection.objects.exists()


def test_an_ad_hoc_inspection_is_for_the_inspectors_unit_and_kinds(
    campaign, districts, elevator, sv_other_unit, citizen_user, fixed_day
):
    canteens_only = make_inspector(sv_other_unit, "insp-canteen", kinds=["canteen"])
    with pytest.raises(ValidationError) as refused:
        services.inspection_start(subject=elevator, acting_user=canteens_only.user)
    assert "subject" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.inspection_start(subject=elevator, acting_user=citizen_user)
    anyone = make_inspector(sv_other_unit, "insp-any")
    inspection = services.inspection_start(subject=elevator, acting_user=anyone.user)
    assert inspection.unit == sv_other_unit and inspection.drawn is None
    assert inspection.checklist.code == "elevator"
    assert "每15日" in " ".join(inspection.checklist.items.values_list("text", flat=True))


def test_answers_are_saved_one_by_one_and_the_same_answer_again_changes_nothing(
    inspection, inspectors
):
    first, second = inspection.checklist.items.all()[:2]
    user = inspectors[0].user
    services.answer_save(inspection=inspection, item=first, verdict="compliant", acting_user=user)
    services.answer_save(
        inspection=inspection, item=second, verdict="not_applicable", note="无", acting_user=user
    )
    services.answer_save(inspection=inspection, item=first, verdict="compliant", acting_user=user)
    assert dict(inspection.answers.values_list("item__order", "verdict")) == {
        1: "compliant",
        2: "not_applicable",
    }
    events = AuditEvent.objects.filter(event_type="supervision.inspection.answered")
    assert events.count() == 2


def test_a_bad_answer_is_refused_by_field_and_nothing_is_stored(inspection, inspectors, elevator):
    item = inspection.checklist.items.first()
    user = inspectors[0].user
    with pytest.raises(ValidationError) as refused:
        services.answer_save(inspection=inspection, item=item, verdict="maybe", acting_user=user)
    assert "verdict" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.answer_save(
            inspection=inspection, item=item, verdict="compliant", note="x" * 501, acting_user=user
        )
    assert "note" in refused.value.message_dict
    other = checklist_services.checklist_current(elevator.region, "elevator").items.first()
    with pytest.raises(ValidationError) as refused:
        services.answer_save(
            inspection=inspection, item=other, verdict="compliant", acting_user=user
        )
    assert "item" in refused.value.message_dict
    assert not Answer.objects.exists()


def test_a_hazard_is_written_only_for_a_not_compliant_item_with_a_sensible_deadline(
    inspection, inspectors
):
    item = inspection.checklist.items.get(order=7)  # the food samples
    user = inspectors[0].user
    kwargs = {"inspection": inspection, "item": item, "acting_user": user}
    with pytest.raises(ValidationError) as refused:
        services.hazard_draft_save(description="留样不足", order_text="整改", **kwargs)
    assert "item" in refused.value.message_dict
    services.answer_save(verdict="not_compliant", **kwargs)
    with pytest.raises(ValidationError) as refused:
        services.hazard_draft_save(description="", order_text="整改", deadline=DAY, **kwargs)
    assert set(refused.value.message_dict) == {"description", "deadline"}
    draft = services.hazard_draft_save(description="午餐未留样", order_text="立即整改", **kwargs)
    assert draft["deadline"] == (DAY + dt.timedelta(days=15)).isoformat()
    inspection.refresh_from_db()
    assert selectors.hazard_drafts(inspection)[item.pk]["description"] == "午餐未留样"
    assert not Hazard.objects.exists()  # a draft until the inspection is signed
    # Answered compliant after all: the draft goes.
    services.answer_save(verdict="compliant", **kwargs)
    inspection.refresh_from_db()
    assert selectors.hazard_drafts(inspection) == {}


def test_signing_waits_for_every_answer_photo_hazard_and_the_representative(inspection, inspectors):
    user = inspectors[0].user
    with pytest.raises(ValidationError) as refused:
        services.inspection_sign(inspection=inspection, acting_user=user)
    assert refused.value.code == "incomplete"
    item = inspection.checklist.items.get(order=2)  # photo required
    for other in inspection.checklist.items.exclude(pk=item.pk):
        services.answer_save(
            inspection=inspection, item=other, verdict="compliant", acting_user=user
        )
    services.answer_save(
        inspection=inspection, item=item, verdict="not_compliant", acting_user=user
    )
    services.hazard_draft_save(
        inspection=inspection,
        item=item,
        description="一人无健康证",
        order_text="调离岗位",
        acting_user=user,
    )
    inspection.refresh_from_db()
    assert selectors.readiness(inspection) == [
        "Item 2: take at least one photo.",
        "The representative has not signed, and no refusal is recorded.",
    ]
    with pytest.raises(ValidationError):
        services.representative_record(inspection=inspection, acting_user=user, name="王园长")
    services.photo_add(inspection=inspection, item=item, upload=photo_upload(), acting_user=user)
    services.representative_record(
        inspection=inspection,
        acting_user=user,
        refused=True,
        refusal_note="拒绝签字，两名检查人员见证",
    )
    inspection.refresh_from_db()
    assert selectors.readiness(inspection) == []


def test_both_inspectors_sign_and_the_hazards_and_the_draw_result_follow(
    inspection, inspectors, drawn
):
    first, second = inspectors[0].user, inspectors[2].user
    bad = ready_to_sign(inspection, first, not_compliant=(4, 7))
    services.inspection_sign(inspection=inspection, acting_user=first)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.IN_PROGRESS and not Hazard.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.inspection_sign(inspection=inspection, acting_user=first)
    assert refused.value.code == "duplicate"
    services.inspection_sign(inspection=inspection, acting_user=second)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.SIGNED and inspection.signed_at
    assert inspection.result == Result.RECTIFY
    assert "10" in inspection.summary and not inspection.summary.startswith("{")
    hazards = list(Hazard.objects.order_by("answer__item__order"))
    assert [h.answer.item for h in hazards] == bad
    assert all(h.status == Hazard.Status.OPEN for h in hazards)
    assert hazards[0].deadline == DAY + dt.timedelta(days=15)
    assert hazards[0].subject == inspection.subject and hazards[0].unit == inspection.unit
    assert hazards[1].description == "第7项不符合要求"
    assert list(Signature.objects.values_list("name", flat=True)) == [
        inspectors[0].name,
        inspectors[2].name,
    ]
    drawn.refresh_from_db()
    assert drawn.result == Result.RECTIFY and drawn.result_on == DAY and drawn.publish_due


def test_a_signed_inspection_cannot_be_changed(inspection, inspectors):
    first, second = inspectors[0].user, inspectors[2].user
    ready_to_sign(inspection, first)
    services.inspection_sign(inspection=inspection, acting_user=first)
    services.inspection_sign(inspection=inspection, acting_user=second)
    inspection.refresh_from_db()
    assert inspection.result == Result.NO_PROBLEM and not Hazard.objects.exists()
    item = inspection.checklist.items.first()
    with pytest.raises(ValidationError) as refused:
        services.answer_save(
            inspection=inspection, item=item, verdict="not_compliant", acting_user=first
        )
    assert refused.value.code == "finished"
    with pytest.raises(ValidationError):
        services.photo_add(
            inspection=inspection, item=item, upload=photo_upload(), acting_user=first
        )
    assert Answer.objects.get(inspection=inspection, item=item).verdict == "compliant"


def test_only_the_drawn_inspectors_sign_and_a_change_withdraws_the_signatures(
    inspection, inspectors, sv_manager
):
    first = inspectors[0].user
    ready_to_sign(inspection, first)
    # A colleague of the unit may see and answer, but did not inspect: no signature.
    with pytest.raises(PermissionDenied):
        services.inspection_sign(inspection=inspection, acting_user=inspectors[1].user)
    services.inspection_sign(inspection=inspection, acting_user=first)
    item = inspection.checklist.items.first()
    services.answer_save(
        inspection=inspection, item=item, verdict="not_applicable", acting_user=first
    )
    inspection.refresh_from_db()
    assert not inspection.signatures.exists() and not inspection.representative_signed_at
    assert AuditEvent.objects.filter(
        event_type="supervision.inspection.signatures_withdrawn"
    ).exists()


def test_checklist_versions_keep_the_inspections_made_with_them(
    campaign, office_user, inspection, inspectors, sv_unit, districts, sv_enterprise
):
    v1 = inspection.checklist
    items = [
        {"section": i.section, "text": i.text, "guidance": i.guidance, "photo_required": True}
        for i in v1.items.all()
    ]
    items.reverse()
    items.append({"section": "新增", "text": "食堂从业人员佩戴口罩", "guidance": ""})
    v2 = checklist_services.checklist_revise(checklist=v1, items=items, acting_user=office_user)
    v1.refresh_from_db()
    assert (v2.version, v2.is_current, v1.is_current) == (2, True, False)
    assert v2.items.count() == v1.items.count() + 1
    assert v2.items.get(order=1).text == v1.items.order_by("-order").first().text
    inspection.refresh_from_db()
    assert inspection.checklist == v1
    other = make_canteen(campaign.region, districts[0], 2, enterprise=sv_enterprise)
    later = services.inspection_start(
        drawn=make_drawn(other, [inspectors[0], inspectors[2]], unit=sv_unit, n=2),
        acting_user=inspectors[0].user,
    )
    assert later.checklist == v2
    with pytest.raises(ValidationError):  # v1 is no longer current
        checklist_services.checklist_revise(checklist=v1, items=items, acting_user=office_user)
    with pytest.raises(PermissionDenied):
        checklist_services.checklist_revise(
            checklist=v2, items=items, acting_user=inspectors[0].user
        )
    with pytest.raises(ValidationError) as refused:
        checklist_services.checklist_revise(checklist=v2, items=[], acting_user=office_user)
    assert "items" in refused.value.message_dict


def test_timeline_and_failed_inspection_counts_name_the_enterprise(
    inspection, inspectors, sv_enterprise
):
    ready_to_sign(inspection, inspectors[0].user, not_compliant=(1,))
    services.inspection_sign(inspection=inspection, acting_user=inspectors[0].user)
    services.inspection_sign(inspection=inspection, acting_user=inspectors[2].user)
    from qualitymonth.enterprises import problems

    found = {name: n for name, _label, n in problems.breakdown(sv_enterprise)}
    assert found.get("inspections") == 1
    entries = selectors.timeline_entries(sv_enterprise)
    assert len(entries) == 1 and inspection.number in entries[0].title
    assert entries[0].url.endswith(f"/inspect/inspections/{inspection.number}/")


# --- cancelling ----------------------------------------------------------------------------------
def test_a_cancelled_inspection_stays_on_record_and_frees_the_drawn_subject(
    inspection, drawn, inspectors
):
    user = inspectors[0].user
    answer_all(inspection, user)
    with pytest.raises(ValidationError) as no_reason:
        services.inspection_cancel(inspection=inspection, reason="  ", acting_user=user)
    assert "reason" in no_reason.value.message_dict
    services.inspection_cancel(inspection=inspection, reason="走错对象", acting_user=user)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.CANCELLED and inspection.drawn is None
    assert inspection.answers.count() == inspection.checklist.items.count()  # nothing lost
    assert AuditEvent.objects.filter(event_type="supervision.inspection.cancelled").exists()
    assert drawn in selectors.drawn_for(user)
    again = services.inspection_start(drawn=drawn, acting_user=user)
    assert again.pk != inspection.pk and again.drawn == drawn
    with pytest.raises(ValidationError):
        services.answer_save(
            inspection=inspection,
            item=inspection.checklist.items.first(),
            verdict="compliant",
            acting_user=user,
        )


def test_only_its_inspectors_cancel_an_inspection_and_never_a_signed_one(
    inspection, inspectors, citizen_user
):
    stranger = make_inspector(inspectors[2].unit, "stranger-9")  # another unit, not drawn here
    for user in (citizen_user, stranger.user):
        with pytest.raises(PermissionDenied):
            services.inspection_cancel(inspection=inspection, reason="无理由", acting_user=user)
    ready_to_sign(inspection, inspectors[0].user)
    services.inspection_sign(inspection=inspection, acting_user=inspectors[0].user)
    services.inspection_sign(inspection=inspection, acting_user=inspectors[2].user)
    with pytest.raises(ValidationError):
        services.inspection_cancel(
            inspection=inspection, reason="签完再撤", acting_user=inspectors[0].user
        )


def test_the_cancel_page_asks_for_a_reason_and_confirms(inspection, inspectors):
    from tests.supervision.conftest import login

    client = login(inspectors[0].user)
    url = f"/inspect/inspections/{inspection.number}/cancel/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.IN_PROGRESS
    done = client.post(url, {"reason": "现场停业，改日再查"})
    assert done.status_code == 302 and done["Location"] == "/inspect/"
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.CANCELLED
