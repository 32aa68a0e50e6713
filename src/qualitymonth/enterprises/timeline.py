"""One enterprise's history on its page: what each part of the app contributes, as entries in one
list, newest first. Each topic's selectors provide `timeline_entries(enterprise)`; the page
merges them. Entries carry what the office and the steward may see, nothing about other people."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    when: dt.datetime | dt.date
    kind: str  # translated label of the kind: "Service need", "Training", "Self-assessment" …
    title: str
    status: str = ""  # translated state, if any
    url: str = ""  # where the office reads more (empty: nowhere)


def _sort_key(entry: Entry) -> dt.datetime:
    when = entry.when
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time.max, tzinfo=dt.UTC)
    return when


def merged(*parts: list[Entry], limit: int = 100) -> list[Entry]:
    entries = [entry for part in parts for entry in part]
    entries.sort(key=_sort_key, reverse=True)
    return entries[:limit]


def _complaint_entries(enterprise, *, link: bool) -> list[Entry]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from qualitymonth.enterprises.selectors import complaints_naming

    entries = []
    for complaint in complaints_naming(enterprise):
        how = _("by its code") if complaint.respondent_uscc == enterprise.uscc else _("by its name")
        entries.append(
            Entry(
                when=complaint.received_at,
                kind=_("Complaint"),
                title=f"{complaint.tracking_number} · {complaint.get_nature_display()} ({how})",
                status=str(complaint.get_status_display()),
                url=reverse("office_complaints:case", args=[complaint.tracking_number])
                if link
                else "",
            )
        )
    return entries


def _need_entries(enterprise) -> list[Entry]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from qualitymonth.enterprises.models import Visit
    from qualitymonth.enterprises.selectors import needs_of

    needs = needs_of(enterprise)
    entries = []
    for need in needs:
        url = reverse("needs_office:detail", args=[need.number])
        entries.append(
            Entry(
                when=need.submitted_at,
                kind=_("Service need"),
                title=f"{need.number} · {need.service_type.localized_name}",
                status=str(need.get_status_display()),
                url=url,
            )
        )
    visits = Visit.objects.filter(need__in=needs).select_related("need")
    for visit in visits:
        entries.append(
            Entry(
                when=visit.visited_on,
                kind=_("Visit"),
                title=_("%(number)s: %(found)s problems found, %(solved)s solved")
                % {
                    "number": visit.need.number,
                    "found": visit.problems_found,
                    "solved": visit.problems_solved,
                },
                url=reverse("needs_office:detail", args=[visit.need.number]),
            )
        )
    return entries


def for_enterprise(enterprise, *, link_complaints: bool) -> list[Entry]:
    """The enterprise's whole history for its page: complaints naming it, its needs and their
    visits, and what each later topic contributes (programmes, trainings, CQOs, self-assessments)."""
    parts = [_complaint_entries(enterprise, link=link_complaints), _need_entries(enterprise)]
    for source in _topic_sources():
        parts.append(source(enterprise))
    return merged(*parts)


# Apps above this one (supervision) add theirs when they are ready: this module imports none.
_registered: list = []


def register_source(source) -> None:
    """Add `source(enterprise) -> list[Entry]` to every enterprise's timeline (once)."""
    if source not in _registered:
        _registered.append(source)


def _topic_sources() -> list:
    from qualitymonth.campaigns import participation_selectors
    from qualitymonth.enterprises import (
        excellence_selectors,
        programme_selectors,
        training_selectors,
    )

    return [
        programme_selectors.timeline_entries,
        training_selectors.timeline_entries,
        excellence_selectors.timeline_entries,
        participation_selectors.timeline_entries,
        *_registered,
    ]
