"""Reads of the one-stop service: the office's lists and clocks, a provider's queue, an
enterprise's own needs, and the dispatch suggestion."""

import datetime as dt

from django.db.models import Avg, Count, F, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import policy
from qualitymonth.core.workdays import add_workdays
from qualitymonth.enterprises.models import Need, Provider, ServiceType
from qualitymonth.enterprises.selectors import office_region_ids

S = Need.Status
# A provider's load: what it has been sent and not yet delivered.
LOAD_STATUSES = (S.DISPATCHED, S.IN_SERVICE)
# Which clock runs in which state: the response clock until the office acts, then completion.
RESPONDING = (S.SUBMITTED,)
COMPLETING = (S.ACCEPTED, S.DISPATCHED, S.IN_SERVICE)
DUE_SOON_WORKDAYS = 2


def _today() -> dt.date:
    return timezone.localdate()


def _list_related(qs: QuerySet[Need]) -> QuerySet[Need]:
    return qs.select_related("enterprise", "service_type", "provider")


def office_needs_base(user) -> QuerySet[Need]:
    """The needs of the office's regions (every need for a superuser)."""
    if getattr(user, "is_superuser", False):
        return Need.objects.all()
    return Need.objects.filter(region_id__in=office_region_ids(user))


# PostgreSQL cannot tell that the OR of the two clocks keeps to these states, so the overdue
# filter says it once more: then the partial index on the deadline (need_clock_order) gives
# the overdue needs, which come first in it, in deadline order without sorting them all. Not
# for due soon: a short range is found faster by the (region, status, date) indexes and a
# sort, and the repeated condition would make the planner expect far fewer rows than it gets.
CLOCK_STATUSES = RESPONDING + COMPLETING


def overdue_q(today: dt.date) -> Q:
    return Q(status__in=CLOCK_STATUSES) & (
        Q(status__in=RESPONDING, respond_by__lt=today)
        | Q(status__in=COMPLETING, complete_by__lt=today)
    )


def due_soon_q(today: dt.date, workdays: int = DUE_SOON_WORKDAYS) -> Q:
    """Due today or within the next `workdays` working days (not yet overdue)."""
    horizon = add_workdays(today, workdays)
    return Q(status__in=RESPONDING, respond_by__gte=today, respond_by__lte=horizon) | Q(
        status__in=COMPLETING, complete_by__gte=today, complete_by__lte=horizon
    )


def office_needs(user, filters: dict | None = None) -> QuerySet[Need]:
    """The office's list: filters status, service (or its category), provider, district,
    overdue / due soon; `q` is a need's number or words of the enterprise's name."""
    filters = filters or {}
    qs = office_needs_base(user)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("service_type"):
        qs = qs.filter(service_type=filters["service_type"])
    if filters.get("category"):
        qs = qs.filter(service_type__category=filters["category"])
    if filters.get("provider"):
        qs = qs.filter(provider=filters["provider"])
    if filters.get("district"):
        qs = qs.filter(enterprise__district=filters["district"])
    clock = filters.get("clock")
    if clock == "overdue":
        qs = qs.filter(overdue_q(_today()))
    elif clock == "due_soon":
        qs = qs.filter(due_soon_q(_today()))
    text = (filters.get("q") or "").strip()
    if text:
        if text.upper().startswith("N") and text[1:].isdigit():
            qs = qs.filter(number__startswith=text.upper())
        else:
            qs = qs.filter(enterprise__name__icontains=text)
    if clock:  # the nearest deadline first: completion once accepted, else the response
        return _list_related(qs).order_by(Coalesce("complete_by", "respond_by"), "pk")
    return _list_related(qs).order_by("-submitted_at", "-pk")


def overdue_needs(user) -> QuerySet[Need]:
    return office_needs(user, {"clock": "overdue"})


def due_soon_needs(user) -> QuerySet[Need]:
    return office_needs(user, {"clock": "due_soon"})


def provider_ids_served_by(user) -> Q:
    """The providers the user works for, as a filter on Provider."""
    return Q(user_id=user.pk) | Q(unit_id__in=[m.unit_id for m in policy.memberships(user)])


def provider_queue(user, *, open_only: bool = False) -> QuerySet[Need]:
    """The needs sent to the providers the user works for; those still to serve first."""
    providers = Provider.objects.filter(provider_ids_served_by(user)).values("pk")
    qs = Need.objects.filter(provider_id__in=providers)
    if open_only:
        qs = qs.filter(status__in=LOAD_STATUSES)
    return _list_related(qs).order_by("status", "complete_by", "-pk")


def serves_any(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Provider.objects.filter(provider_ids_served_by(user)).exists()


def enterprise_needs(user) -> QuerySet[Need]:
    """The needs of the enterprises the user acts for, newest first."""
    return _list_related(Need.objects.filter(enterprise__members__user=user)).order_by(
        "-submitted_at", "-pk"
    )


def need_for(user, number: str) -> Need | None:
    """One need by its number, if the user may see it (else None: "not found")."""
    from qualitymonth.enterprises.permissions import NeedAction

    found = (
        Need.objects.select_related(
            "enterprise__region",
            "enterprise__district",
            "region",
            "service_type",
            "provider",
            "filed_by",
        )
        .filter(number=number)
        .first()
    )
    if found is None or not policy.can(user, NeedAction.VIEW, found):
        return None
    return found


def need_to_dispatch(user, number: str) -> Need | None:
    """A need the office may dispatch, read lightly (the suggestion needs only its region and
    service): None when it does not exist or the user may not even see it. Someone who may see
    it but not dispatch it gets PermissionDenied, as from the full read."""
    from qualitymonth.core.permissions import PermissionDenied
    from qualitymonth.enterprises.permissions import NeedAction

    found = Need.objects.select_related("region").filter(number=number).first()
    if found is None:
        return None
    if policy.can(user, NeedAction.DISPATCH, found):
        return found
    if policy.can(user, NeedAction.VIEW, found):
        raise PermissionDenied
    return None


def _per_provider(qs: QuerySet[Need], aggregate) -> Subquery:
    """One figure over a provider's needs, as a subquery on the row being suggested."""
    return Subquery(
        qs.filter(provider=OuterRef("pk"))
        .order_by()
        .values("provider")
        .annotate(figure=aggregate)
        .values("figure"),
        output_field=aggregate.output_field,
    )


def dispatch_suggestions(need: Need) -> QuerySet[Provider]:
    """The active providers of the need's region offering its service type, least loaded first,
    then best rated, then by name: one query. Each figure is a subquery on its own index
    ((provider, status) and (provider, rating)), not a join of every need a provider ever had:
    a busy institution has tens of thousands."""
    regions = [r.pk for r in need.region.ancestors_and_self()]
    return (
        Provider.objects.filter(
            is_active=True, service_types=need.service_type_id, region_id__in=regions
        )
        .annotate(
            open_needs=Coalesce(
                _per_provider(Need.objects.filter(status__in=LOAD_STATUSES), Count("*")), 0
            ),
            average_rating=_per_provider(
                Need.objects.filter(rating__isnull=False), Avg("rating", output_field=FloatField())
            ),
        )
        .order_by("open_needs", F("average_rating").desc(nulls_last=True), "name")
    )


def catalogue() -> list[tuple[str, list[ServiceType]]]:
    """The active service types grouped by category, in the categories' order."""
    types = list(ServiceType.objects.filter(is_active=True).order_by("order", "code"))
    groups = []
    for value, label in ServiceType.Category.choices:
        members = [t for t in types if t.category == value]
        if members:
            groups.append((label, members))
    return groups


STEP_LABELS = {
    "need.filed": _("Filed"),
    "need.accepted": _("Accepted by the office"),
    "need.declined": _("Declined by the office"),
    "need.dispatched": _("Sent to a provider"),
    "need.started": _("Service started"),
    "need.visit_logged": _("Visit recorded"),
    "need.deliverable_added": _("Deliverable added"),
    "need.delivered": _("Delivered"),
    "need.fees_recorded": _("Fees recorded"),
    "need.rated": _("Rated and closed"),
    "need.closed": _("Closed without a rating"),
}


def timeline(need: Need) -> list[dict]:
    """The need's steps, oldest first, from its audit rows (the trail is the one record)."""
    rows = AuditEvent.objects.filter(
        object_type=Need._meta.label_lower, object_id=str(need.pk), event_type__startswith="need."
    ).order_by("created_at", "pk")
    return [
        {
            "at": row.created_at,
            "label": STEP_LABELS.get(row.event_type, row.event_type),
            "actor": row.actor_label,
            "reason": (row.detail or {}).get("reason", ""),
        }
        for row in rows.only("created_at", "event_type", "actor_label", "detail")
    ]


STEWARD_PANEL_ROWS = 20


def steward_overview(user) -> dict | None:
    """A quality steward's home: their enterprises' open needs, overdue steps first (None for
    someone who stewards no enterprise)."""
    if not getattr(user, "is_authenticated", False):
        return None
    enterprises = user.stewarded_enterprises.count()
    if not enterprises:
        return None
    today = _today()
    open_needs = Need.objects.filter(enterprise__steward=user, status__in=Need.OPEN_STATUSES)
    counts = open_needs.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=overdue_q(today)),
        due_soon=Count("pk", filter=due_soon_q(today)),
    )
    rows = list(
        _list_related(open_needs)
        .annotate(late=Count("pk", filter=overdue_q(today)))
        .order_by("-late", "respond_by", "complete_by", "pk")[:STEWARD_PANEL_ROWS]
    )
    return {"enterprises": enterprises, "needs": rows, **counts}
