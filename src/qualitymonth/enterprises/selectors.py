"""Reads of the enterprise registry for the office's pages, exports and API."""

import re

from django.db.models import Q, QuerySet

from qualitymonth.campaigns.selectors import search_terms
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.enterprises.forms import FLAGS, ORDERINGS
from qualitymonth.enterprises.models import Claim, Enterprise, EnterpriseMember

# A query of code characters with a digit in it is the start of a USCC ("91350200", "9135…").
_USCC_PREFIX = re.compile(r"[0-9A-Z]*[0-9][0-9A-Z]*")
TIMELINE_LIMIT = 50


def office_region_ids(user) -> list[int]:
    """The regions whose registry the user keeps: the office's regions and those below them.
    Resolved here (a small table) so the enterprise list needs no join to filter."""
    cached = getattr(user, "_qm_registry_regions", None)
    if cached is not None:  # asked by the list and its filters in one request
        return cached
    offices = policy.office_region_ids(user)
    cached = []
    if offices:
        cached = list(
            Region.objects.filter(
                Q(pk__in=offices) | Q(parent_id__in=offices) | Q(parent__parent_id__in=offices)
            ).values_list("pk", flat=True)
        )
    user._qm_registry_regions = cached
    return cached


def office_cities(user) -> QuerySet[Region]:
    """The cities an office may file enterprises in (every city for a superuser)."""
    cities = Region.objects.filter(level=Region.Level.CITY)
    if getattr(user, "is_superuser", False):
        return cities
    return cities.filter(pk__in=office_region_ids(user))


def enterprises_for_office(user) -> QuerySet[Enterprise]:
    if getattr(user, "is_superuser", False):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(region_id__in=office_region_ids(user))


def apply_search(qs: QuerySet[Enterprise], query: str) -> QuerySet[Enterprise]:
    """A code's first characters, or words (jieba) all found in the name."""
    text = (query or "").strip()
    code = re.sub(r"\s+", "", text).upper()
    if len(code) >= 2 and _USCC_PREFIX.fullmatch(code):
        return qs.filter(uscc__startswith=code)
    for term in search_terms(text):
        qs = qs.filter(name__icontains=term)
    return qs


def office_enterprises(*, user, filters: dict | None = None) -> QuerySet[Enterprise]:
    filters = filters or {}
    qs = enterprises_for_office(user).select_related("region", "district", "industry__section")
    if filters.get("district"):
        qs = qs.filter(district=filters["district"])
    if filters.get("section"):
        section = filters["section"]
        qs = qs.filter(Q(industry=section) | Q(industry__section=section))
    if filters.get("size"):
        qs = qs.filter(size=filters["size"])
    if filters.get("flag") in FLAGS:
        qs = qs.filter(**{FLAGS[filters["flag"]]: True})
    qs = apply_search(qs, filters.get("q", ""))
    return qs.order_by(*ORDERINGS.get(filters.get("order") or "name", ORDERINGS["name"]))


def naming_q(enterprise: Enterprise) -> Q:
    """Complaints about the enterprise: by its code, or in its city by its normalised name."""
    naming = Q(respondent_uscc=enterprise.uscc)
    if enterprise.name_key:
        naming |= Q(region_id=enterprise.region_id, respondent_key=enterprise.name_key)
    return naming


def complaints_naming_count(enterprise: Enterprise) -> int:
    """The flag the platform derives: how many complaints name the enterprise."""
    from qualitymonth.complaints.models import Complaint

    return Complaint.objects.filter(naming_q(enterprise)).count()


def complaints_naming(enterprise: Enterprise, *, limit: int = TIMELINE_LIMIT) -> list:
    """The complaints about this enterprise, newest first: those giving its code, and those in
    its city whose business name comes down to its name (`name_key` is `normalise_name`, the
    key intake stores on each complaint, so this is an indexed equality). Only what the
    timeline shows is read: nothing about the complainant."""
    from qualitymonth.complaints.models import Complaint

    return list(
        Complaint.objects.filter(naming_q(enterprise))
        .order_by("-received_at", "-pk")
        .only("pk", "tracking_number", "received_at", "status", "nature", "respondent_uscc")[:limit]
    )


def needs_of(enterprise: Enterprise, *, limit: int = TIMELINE_LIMIT) -> list:
    """The enterprise's service needs, newest first, for its page's timeline."""
    from qualitymonth.enterprises.models import Need

    return list(
        Need.objects.filter(enterprise=enterprise)
        .select_related("service_type", "provider")
        .order_by("-submitted_at", "-pk")[:limit]
    )


def enterprise_members(enterprise: Enterprise) -> QuerySet[EnterpriseMember]:
    return enterprise.members.select_related("user").order_by("created_at")


def enterprise_claims(enterprise: Enterprise) -> QuerySet[Claim]:
    return enterprise.claims.select_related("user", "decided_by").order_by("-created_at")
