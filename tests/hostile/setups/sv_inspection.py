"""Hostile-suite setups of the inspections: a market-supervision unit with two inspectors, a
kindergarten canteen drawn for them and its inspection in progress, every item answered (item 7
not compliant, with a photo and a hazard), made the first time an operation asks for it."""

import datetime as dt

from tests.hostile.conftest import World
from tests.hostile.setup import Setup, StepForm


def _sv_world(w: World) -> World:
    if hasattr(w, "sv_inspection"):
        return w
    from django.test import Client

    from qualitymonth.core.models import Region
    from qualitymonth.supervision.services import inspections as services
    from tests.factories import UnitFactory
    from tests.supervision.conftest import make_canteen, make_inspector
    from tests.supervision.inspection_helpers import make_drawn, photo_upload

    unit = UnitFactory(
        region=w.campaign.region,
        name="示例市场监管局",
        code="hostile-amr",
        kind="market_supervision",
    )
    first = make_inspector(unit, "hostile-insp-a")
    second = make_inspector(unit, "hostile-insp-b")
    district = Region.objects.filter(parent=w.campaign.region).order_by("code").first()
    subject = make_canteen(w.campaign.region, district, 901)
    w.sv_drawn = make_drawn(subject, [first, second], unit=unit, n=901)
    user = first.user
    inspection = services.inspection_start(drawn=w.sv_drawn, acting_user=user)
    items = {i.order: i for i in inspection.checklist.items.all()}
    for order, item in items.items():
        verdict = "not_compliant" if order == 7 else "compliant"
        services.answer_save(inspection=inspection, item=item, verdict=verdict, acting_user=user)
    w.sv_photo = services.photo_add(
        inspection=inspection, item=items[7], upload=photo_upload(), acting_user=user
    )
    services.hazard_draft_save(
        inspection=inspection,
        item=items[7],
        description="午餐未留样",
        order_text="立即整改，补齐留样设施",
        acting_user=user,
    )
    w.sv_inspection, w.sv_items, w.sv_subject = inspection, items, subject
    client = Client()
    client.force_login(user)
    w.clients["sv-inspector"] = client
    return w


def _number(w: World) -> str:
    return _sv_world(w).sv_inspection.number


def _reset_photos(w: World) -> None:
    from qualitymonth.supervision.models import Photo

    Photo.objects.filter(inspection=_sv_world(w).sv_inspection, pk__gt=w.sv_photo.pk).delete()


def _answer_note(w: World) -> str:
    from qualitymonth.supervision.models import Answer

    return Answer.objects.get(inspection=w.sv_inspection, item=w.sv_items[1]).note


def _draft(field: str):
    def read(w: World) -> str:
        from qualitymonth.supervision.inspection_selectors import hazard_drafts

        w.sv_inspection.refresh_from_db()
        return hazard_drafts(w.sv_inspection)[w.sv_items[7].pk][field]

    return read


def _representative(w: World) -> str:
    w.sv_inspection.refresh_from_db()
    return w.sv_inspection.representative_name


def _uncancel(w: World) -> None:
    """The inspection as it was: in progress, of its drawn subject."""
    from qualitymonth.supervision.models import Inspection

    world = _sv_world(w)
    Inspection.objects.filter(pk=world.sv_inspection.pk).update(
        status="in_progress", drawn=world.sv_drawn, summary=""
    )


def _cancel_reason(w: World) -> str:
    w.sv_inspection.refresh_from_db()
    return w.sv_inspection.summary


def _checklist_title(w: World) -> str:
    from qualitymonth.supervision.models import Checklist

    return Checklist.objects.filter(code="canteen", is_current=True).get().title


def _deadline(w: World) -> str:
    return (_sv_world(w).sv_inspection.inspected_on + dt.timedelta(days=10)).isoformat()


SETUPS = {
    "POST /api/inspect/inspections": Setup(
        who="sv-inspector",
        path=lambda w: _sv_world(w) and {},
        base=lambda w, n: {"drawn_id": w.sv_drawn.pk},
        lookups=frozenset({"drawn_id", "subject_id"}),
        pairs={"subject_id": "drawn_id"},
    ),
    "PUT /api/inspect/inspections/{number}/answers/{item_id}": Setup(
        who="sv-inspector",
        path=lambda w: {"number": _number(w), "item_id": w.sv_items[1].pk},
        base=lambda w, n: {"verdict": "compliant", "note": "核对许可证原件"},
        stored={"note": _answer_note},
    ),
    "POST /api/inspect/inspections/{number}/photos": Setup(
        who="sv-inspector",
        path=lambda w: {"number": _number(w)},
        base=lambda w, n: {"item_id": w.sv_items[7].pk, "photo": _png()},
        reset=_reset_photos,
        lookups=frozenset({"item_id"}),
    ),
    "POST /api/inspect/inspections/{number}/hazards": Setup(
        who="sv-inspector",
        path=lambda w: {"number": _number(w)},
        base=lambda w, n: {
            "item_id": w.sv_items[7].pk,
            "description": "午餐未留样",
            "order_text": "立即整改",
            "deadline": _deadline(w),
        },
        stored={"description": _draft("description"), "order_text": _draft("order_text")},
        lookups=frozenset({"item_id"}),
    ),
    "POST /api/inspect/inspections/{number}/representative": Setup(
        who="sv-inspector",
        path=lambda w: {"number": _number(w)},
        base=lambda w, n: {"name": "王园长"},
        stored={"name": _representative},
        pairs={"refused": "refusal_note"},
    ),
    "POST /api/inspect/inspections/{number}/cancel": Setup(
        who="sv-inspector",
        path=lambda w: {"number": _number(w)},
        base=lambda w, n: {"reason": "走错检查对象，重新开始"},
        reset=_uncancel,
        stored={"reason": _cancel_reason},
    ),
    "GET /api/office/supervision/inspections": Setup(
        who="office", path=lambda w: _sv_world(w) and {}, lookups=frozenset({"district"})
    ),
    "GET /api/office/supervision/checklists": Setup(
        who="office", path=lambda w: _sv_world(w) and {}
    ),
    "POST /api/office/supervision/checklists": Setup(
        who="office",
        path=lambda w: _sv_world(w) and {},
        base=lambda w, n: {
            "code": "canteen",
            "title": "学校食堂检查表",
            "items": [
                {"section": "留样", "text": "每餐次留样", "guidance": "", "photo_required": True}
            ],
        },
        stored={"title": _checklist_title},
        lookups=frozenset({"region", "code"}),
        pairs={"code": "subject_kind"},
    ),
}


def _png():
    from tests.supervision.inspection_helpers import photo_upload

    return photo_upload()


def _item_page(order: int):
    def page(w: World) -> str:
        item = _sv_world(w).sv_items[order]
        return f"/inspect/inspections/{w.sv_inspection.number}/items/{item.pk}/"

    return page


def _item_post(order: int, step: str):
    def post(w: World) -> str:
        return _item_page(order)(w) + f"{step}/"

    return post


def _checklist_edit(w: World) -> str:
    from qualitymonth.supervision.models import Checklist
    from qualitymonth.supervision.services.checklists import checklist_current

    _sv_world(w)
    checklist_current(w.campaign.region, "elevator")
    pk = Checklist.objects.get(code="elevator", is_current=True).pk
    return f"/inspect/checklists/{pk}/edit/"


FORMS = {
    "sv-inspection-answer": StepForm(
        who="sv-inspector",
        page=_item_page(1),
        post=_item_post(1, "answer"),
        key="answer_form",
        base=lambda w: {"verdict": "compliant", "note": "核对许可证原件"},
    ),
    "sv-inspection-hazard": StepForm(
        who="sv-inspector",
        page=_item_page(7),
        post=_item_post(7, "hazard"),
        key="hazard_form",
        base=lambda w: {
            "description": "午餐未留样",
            "order_text": "立即整改",
            "deadline": _deadline(w),
        },
    ),
    "sv-inspection-representative": StepForm(
        who="sv-inspector",
        page=lambda w: f"/inspect/inspections/{_number(w)}/finish/",
        post=lambda w: f"/inspect/inspections/{_number(w)}/representative/",
        key="representative_form",
        base=lambda w: {"name": "王园长"},
    ),
    "sv-inspection-cancel": StepForm(
        who="sv-inspector",
        page=lambda w: f"/inspect/inspections/{_number(w)}/cancel/",
        base=lambda w: {"reason": "走错检查对象，重新开始"},
        reset=_uncancel,
    ),
    # No items sent: the title is what is fuzzed, and nothing is saved.
    "sv-checklist-edit": (
        "office",
        _checklist_edit,
        lambda w: {"title": "电梯检查表", "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"},
    ),
}
