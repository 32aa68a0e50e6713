""" "Enterprises with many quality problems": how many complaints name an enterprise and, from the
apps above this one when they are ready (supervision), its failed inspections, failed spot
checks and enforcement cases. Each source gives a correlated count over Enterprise rows, so a
list of any length filters and shows the total in one query; this module imports no app above it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, IntegerField, Value

from qualitymonth.enterprises.models import Enterprise


@dataclass(frozen=True)
class Source:
    name: str
    label: Callable[[], str]  # translated when shown
    count: Callable[[], Expression]  # a correlated count over Enterprise (OuterRef("pk") …)


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.name] = source


def sources() -> list[Source]:
    from django.utils.translation import gettext as _

    from qualitymonth.enterprises.programme_selectors import complaint_count

    complaints = Source("complaints", lambda: _("Complaints naming it"), complaint_count)
    return [complaints, *_sources.values()]


def problems_count() -> Expression:
    """Every source's count added up, as one expression."""
    total: Expression = Value(0, output_field=IntegerField())
    for source in sources():
        total = total + source.count()
    return total


def breakdown(enterprise: Enterprise) -> list[tuple[str, str, int]]:
    """(name, label, count) of each source that has any, for the enterprise's page (one query)."""
    found = sources()
    row = (
        Enterprise.objects.filter(pk=enterprise.pk)
        .annotate(**{f"n_{s.name}": s.count() for s in found})
        .values(*[f"n_{s.name}" for s in found])
        .first()
        or {}
    )
    return [(s.name, s.label(), row[f"n_{s.name}"]) for s in found if row.get(f"n_{s.name}")]
