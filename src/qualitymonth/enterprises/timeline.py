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
