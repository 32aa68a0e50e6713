"""Grouping cases about the same problem into the city's "关键小事", and the office's work on them."""

import re
import unicodedata
from datetime import timedelta
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.complaints.models import Complaint, ProblemGroup
from qualitymonth.complaints.taxonomy import Category, Nature
from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import Action, policy

# A business is written many ways: "厦门市某某电器有限公司", "某某电器", "某某电器（湖里店）".
_LEGAL_FORMS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|分公司|公司|集团|个体工商户|经营部|商行|门市部)"
)
_BRANCH = re.compile(r"[（(][^）)]*[）)]")
_NOISE = re.compile(r"[\W_]+")
SAME_RESPONDENT_WINDOW = timedelta(days=180)
SIMILAR_TEXT_WINDOW = timedelta(days=30)
SIMILAR_TEXT_CANDIDATES = 60
SIMILARITY_THRESHOLD = 0.45


@lru_cache(maxsize=1)
def _place_prefix() -> re.Pattern:
    """Leading place names ("福建省", "厦门市", "厦门", "湖里区") say nothing about which
    business it is: the regions the platform knows, with and without their suffix."""
    from qualitymonth.core.models import Region

    names = set()
    for name in Region.objects.values_list("name", flat=True):
        names.add(name)
        if len(name) > 2 and name[-1] in "省市区县":
            names.add(name[:-1])
    if not names:
        return re.compile(r"^$")
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})+")


def respondent_key(name: str) -> str:
    name = unicodedata.normalize("NFKC", name or "").lower().strip()
    name = _BRANCH.sub("", name)
    stripped = _place_prefix().sub("", name)
    name = stripped if len(stripped) >= 2 else name
    name = _LEGAL_FORMS.sub("", name)
    return _NOISE.sub("", name)[:100]


def _bigrams(text: str) -> set[str]:
    text = _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Overlap of character pairs relative to the shorter text: a short complaint repeating a
    long one's point counts as the same problem."""
    first, second = _bigrams(a), _bigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def _title(complaint: Complaint) -> str:
    what = complaint.respondent_name or Category(complaint.category or "daily_goods").label
    return f"{what} · {Nature(complaint.nature).label}"


def _find_group(complaint: Complaint) -> ProblemGroup | None:
    now = timezone.now()
    if complaint.respondent_key:
        group = (
            ProblemGroup.objects.filter(
                region_id=complaint.region_id,
                key=f"r:{complaint.respondent_key}:{complaint.nature}",
                last_at__gte=now - SAME_RESPONDENT_WINDOW,
            )
            .order_by("-last_at")
            .first()
        )
        if group:
            return group
    candidates = ProblemGroup.objects.filter(
        region_id=complaint.region_id,
        category=complaint.category,
        nature=complaint.nature,
        last_at__gte=now - SIMILAR_TEXT_WINDOW,
    ).order_by("-last_at")[:SIMILAR_TEXT_CANDIDATES]
    text = complaint.facts
    scored = [(similarity(text, group.sample_text), group) for group in candidates]
    best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best[1] if best[0] >= SIMILARITY_THRESHOLD else None


def group_assign(complaint: Complaint) -> ProblemGroup:
    """Put a new case into its problem group (called inside the intake's transaction)."""
    group = complaint.group or _find_group(complaint)
    now = timezone.now()
    if group is None:
        key = (
            f"r:{complaint.respondent_key}:{complaint.nature}"
            if complaint.respondent_key
            else f"t:{complaint.tracking_number}"
        )
        group = ProblemGroup.objects.create(
            region_id=complaint.region_id,
            key=key,
            title=_title(complaint)[:200],
            respondent_name=complaint.respondent_name[:200],
            nature=complaint.nature,
            category=complaint.category or Category.DAILY_GOODS,
            district_id=complaint.district_id,
            sample_text=complaint.facts[:500],
            case_count=1,
            first_at=now,
            last_at=now,
        )
    else:
        ProblemGroup.objects.filter(pk=group.pk).update(case_count=F("case_count") + 1, last_at=now)
    complaint.group = group
    return group


@transaction.atomic
def group_record_action(
    *, group: ProblemGroup, acting_user, action: str, note: str, public_title: str = ""
) -> ProblemGroup:
    policy.require(acting_user, Action.HOTSPOT_MANAGE, group)
    note = (note or "").strip()
    if action not in ProblemGroup.Action.values:
        raise ValidationError({"action": _("Choose what state the work is in.")})
    if action != ProblemGroup.Action.NONE and not note:
        raise ValidationError({"note": _("Say what was done about this problem.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep it under 2,000 characters.")})
    group = ProblemGroup.objects.select_for_update().get(pk=group.pk)
    before = group.action
    group.action, group.action_note = action, note
    group.action_at = timezone.now() if action != ProblemGroup.Action.NONE else None
    if public_title.strip():
        group.public_title = public_title.strip()[:200]
    group.save(update_fields=["action", "action_note", "action_at", "public_title"])
    audit_record(
        actor=acting_user, event_type="hotspot.action", target=group, before=before, after=action
    )
    return group
