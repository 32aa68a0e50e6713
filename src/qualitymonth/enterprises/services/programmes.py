"""Campaign programmes (计量服务中小企业行, 工业企业质量诊断帮扶行动, 质量专家企业行 …): the office
turns a campaign activity into a programme, builds its target list from filters over the
registry, and plans visits. A planned visit is a need the office files for a target enterprise
(`Need.programme`, `wished_from` = the planned day) and accepts at once, so it runs through the
one-stop flow (dispatch, visits, delivery with fees, rating) and its clocks."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.campaigns.models import Activity
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import field_error
from qualitymonth.enterprises.models import (
    Enterprise,
    Industry,
    Need,
    Programme,
    ProgrammeTarget,
    ServiceType,
)
from qualitymonth.enterprises.programme_permissions import ProgrammeAction
from qualitymonth.enterprises.services import needs as need_services

GOAL_MAX = 100_000
COMPLAINTS_MAX = 999
# One build adds at most this many targets: a filter that matches more is too wide to visit.
BUILD_MAX = 2_000
# One planning step files at most this many needs (one transaction, one page of targets).
PLAN_MAX = 200
FLAG_FILTERS = ("is_sme", "is_key_industry", "is_specialised")
FILTER_KEYS = ("district", "industry", "size", *FLAG_FILTERS, "min_complaints", "min_problems")


def _audit(programme: Programme, actor, event: str, **detail) -> None:
    audit_record(actor=actor, event_type=f"programme.{event}", target=programme, **detail)


# --- creating ------------------------------------------------------------------------------------
@transaction.atomic
def programme_create(
    *, activity: Activity | None, service_type: ServiceType | None, goal_enterprises, acting_user
) -> Programme:
    """The office makes a programme of one of its campaign's activities (one per activity)."""
    if activity is None:
        policy.require(acting_user, ProgrammeAction.MANAGE, None)
        raise field_error("activity", _("Choose an activity of the campaign."), "required")
    policy.require(acting_user, ProgrammeAction.MANAGE, activity)
    errors: dict[str, list] = {}
    if activity.status == Activity.Status.CANCELLED:
        errors["activity"] = [ValidationError(_("The activity was cancelled."), "invalid")]
    elif Programme.objects.filter(activity=activity).exists():
        errors["activity"] = [
            ValidationError(_("This activity already has a programme."), "duplicate")
        ]
    if service_type is None or not service_type.is_active:
        errors["service_type"] = [
            ValidationError(_("Choose a service from the catalogue."), "required")
        ]
    try:
        goal = int(goal_enterprises or 0)
    except (TypeError, ValueError):
        goal = -1
    if not 0 <= goal <= GOAL_MAX:
        errors["goal_enterprises"] = [
            ValidationError(_("Give a number from 0 to %(n)s.") % {"n": GOAL_MAX}, "invalid")
        ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                activity=activity,
                region=activity.campaign.region,
                service_type=service_type,
                goal_enterprises=goal,
                created_by=acting_user,
            )
    except IntegrityError:  # the same activity, created at the same moment
        raise field_error(
            "activity", _("This activity already has a programme."), "duplicate"
        ) from None
    _audit(
        programme,
        acting_user,
        "created",
        activity=activity.pk,
        service_type=service_type.code,
        goal_enterprises=goal,
    )
    return programme


# --- the target list -----------------------------------------------------------------------------
def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return bool(value)


def clean_target_filters(region: Region, raw: dict | None) -> dict:
    """The filters as stored in `target_filter`: codes and plain values (JSON), each checked;
    empty ones left out. A district must be one of the region's, an industry a GB/T 4754
    section letter or division code."""
    raw = raw or {}
    unknown = set(raw) - set(FILTER_KEYS)
    errors: dict[str, list] = {}
    for key in sorted(unknown):
        errors[key] = [ValidationError(_("Unknown filter."), "invalid")]
    cleaned: dict = {}
    district = str(raw.get("district") or "").strip()
    if district:
        found = Region.objects.filter(
            code=district, level=Region.Level.DISTRICT, parent__in=_region_and_below(region)
        ).exists()
        if found:
            cleaned["district"] = district
        else:
            errors["district"] = [ValidationError(_("No such district in the city."), "invalid")]
    industry = str(raw.get("industry") or "").strip().upper()
    if industry:
        if Industry.objects.filter(code=industry).exists():
            cleaned["industry"] = industry
        else:
            errors["industry"] = [
                ValidationError(
                    _("Give a section letter (e.g. C) or a division code (e.g. 34)."), "invalid"
                )
            ]
    size = str(raw.get("size") or "").strip()
    if size:
        if size in Enterprise.Size.values:
            cleaned["size"] = size
        else:
            errors["size"] = [ValidationError(_("Choose a size from the list."), "invalid")]
    for flag in FLAG_FILTERS:
        if _flag(raw.get(flag)):
            cleaned[flag] = True
    # Complaints alone, or every quality problem (complaints, failed inspections and spot
    # checks, cases: enterprises.problems).
    for key in ("min_complaints", "min_problems"):
        minimum = raw.get(key)
        if minimum in (None, ""):
            continue
        try:
            number = int(minimum)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= COMPLAINTS_MAX:
            errors[key] = [
                ValidationError(
                    _("Give a number from 0 to %(n)s.") % {"n": COMPLAINTS_MAX}, "invalid"
                )
            ]
        elif number:
            cleaned[key] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def _region_and_below(region: Region):
    from django.db.models import Q

    return Region.objects.filter(Q(pk=region.pk) | Q(parent=region) | Q(parent__parent=region))


def _lock(programme: Programme) -> Programme:
    return (
        Programme.objects.select_for_update(of=("self",))
        .select_related("activity__campaign", "region", "service_type")
        .get(pk=programme.pk)
    )


@transaction.atomic
def programme_targets_build(*, programme: Programme, filters: dict | None, acting_user) -> int:
    """Adds the region's enterprises matching the filters to the target list (those already on
    it stay); the filters are kept as the programme's `target_filter`. Returns how many were
    added."""
    from qualitymonth.enterprises.programme_selectors import target_candidates

    programme = _lock(programme)
    policy.require(acting_user, ProgrammeAction.MANAGE, programme)
    cleaned = clean_target_filters(programme.region, filters)
    if not cleaned:
        raise ValidationError(
            _("Choose at least one filter: a whole city is not a target list."), code="required"
        )
    new_ids = list(
        target_candidates(programme.region, cleaned)
        .exclude(programme_targets__programme=programme)
        .values_list("pk", flat=True)[: BUILD_MAX + 1]
    )
    if len(new_ids) > BUILD_MAX:
        raise ValidationError(
            _("More than %(n)s enterprises match: narrow the filters.") % {"n": BUILD_MAX},
            code="too_many",
        )
    ProgrammeTarget.objects.bulk_create(
        [
            ProgrammeTarget(programme=programme, enterprise_id=pk, added_by=acting_user)
            for pk in new_ids
        ],
        ignore_conflicts=True,
    )
    programme.target_filter = cleaned
    programme.save(update_fields=["target_filter"])
    _audit(programme, acting_user, "targets_built", filters=cleaned, added=len(new_ids))
    return len(new_ids)


@transaction.atomic
def programme_target_remove(*, target: ProgrammeTarget, acting_user) -> None:
    """Takes an enterprise off the target list; needs already filed for it stay as they are."""
    programme = _lock(target.programme)
    policy.require(acting_user, ProgrammeAction.MANAGE, programme)
    removed = ProgrammeTarget.objects.filter(pk=target.pk, programme=programme).delete()[0]
    if not removed:
        raise ValidationError(_("The enterprise is no longer on the list."), code="invalid")
    _audit(programme, acting_user, "target_removed", enterprise=target.enterprise_id)


# --- planned visits ------------------------------------------------------------------------------
def _file(*, programme: Programme, enterprise: Enterprise, planned_on: dt.date, acting_user):
    """A need the office files for a target, as when it takes a need by phone."""
    description = _("Planned visit of the programme “%(title)s” on %(day)s.") % {
        "title": programme.activity.title,
        "day": f"{planned_on:%Y-%m-%d}",
    }
    return need_services.need_file(
        enterprise=enterprise,
        service_type=programme.service_type,
        description=description,
        wished_from=planned_on,
        programme=programme,
        acting_user=acting_user,
    )


def _as_ids(items) -> list[int]:
    ids = []
    for item in items or []:
        value = getattr(item, "enterprise_id", None) if isinstance(item, ProgrammeTarget) else item
        value = getattr(value, "pk", value)
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise field_error("enterprises", _("Choose enterprises of the list.")) from None
    return list(dict.fromkeys(ids))


@transaction.atomic
def programme_visits_plan(
    *, programme: Programme, enterprises, planned_on, acting_user
) -> list[Need]:
    """Files and accepts one need per chosen target enterprise (or ProgrammeTarget) for a visit
    on `planned_on`. A target with a visit of this programme still open gets no second one.
    Returns the needs filed."""
    programme = _lock(programme)
    policy.require(acting_user, ProgrammeAction.MANAGE, programme)
    errors: dict[str, list] = {}
    ids = []
    try:
        ids = _as_ids(enterprises)
    except ValidationError as error:
        errors.update(error.error_dict)
    if not ids and not errors:
        errors["enterprises"] = [ValidationError(_("Choose at least one enterprise."), "required")]
    elif len(ids) > PLAN_MAX:
        errors["enterprises"] = [
            ValidationError(_("At most %(n)s enterprises at a time.") % {"n": PLAN_MAX}, "invalid")
        ]
    if not isinstance(planned_on, dt.date):
        errors["planned_on"] = [ValidationError(_("Give the day of the visit."), "required")]
    elif planned_on < timezone.localdate():
        errors["planned_on"] = [ValidationError(_("The day has passed."), "past")]
    if errors:
        raise ValidationError(errors)
    targets = {
        t.enterprise_id: t.enterprise
        for t in programme.targets.filter(enterprise_id__in=ids).select_related(
            "enterprise__region"
        )
    }
    if len(targets) != len(ids):
        raise field_error("enterprises", _("Choose enterprises of the target list."))
    if not programme.service_type.is_active:
        raise field_error(
            "service_type", _("The programme's service is no longer offered."), "invalid"
        )
    busy = set(
        programme.needs.filter(enterprise_id__in=ids, status__in=Need.OPEN_STATUSES).values_list(
            "enterprise_id", flat=True
        )
    )
    filed = []
    for pk in ids:
        if pk in busy:
            continue
        need = _file(
            programme=programme,
            enterprise=targets[pk],
            planned_on=planned_on,
            acting_user=acting_user,
        )
        filed.append(need_services.need_accept(need=need, acting_user=acting_user))
    _audit(
        programme,
        acting_user,
        "visits_planned",
        planned_on=planned_on,
        needs=[n.number for n in filed],
        skipped=sorted(busy),
    )
    return filed


# --- export --------------------------------------------------------------------------------------
def targets_workbook(*, programme: Programme, acting_user) -> bytes:
    """The target list as Excel (no contact person: the list is for planning), audited."""
    from qualitymonth.core.spreadsheets import SpreadsheetWriter
    from qualitymonth.enterprises.programme_selectors import programme_targets

    policy.require(acting_user, ProgrammeAction.VIEW, programme)
    book = SpreadsheetWriter()
    sheet = book.add_sheet(_("Targets"), widths=(22, 40, 12, 30, 10, 8, 8, 8, 10, 10))
    sheet.append(
        [
            _("Unified social credit code"),
            _("Name"),
            _("District"),
            _("Industry"),
            _("Size"),
            _("SME"),
            _("Key industry"),
            _("专精特新"),
            _("Complaints"),
            _("Visited"),
        ],
        bold=True,
    )
    rows = 0
    for target in programme_targets(programme).iterator(chunk_size=500):
        enterprise = target.enterprise
        sheet.append(
            [
                enterprise.uscc,
                enterprise.name,
                enterprise.district.localized_name if enterprise.district_id else "",
                str(enterprise.industry) if enterprise.industry_id else "",
                enterprise.get_size_display(),
                _("yes") if enterprise.is_sme else "",
                _("yes") if enterprise.is_key_industry else "",
                _("yes") if enterprise.is_specialised else "",
                target.complaints or 0,
                _("yes") if target.reached else "",
            ]
        )
        rows += 1
    audit_record(
        actor=acting_user, event_type="programme.targets_exported", target=programme, rows=rows
    )
    return book.to_bytes()
