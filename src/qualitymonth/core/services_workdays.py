"""The office's corrections to the holiday calendar that every statutory deadline counts.

Each write is audited in its own transaction; every process reloads the overrides after commit
(the signal `CoreConfig.ready` connects), so a deadline computed a second later already counts
the new day.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import WorkdayOverride
from qualitymonth.core.permissions import Action, policy

# A typo such as 0205 for 2025 would silently shift no deadline anyone meets: refuse it.
FIRST_YEAR, LAST_YEAR = 2000, 2100
NAME_MAX = WorkdayOverride._meta.get_field("name").max_length


def _clean(*, date: dt.date, name: str, exclude_pk: int | None = None) -> str:
    errors = {}
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        errors["date"] = _("Choose a date between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    elif WorkdayOverride.objects.filter(date=date).exclude(pk=exclude_pk).exists():
        errors["date"] = _("%(date)s already has an override: change that one instead.") % {
            "date": date.isoformat()
        }
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Say why, e.g. 国庆节 or 调休上班.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Keep the reason under %(n)s characters.") % {"n": NAME_MAX}
    if errors:
        raise ValidationError(errors)
    return name


def _save(override: WorkdayOverride) -> None:
    # The check above can lose a race with a second click; the unique index still holds.
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError:
        raise ValidationError(
            {"date": _("%(date)s already has an override.") % {"date": override.date.isoformat()}}
        ) from None


@transaction.atomic
def workday_override_create(
    *, acting_user, date: dt.date, is_workday: bool, name: str
) -> WorkdayOverride:
    policy.require(acting_user, Action.WORKDAYS_MANAGE)
    name = _clean(date=date, name=name)
    override = WorkdayOverride(date=date, is_workday=is_workday, name=name)
    _save(override)
    audit_record(
        actor=acting_user,
        event_type="workday_override.created",
        target=override,
        date=date.isoformat(),
        is_workday=is_workday,
    )
    return override


@transaction.atomic
def workday_override_update(
    *, override: WorkdayOverride, acting_user, date: dt.date, is_workday: bool, name: str
) -> WorkdayOverride:
    policy.require(acting_user, Action.WORKDAYS_MANAGE)
    name = _clean(date=date, name=name, exclude_pk=override.pk)
    before = {"date": override.date.isoformat(), "is_workday": override.is_workday}
    override.date, override.is_workday, override.name = date, is_workday, name
    _save(override)
    audit_record(
        actor=acting_user,
        event_type="workday_override.changed",
        target=override,
        before=before,
        after={"date": date.isoformat(), "is_workday": is_workday},
    )
    return override


@transaction.atomic
def workday_override_delete(*, override: WorkdayOverride, acting_user) -> None:
    policy.require(acting_user, Action.WORKDAYS_MANAGE)
    # Log before deleting, while the object still exists.
    audit_record(
        actor=acting_user,
        event_type="workday_override.deleted",
        target=override,
        date=override.date.isoformat(),
        is_workday=override.is_workday,
    )
    override.delete()
