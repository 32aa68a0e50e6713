"""Reads of the one-stop service catalogue: the office's lists, the public page and the public
results."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    When,
)

from qualitymonth.campaigns.selectors import search_terms
from qualitymonth.enterprises.models import Need, Provider, ServiceType
from qualitymonth.enterprises.selectors import office_region_ids

RESULTS_CACHE_KEY = "services:public-results:v1"
# A few minutes: the figures move slowly and the page is public, so a burst of visitors costs
# one set of aggregate queries, not one per visitor.
RESULTS_CACHE_SECONDS = 300
NAMED_LIMIT = 60
CENT = Decimal("0.01")


@dataclass
class Category:
    value: str
    label: str
    service_types: list = field(default_factory=list)


def providers_for_office(user) -> QuerySet[Provider]:
    """The providers of the regions whose catalogue the user keeps (every one for a superuser)."""
    if getattr(user, "is_superuser", False):
        return Provider.objects.all()
    return Provider.objects.filter(region_id__in=office_region_ids(user))


def office_providers(user, *, query: str = "", kind: str = "") -> QuerySet[Provider]:
    """The office's provider list: searchable by name and specialty, with each one's open load."""
    qs = providers_for_office(user).select_related("unit", "user")
    if kind in Provider.Kind.values:
        qs = qs.filter(kind=kind)
    for term in search_terms(query or ""):
        qs = qs.filter(Q(name__icontains=term) | Q(specialties__icontains=term))
    return qs.annotate(
        open_needs=Count("needs", filter=Q(needs__status__in=Need.OPEN_STATUSES)),
        service_count=Count("service_types", distinct=True),
    ).order_by("kind", "name")


def catalogue(*, public: bool) -> list[Category]:
    """Service types by category, in the catalogue's order, each with its providers.

    The public page shows active types and active providers only; the office sees everything,
    so it can switch a type or a provider back on."""
    providers = Provider.objects.order_by("kind", "name")
    types = ServiceType.objects.all()
    if public:
        providers = providers.filter(is_active=True)
        types = types.filter(is_active=True)
    types = types.prefetch_related(Prefetch("providers", queryset=providers))
    by_category = {value: Category(value, label) for value, label in ServiceType.Category.choices}
    for service_type in types:
        by_category[service_type.category].service_types.append(service_type)
    return [category for category in by_category.values() if category.service_types or not public]


# --- public results ----------------------------------------------------------------------------
_SAVED = ExpressionWrapper(
    F("fee_standard") - F("fee_charged"), output_field=DecimalField(max_digits=12, decimal_places=2)
)


def need_figures() -> dict:
    """The aggregate behind every row of the results: counts, on time, rating, money saved."""
    closed = Q(status=Need.Status.CLOSED)
    return {
        "received": Count("pk"),
        "served": Count("pk", filter=closed),
        "closed_with_limit": Count("pk", filter=closed & Q(complete_by__isnull=False)),
        "closed_on_time": Count(
            "pk",
            filter=closed & Q(complete_by__isnull=False, closed_at__date__lte=F("complete_by")),
        ),
        "average_rating": Avg("rating", filter=closed & Q(rating__isnull=False)),
        "rated": Count("rating", filter=closed),
        "saved": Sum(
            Case(
                When(
                    fee_standard__isnull=False,
                    fee_charged__isnull=False,
                    fee_standard__gt=F("fee_charged"),
                    then=_SAVED,
                ),
                default=Decimal("0"),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        ),
    }


def _row(values: dict) -> dict:
    with_limit = values["closed_with_limit"]
    return {
        "received": values["received"],
        "served": values["served"],
        "on_time_percent": round(100 * values["closed_on_time"] / with_limit)
        if with_limit
        else None,
        "rating": round(float(values["average_rating"]), 1)
        if values["average_rating"] is not None
        else None,
        "ratings": values["rated"],
        # In yuan and fen whatever the database returns (SQLite drops the trailing zeros).
        "saved": str(Decimal(values["saved"] or 0).quantize(CENT)),
    }


def compute_public_results() -> dict:
    """Figures only, and the names of enterprises that agreed to be named: nothing about a
    person (no contact, no comment, no filer), and no enterprise that did not agree."""
    needs = Need.objects.exclude(status=Need.Status.DECLINED)
    total = _row(needs.aggregate(**need_figures()))
    rows = {
        values["service_type__category"]: _row(values)
        for values in needs.values("service_type__category").annotate(**need_figures()).order_by()
    }
    named = (
        needs.filter(status=Need.Status.CLOSED, public_consent=True)
        .values_list("enterprise__name", "service_type__name", "service_type__name_en")
        .order_by("enterprise__name", "service_type__order")
        .distinct()[:NAMED_LIMIT]
    )
    return {
        "total": total,
        "categories": rows,
        "named": [
            {"enterprise": name, "service": service, "service_en": service_en}
            for name, service, service_en in named
        ],
    }


def public_results() -> dict:
    """The results page's figures, from the cache when they are a few minutes old at most."""
    return cache.get_or_set(RESULTS_CACHE_KEY, compute_public_results, RESULTS_CACHE_SECONDS)
