"""Writing the audit trail. Call `audit_record` inside the service's transaction.

Every row passes through `_masked` here, so the trail holds masked mobile numbers only: the
text of an object (a quiz attempt named after its participant's number, a vote's voter) and
the labels services pass in are read by everyone who may read the trail, not only by those
who may see the person's number.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.db import models

from qualitymonth.core.models import AuditEvent

# A mainland mobile however it was written: 13800138000, 138-0013-8000, +86 138 0013 8000.
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")


def mask_mobiles(text: str) -> str:
    """'张三 13800138000' -> '张三 138****8000'."""
    return _MOBILE_RE.sub(r"\1****\2", text or "")


def audit_record(
    *,
    actor,
    event_type: str,
    target: models.Model | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    actor_label: str = "",
    **detail: Any,
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=user,
        actor_label=actor_label or (user.get_username() if user else ""),
        event_type=event_type,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target) if target is not None else "",
        outcome=outcome,
        detail={key: _jsonable(value) for key, value in detail.items()},
    )
    _masked(event).save(force_insert=True)
    return event


def audit_bulk(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Insert many rows at once (the quiz's burst path), masked like every other row."""
    return AuditEvent.objects.bulk_create([_masked(event) for event in events])


def _masked(event: AuditEvent) -> AuditEvent:
    event.actor_label = mask_mobiles(event.actor_label)[:150]
    # Mask before cutting, so a number split by the cut cannot slip through half-shown.
    event.object_repr = mask_mobiles(event.object_repr)[:200]
    event.detail = _masked_detail(event.detail)
    return event


def _masked_detail(value: Any) -> Any:
    if isinstance(value, str):
        return mask_mobiles(value)
    if isinstance(value, list):
        return [_masked_detail(item) for item in value]
    if isinstance(value, dict):
        return {key: _masked_detail(item) for key, item in value.items()}
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
