"""Readable numbers for tasks, inspections, samples and cases: a prefix, the year and a
sequence (e.g. J2026-00042). Two writers racing for the same number meet the unique
constraint; the loser's transaction fails and nothing is half-written."""

from django.db import models


def next_number(model: type[models.Model], prefix: str, year: int, *, field: str = "number") -> str:
    start = f"{prefix}{year}-"
    last = (
        model.objects.filter(**{f"{field}__startswith": start})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    tail = last[len(start) :] if last else ""
    sequence = int(tail) + 1 if tail.isdigit() else 1
    return f"{start}{sequence:05d}"
