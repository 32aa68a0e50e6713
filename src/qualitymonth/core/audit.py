"""Writing the audit trail. Call `audit_record` inside the service's transaction."""

from typing import Any

from django.db import models

from qualitymonth.core.models import AuditEvent


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
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor_label or (user.get_username() if user else ""),
        event_type=event_type,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        outcome=outcome,
        detail={key: _jsonable(value) for key, value in detail.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
