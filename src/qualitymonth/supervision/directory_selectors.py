"""Reads of the supervision directories: the cities a person works in, the subjects, inspectors,
declared links, check items and product categories of a city, and the hub's counts.

A directory belongs to a city. The office of the city (or of its province) keeps it; the work
roles of a unit in the city, in one of its districts or above it read it."""

from django.db.models import Count, Q, QuerySet

from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import client_int
from qualitymonth.supervision.models import (
    CheckItem,
    ConflictLink,
    Inspector,
    ProductCategory,
    Subject,
    SubjectKind,
)
from qualitymonth.supervision.permissions import SUPERVISING_KINDS, WORK_ROLES, SupervisionAction

SEARCH_MAX = 60


# --- the city ------------------------------------------------------------------------------------
def _cities_of(region: Region) -> set[int]:
    if region.level == Region.Level.CITY:
        return {region.pk}
    if region.level == Region.Level.DISTRICT:
        return {region.parent_id} if region.parent_id else set()
    return set(
        Region.objects.filter(parent=region, level=Region.Level.CITY).values_list("pk", flat=True)
    )


def cities_for(user) -> QuerySet[Region]:
    """The cities whose directories the user may read: the office's, and those of the units
    where the user has a work role."""
    cities = Region.objects.filter(level=Region.Level.CITY).order_by("code")
    if getattr(user, "is_superuser", False):
        return cities
    ids: set[int] = set()
    for membership in policy.memberships(user):
        office = membership.role == membership.Role.CAMPAIGN_OFFICE
        if office or (membership.role in WORK_ROLES and membership.unit.kind in SUPERVISING_KINDS):
            ids |= _cities_of(membership.unit.region)
    return cities.filter(pk__in=ids)


def managed_cities(user) -> QuerySet[Region]:
    """The cities whose directories the user keeps (the office's)."""
    return Region.objects.filter(
        pk__in=[c.pk for c in cities_for(user) if policy.can(user, SupervisionAction.DIRECTORY, c)]
    ).order_by("code")


def current_city(user, code=None) -> Region | None:
    """The city the pages show: the one asked for (`?city=`) if the user may read it, else the
    first one; None when the user reads no city's directories."""
    cities = cities_for(user)
    if code:
        found = cities.filter(code=str(code)[:12]).first()
        if found is not None:
            return found
    return cities.first()


def districts_of(city: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent=city, level=Region.Level.DISTRICT).order_by("code")


# --- subjects ------------------------------------------------------------------------------------
def subjects(city: Region, *, filters: dict | None = None) -> QuerySet[Subject]:
    """The city's subjects, searched by name or by a licence / registration code, and filtered
    by kind, district, risk grade and whether they are active."""
    filters = filters or {}
    qs = Subject.objects.filter(region=city).select_related(
        "district", "enterprise", "canteen", "elevator", "supervising_unit"
    )
    query = str(filters.get("q") or "").strip()[:SEARCH_MAX]
    if query:
        code = query.upper()
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(address__icontains=query)
            | Q(canteen__school__icontains=query)
            | Q(canteen__licence_number__istartswith=code)
            | Q(elevator__registration_code__istartswith=code)
            | Q(elevator__building__icontains=query)
            | Q(enterprise__uscc__istartswith=code)
        )
    if filters.get("kind") in SubjectKind.values:
        qs = qs.filter(kind=filters["kind"])
    district = filters.get("district")
    if district:
        qs = qs.filter(district__code=str(district)[:12])
    if filters.get("risk_grade"):
        qs = qs.filter(risk_grade=str(filters["risk_grade"])[:1])
    active = filters.get("active")
    if active in ("yes", True):
        qs = qs.filter(is_active=True)
    elif active in ("no", False):
        qs = qs.filter(is_active=False)
    return qs.order_by("name", "pk")


def subject_for(user, pk) -> Subject | None:
    """One subject, if the user may read its city's directory (else None: "not found")."""
    pk = client_int(pk, low=1)
    if pk is None:
        return None
    found = (
        Subject.objects.select_related(
            "region__parent", "district", "enterprise", "canteen", "elevator", "supervising_unit"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not policy.can(user, SupervisionAction.VIEW, found.region):
        return None
    return found


def subject_by_code(city: Region, text) -> Subject | None:
    """A subject of the city named by its number in the directory, its licence number, its
    registration code or its enterprise's unified social credit code."""
    text = str(text or "").strip().upper().lstrip("#")[:30]
    if not text:
        return None
    qs = Subject.objects.filter(region=city)
    if text.isascii() and text.isdigit() and len(text) <= 12:
        found = qs.filter(pk=int(text)).first()
        if found is not None:
            return found
    return qs.filter(
        Q(canteen__licence_number=text)
        | Q(elevator__registration_code=text)
        | Q(kind=SubjectKind.ENTERPRISE, enterprise__uscc=text)
    ).first()


def subject_links(subject: Subject) -> QuerySet[ConflictLink]:
    return subject.links.select_related("inspector__unit").order_by("declared_at", "pk")


def enterprise_choices(city: Region, *, query: str = ""):
    """The registry's enterprises of the city (for the subject form's picker)."""
    from qualitymonth.enterprises.models import Enterprise

    qs = Enterprise.objects.filter(
        Q(region=city) | Q(region__parent=city) | Q(district__parent=city)
    ).order_by("name", "pk")
    query = (query or "").strip()[:SEARCH_MAX]
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(uscc__istartswith=query.upper()))
    return qs


# --- inspectors ----------------------------------------------------------------------------------
def _in_city(city: Region) -> Q:
    return Q(unit__region=city) | Q(unit__region__parent=city)


def inspectors(city: Region, *, filters: dict | None = None) -> QuerySet[Inspector]:
    """The inspectors of the units of the city and of its districts."""
    filters = filters or {}
    qs = (
        Inspector.objects.filter(_in_city(city))
        .select_related("unit", "user")
        .prefetch_related("districts")
        .annotate(link_count=Count("links", distinct=True))
    )
    query = str(filters.get("q") or "").strip()[:SEARCH_MAX]
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(certificate_number__istartswith=query)
            | Q(user__username__iexact=query)
        )
    unit = client_int(filters.get("unit"), low=1)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if filters.get("kind") in SubjectKind.values:
        # JSON containment is not on SQLite: the kinds are few, so a text match is enough.
        qs = qs.filter(kinds__icontains=f'"{filters["kind"]}"')
    if filters.get("district"):
        qs = qs.filter(districts__code=str(filters["district"])[:12])
    active = filters.get("active")
    if active in ("yes", True):
        qs = qs.filter(is_active=True)
    elif active in ("no", False):
        qs = qs.filter(is_active=False)
    return qs.order_by("unit__name", "name", "pk").distinct()


def inspector_for(user, pk) -> Inspector | None:
    pk = client_int(pk, low=1)
    if pk is None:
        return None
    found = (
        Inspector.objects.select_related("unit__region__parent", "user")
        .prefetch_related("districts")
        .filter(pk=pk)
        .first()
    )
    if found is None or not policy.can(user, SupervisionAction.VIEW, found.unit.region):
        return None
    return found


def inspector_links(inspector: Inspector) -> QuerySet[ConflictLink]:
    return inspector.links.select_related("subject__district").order_by("declared_at", "pk")


def link_for(inspector: Inspector, pk) -> ConflictLink | None:
    pk = client_int(pk, low=1)
    if pk is None:
        return None
    return inspector.links.select_related("subject").filter(pk=pk).first()


def unit_choices(city: Region):
    """The market-supervision units of the city and its districts (inspectors belong to one)."""
    from qualitymonth.core.models import Unit

    return Unit.objects.filter(Q(region=city) | Q(region__parent=city), is_active=True).order_by(
        "name"
    )


# --- check items and product categories ----------------------------------------------------------
def check_items(city: Region, *, filters: dict | None = None) -> QuerySet[CheckItem]:
    filters = filters or {}
    qs = CheckItem.objects.filter(region=city)
    query = str(filters.get("q") or "").strip()[:SEARCH_MAX]
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(code__istartswith=query))
    if filters.get("subject_kind") in SubjectKind.values:
        qs = qs.filter(subject_kind=filters["subject_kind"])
    if filters.get("kind") in CheckItem.Kind.values:
        qs = qs.filter(kind=filters["kind"])
    active = filters.get("active")
    if active in ("yes", True):
        qs = qs.filter(is_active=True)
    elif active in ("no", False):
        qs = qs.filter(is_active=False)
    return qs.order_by("subject_kind", "code", "pk")


def check_item_for(user, pk) -> CheckItem | None:
    pk = client_int(pk, low=1)
    if pk is None:
        return None
    found = CheckItem.objects.select_related("region__parent").filter(pk=pk).first()
    if found is None or not policy.can(user, SupervisionAction.VIEW, found.region):
        return None
    return found


def categories(city: Region, *, query: str = "") -> QuerySet[ProductCategory]:
    qs = ProductCategory.objects.filter(region=city)
    query = (query or "").strip()[:SEARCH_MAX]
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(name_en__icontains=query) | Q(code__istartswith=query)
        )
    return qs.order_by("code", "pk")


def category_for(user, pk) -> ProductCategory | None:
    pk = client_int(pk, low=1)
    if pk is None:
        return None
    found = ProductCategory.objects.select_related("region__parent").filter(pk=pk).first()
    if found is None or not policy.can(user, SupervisionAction.VIEW, found.region):
        return None
    return found


# --- the hub -------------------------------------------------------------------------------------
def hub_counts(city: Region) -> dict:
    """The figures of the supervision hub, a query or two per list."""
    from django.utils import timezone

    from qualitymonth.supervision import models as m

    by_kind = dict(
        Subject.objects.filter(region=city, is_active=True)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    today = timezone.localdate()
    hazards = m.Hazard.objects.filter(subject__region=city)
    return {
        "subjects": sum(by_kind.values()),
        "enterprises": by_kind.get(SubjectKind.ENTERPRISE, 0),
        "canteens": by_kind.get(SubjectKind.CANTEEN, 0),
        "elevators": by_kind.get(SubjectKind.ELEVATOR, 0),
        "inspectors": Inspector.objects.filter(_in_city(city), is_active=True).count(),
        "check_items": CheckItem.objects.filter(region=city, is_active=True).count(),
        "categories": ProductCategory.objects.filter(region=city, is_active=True).count(),
        "plans": m.Plan.objects.filter(region=city).count(),
        "tasks": m.Task.objects.filter(plan__region=city).count(),
        "overdue_results": m.DrawnSubject.objects.filter(
            task__plan__region=city, publish_due__lt=today, published_at__isnull=True
        ).count(),
        "inspections": m.Inspection.objects.filter(subject__region=city).count(),
        "hazards_open": hazards.filter(
            status__in=[m.Hazard.Status.OPEN, m.Hazard.Status.ANSWERED]
        ).count(),
        "hazards_overdue": hazards.filter(status=m.Hazard.Status.OPEN, deadline__lt=today).count(),
        "spot_check_plans": m.SpotCheckPlan.objects.filter(region=city).count(),
        "cases": m.Case.objects.filter(region=city).count(),
        "typical_cases": m.TypicalCase.objects.filter(case__region=city).count(),
    }
