"""Checklist versions: a city's current checklist of a code (made from the standard on first use)
and the office's edits, each of which makes a new version. Older versions stay, unchanged, for
the inspections made with them."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import clean_text, field_error
from qualitymonth.supervision import checklists as standards
from qualitymonth.supervision.models import Checklist, ChecklistItem, Rules, SubjectKind
from qualitymonth.supervision.permissions import SupervisionAction

ITEMS_MAX = 60
CODE_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
TITLE_MAX = Checklist._meta.get_field("title").max_length
SECTION_MAX = ChecklistItem._meta.get_field("section").max_length
TEXT_MAX = ChecklistItem._meta.get_field("text").max_length
GUIDANCE_MAX = ChecklistItem._meta.get_field("guidance").max_length


def city_of(region: Region) -> Region:
    """Checklists belong to a city: a district's are its city's."""
    if region.level == Region.Level.DISTRICT and region.parent_id:
        return region.parent
    return region


def checklist_current(region: Region, code: str) -> Checklist:
    """The city's current checklist of this code; version 1 is made from the standard (with the
    city's figures written in) the first time it is asked for."""
    city = city_of(region)
    found = Checklist.objects.filter(region=city, code=code, is_current=True).first()
    if found is not None:
        return found
    standard = standards.STANDARDS.get(code)
    if standard is None:
        raise field_error("code", _("There is no checklist of this code."), "not_found")
    try:
        with transaction.atomic():
            checklist = Checklist.objects.create(
                region=city,
                code=code,
                version=1,
                title=standard.title,
                subject_kind=standard.subject_kind,
            )
            _add_items(checklist, standards.filled(standard, Rules.for_region(city)))
            audit_record(
                actor=None,
                event_type="supervision.checklist.created",
                target=checklist,
                code=code,
                version=1,
                items=len(standard.items),
            )
    except IntegrityError:
        # Two first uses at once: the other one made it.
        return Checklist.objects.get(region=city, code=code, is_current=True)
    return checklist


def _add_items(checklist: Checklist, items: list[dict]) -> None:
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=checklist,
            order=n,
            section=item["section"],
            text=item["text"],
            guidance=item["guidance"],
            photo_required=item["photo_required"],
        )
        for n, item in enumerate(items, start=1)
    )


def clean_items(items: list[dict]) -> list[dict]:
    """The items as given, checked one by one; errors name the item's position ("items")."""
    if not items:
        raise field_error("items", _("A checklist needs at least one item."), "required")
    if len(items) > ITEMS_MAX:
        raise field_error("items", _("At most %(n)s items.") % {"n": ITEMS_MAX}, "limit_items")
    cleaned = []
    for n, item in enumerate(items, start=1):
        try:
            cleaned.append(
                {
                    "section": clean_text(
                        "section", item.get("section"), limit=SECTION_MAX, required=False
                    ),
                    "text": clean_text("text", item.get("text"), limit=TEXT_MAX),
                    "guidance": clean_text(
                        "guidance",
                        item.get("guidance"),
                        limit=GUIDANCE_MAX,
                        required=False,
                        multiline=True,
                    ),
                    "photo_required": bool(item.get("photo_required", True)),
                }
            )
        except ValidationError as error:
            messages = [
                _("Item %(n)s (%(field)s): %(message)s")
                % {"n": n, "field": field, "message": message}
                for field, errors in error.message_dict.items()
                for message in errors
            ]
            raise ValidationError({"items": messages}) from None
    return cleaned


@transaction.atomic
def checklist_revise(
    *, checklist: Checklist, items: list[dict], acting_user, title: str = ""
) -> Checklist:
    """A new version of the checklist with these items, in this order; it becomes current."""
    policy.require(acting_user, SupervisionAction.DIRECTORY, checklist.region)
    versions = list(
        Checklist.objects.select_for_update()
        .filter(region=checklist.region, code=checklist.code)
        .order_by("-version")
    )
    current = next((c for c in versions if c.is_current), None)
    if current is None or current.pk != checklist.pk:
        raise ValidationError(
            _("This is not the current version of the checklist; edit the current one."),
            code="invalid_transition",
        )
    title = clean_text("title", title or current.title, limit=TITLE_MAX)
    cleaned = clean_items(items)
    Checklist.objects.filter(pk=current.pk).update(is_current=False)
    new = Checklist.objects.create(
        region=current.region,
        code=current.code,
        version=versions[0].version + 1,
        title=title,
        subject_kind=current.subject_kind,
        created_by=acting_user,
    )
    _add_items(new, cleaned)
    audit_record(
        actor=acting_user,
        event_type="supervision.checklist.revised",
        target=new,
        code=new.code,
        version=new.version,
        previous=current.version,
        items=len(cleaned),
    )
    return new


@transaction.atomic
def checklist_create(
    *, region: Region, code: str, title: str, subject_kind: str, items: list[dict], acting_user
) -> Checklist:
    """A checklist of a new code (a standard one is revised instead)."""
    region = city_of(region)
    policy.require(acting_user, SupervisionAction.DIRECTORY, region)
    code = clean_text("code", code, limit=40).lower()
    if not CODE_RE.fullmatch(code):
        raise field_error("code", _("Use letters, digits, hyphens and underscores."), "invalid")
    if code in standards.STANDARDS or Checklist.objects.filter(region=region, code=code).exists():
        raise field_error("code", _("A checklist of this code exists: revise it."), "duplicate")
    if subject_kind not in SubjectKind.values:
        raise field_error("subject_kind", _("Choose a kind of subject."), "invalid")
    title = clean_text("title", title, limit=TITLE_MAX)
    cleaned = clean_items(items)
    checklist = Checklist.objects.create(
        region=region,
        code=code,
        version=1,
        title=title,
        subject_kind=subject_kind,
        created_by=acting_user,
    )
    _add_items(checklist, cleaned)
    audit_record(
        actor=acting_user,
        event_type="supervision.checklist.created",
        target=checklist,
        code=code,
        version=1,
        items=len(cleaned),
    )
    return checklist
