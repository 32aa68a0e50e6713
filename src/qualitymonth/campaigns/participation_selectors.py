"""Reads of campaign participation: the office's list, an applicant's own applications, and the
participating organisations a campaign's public page lists."""

from django.db.models import Count, Q, QuerySet

from qualitymonth.campaigns.models import Activity, Campaign, Participation
from qualitymonth.core.models import Unit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import mask_mobile, mask_name

# What the public counts as an organisation's activities: published, and done.
COUNTED_STATUSES = (Activity.Status.PUBLISHED, Activity.Status.COMPLETED)


def office_participations(user, filters: dict | None = None) -> QuerySet[Participation]:
    """The applications to the campaigns of the office's regions, newest first; filters status,
    campaign (slug), kind and `q` (words of the name, or the start of the code)."""
    filters = filters or {}
    qs = Participation.objects.select_related("campaign", "district", "unit")
    if not getattr(user, "is_superuser", False):
        offices = policy.office_region_ids(user)
        qs = qs.filter(
            Q(campaign__region_id__in=offices)
            | Q(campaign__region__parent_id__in=offices)
            | Q(campaign__region__parent__parent_id__in=offices)
        )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("campaign"):
        qs = qs.filter(campaign__slug=filters["campaign"])
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(uscc__startswith=text.upper()))
    return qs.order_by("-created_at", "-pk")


def office_participation(user, pk: int) -> Participation | None:
    """One application the office may decide, or None (a stranger learns nothing)."""
    return office_participations(user).filter(pk=pk).first()


def my_participations(user, campaign: Campaign | None = None) -> QuerySet[Participation]:
    if not getattr(user, "is_authenticated", False):
        return Participation.objects.none()
    qs = Participation.objects.filter(applicant=user).select_related("campaign", "unit")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("-created_at", "-pk")


def masked(participations) -> list[Participation]:
    """The applications with `masked_contact_name` and `masked_contact_mobile` for pages that are
    not the office's (the applicant's own page included: a shared screen shows it)."""
    items = list(participations)
    for item in items:
        item.masked_contact_name = mask_name(item.contact_name)
        item.masked_contact_mobile = mask_mobile(item.contact_mobile)
    return items


def participants(campaign: Campaign) -> QuerySet[Unit]:
    """The accepted organisations' units, each with `activity_count` (published or done, in this
    campaign), by name: one query."""
    return (
        Unit.objects.filter(
            participations__campaign=campaign,
            participations__status=Participation.Status.ACCEPTED,
            is_active=True,
        )
        .annotate(
            activity_count=Count(
                "activities",
                filter=Q(activities__campaign=campaign, activities__status__in=COUNTED_STATUSES),
            )
        )
        .order_by("name")
    )


def status_counts(user, campaign_slug: str = "") -> dict[str, int]:
    qs = office_participations(user, {"campaign": campaign_slug})
    return dict(qs.order_by().values_list("status").annotate(n=Count("id")))


def timeline_entries(enterprise, limit: int = 10) -> list:
    """An enterprise's applications to campaigns (matched by its code), for its page: one query."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from qualitymonth.enterprises.timeline import Entry

    found = (
        Participation.objects.filter(uscc=enterprise.uscc)
        .select_related("campaign")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        Entry(
            when=p.created_at,
            kind=_("Campaign participation"),
            title=f"{p.campaign.year} · {p.campaign.theme}",
            status=str(p.get_status_display()),
            url=reverse("office:participation", args=[p.pk]),
        )
        for p in found
    ]
