""" "双随机、一公开": yearly plans, their tasks, the verifiable draw of subjects and inspectors,
replacements, the results of drawn subjects and their publication.

A task's seed is fixed (and its digest shown) when the task is made; the draw snapshots the
population into `Task.population`, so `draw.replay` over it gives back the stored rows, however
the directories change later. The algorithm itself is in `supervision/draw.py`."""

import datetime as dt
import secrets
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.validators import clean_text, field_error
from qualitymonth.core.workdays import add_workdays
from qualitymonth.supervision import draw as algorithm
from qualitymonth.supervision.models import (
    Canteen,
    CheckItem,
    ConflictLink,
    DrawnInspector,
    DrawnSubject,
    Inspector,
    Plan,
    Result,
    RiskGrade,
    Subject,
    SubjectKind,
    Task,
)
from qualitymonth.supervision.numbers import next_number
from qualitymonth.supervision.permissions import SupervisionAction

YEAR_MIN, YEAR_MAX = 2000, 2100
PER_SUBJECT_MAX = 10
COUNT_MAX = 100_000
DEFAULT_PUBLICATION_WORKDAYS = 20
# Results whose publication falls due within this many working days are "due soon".
DUE_SOON_WORKDAYS = 5
FILTER_KEYS = ("districts", "industries", "risk_grades", "school_kinds")


def _audit(target, actor, event: str, **detail) -> None:
    audit_record(actor=actor, event_type=f"supervision.draw.{event}", target=target, **detail)


def _invalid(message, code: str = "invalid_transition") -> ValidationError:
    return ValidationError(message, code=code)


# --- plans ---------------------------------------------------------------------------------------
@transaction.atomic
def plan_create(*, region: Region, year, title: str, acting_user, campaign=None) -> Plan:
    """The office's yearly plan of random inspections for its city."""
    policy.require(acting_user, SupervisionAction.DRAW, region)
    errors: dict[str, list] = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = [
            ValidationError(
                _("Give a year from %(a)s to %(b)s.") % {"a": YEAR_MIN, "b": YEAR_MAX}, "invalid"
            )
        ]
    try:
        title = clean_text("title", title, limit=120)
    except ValidationError as error:
        errors.update(error.error_dict)
    if campaign is not None and campaign.region_id != region.pk:
        errors["campaign"] = [ValidationError(_("The campaign is of another city."), "invalid")]
    if not errors and Plan.objects.filter(region=region, year=year, title=title).exists():
        errors["title"] = [
            ValidationError(_("The city has a plan of this title for the year."), "duplicate")
        ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                region=region, year=year, title=title, campaign=campaign, created_by=acting_user
            )
    except IntegrityError:
        raise field_error(
            "title", _("The city has a plan of this title for the year."), "duplicate"
        ) from None
    _audit(plan, acting_user, "plan_created", year=year, title=title)
    return plan


# --- tasks ---------------------------------------------------------------------------------------
def share_cap(check_items) -> Decimal | None:
    """The highest share (%) the ordinary items allow; None when all are key items."""
    caps = [i.max_share for i in check_items if i.kind == CheckItem.Kind.ORDINARY and i.max_share]
    return min(caps) if caps else None


def subjects_matching(region: Region, subject_kind: str, subject_filter: dict):
    """The active subjects of the city a task draws from, in id order."""
    qs = Subject.objects.filter(
        region=region, kind=subject_kind, is_active=True, closed_on__isnull=True
    )
    subject_filter = subject_filter or {}
    if subject_filter.get("districts"):
        qs = qs.filter(district_id__in=subject_filter["districts"])
    if subject_filter.get("industries"):
        codes = subject_filter["industries"]
        qs = qs.filter(Q(industry__code__in=codes) | Q(industry__section__code__in=codes))
    if subject_filter.get("risk_grades"):
        qs = qs.filter(risk_grade__in=subject_filter["risk_grades"])
    if subject_filter.get("school_kinds") and subject_kind == SubjectKind.CANTEEN:
        qs = qs.filter(canteen__school_kind__in=subject_filter["school_kinds"])
    return qs.order_by("id")


def draw_size(task: Task, population: int) -> int:
    """How many subjects the task draws from a population of this size."""
    if population <= 0:
        return 0
    if task.count is not None:
        return min(task.count, population)
    n = int((Decimal(population) * task.share / 100).to_integral_value(ROUND_FLOOR))
    return max(n, 1)


def _district_ids(region: Region, districts) -> list[int]:
    allowed = set(
        Region.objects.filter(parent=region, level=Region.Level.DISTRICT).values_list(
            "pk", flat=True
        )
    )
    ids = []
    for district in districts or []:
        pk = district.pk if isinstance(district, Region) else district
        if pk not in allowed:
            raise field_error("districts", _("Choose districts of the plan's city."))
        if pk not in ids:
            ids.append(pk)
    return sorted(ids)


def _clean_filter(region, subject_kind, *, districts, industries, risk_grades, school_kinds):
    from qualitymonth.enterprises.models import Industry

    errors: dict[str, list] = {}
    found: dict = {}
    try:
        ids = _district_ids(region, districts)
        if ids:
            found["districts"] = ids
    except ValidationError as error:
        errors.update(error.error_dict)
    codes = sorted({str(c).strip().upper() for c in industries or [] if str(c).strip()})
    if codes:
        known = set(Industry.objects.filter(code__in=codes).values_list("code", flat=True))
        if known != set(codes):
            errors["industries"] = [
                ValidationError(
                    _("Give GB/T 4754 section letters (e.g. C) or division codes (e.g. 14)."),
                    "invalid",
                )
            ]
        found["industries"] = codes
    grades = sorted(set(risk_grades or []))
    if any(g not in RiskGrade.values for g in grades):
        errors["risk_grades"] = [ValidationError(_("Choose risk grades from the list."), "invalid")]
    elif grades:
        found["risk_grades"] = grades
    kinds = sorted(set(school_kinds or []))
    if kinds and subject_kind != SubjectKind.CANTEEN:
        errors["school_kinds"] = [
            ValidationError(_("Kinds of school only narrow a draw of canteens."), "invalid")
        ]
    elif any(k not in Canteen.SchoolKind.values for k in kinds):
        errors["school_kinds"] = [
            ValidationError(_("Choose kinds of school from the list."), "invalid")
        ]
    elif kinds:
        found["school_kinds"] = kinds
    return found, errors


def _number_field(value, field: str, *, low, high, decimal=False):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)) if decimal else int(value)
        if decimal and not number.is_finite():
            raise InvalidOperation
    except (TypeError, ValueError, InvalidOperation):
        raise field_error(field, _("Give a number.")) from None
    if not low <= number <= high:
        raise field_error(field, _("Give a number from %(a)s to %(b)s.") % {"a": low, "b": high})
    if decimal and number != number.quantize(Decimal("0.01")):
        raise field_error(field, _("At most two decimals."))
    return number


@transaction.atomic
def task_create(
    *,
    plan: Plan,
    title: str,
    unit: Unit | None,
    subject_kind: str,
    check_items: list[CheckItem],
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    acting_user,
    share=None,
    count=None,
    inspectors_per_subject=2,
    districts=(),
    industries=(),
    risk_grades=(),
    school_kinds=(),
) -> Task:
    """A task of the plan. Its seed is fixed now and its digest shown at once; the seed itself
    is revealed only after the draw."""
    policy.require(acting_user, SupervisionAction.DRAW, plan)
    region = plan.region
    errors: dict[str, list] = {}

    def collect(call):
        try:
            return call()
        except ValidationError as error:
            errors.update(error.error_dict)
            return None

    title = collect(lambda: clean_text("title", title, limit=120))
    if (
        unit is None
        or not unit.is_active
        or region.pk
        not in (
            unit.region_id,
            unit.region.parent_id,
        )
    ):
        errors["unit"] = [
            ValidationError(_("Choose an active unit of the plan's city."), "invalid")
        ]
    if subject_kind not in SubjectKind.values:
        errors["subject_kind"] = [ValidationError(_("Choose a kind of subject."), "invalid")]
    items = list(check_items or [])
    if not items:
        errors["check_items"] = [ValidationError(_("Choose at least one check item."), "required")]
    elif any(
        i.region_id != region.pk or not i.is_active or i.subject_kind != subject_kind for i in items
    ):
        errors["check_items"] = [
            ValidationError(
                _("Choose active check items of the city for this kind of subject."), "invalid"
            )
        ]
    share = collect(
        lambda: _number_field(share, "share", low=Decimal("0.01"), high=100, decimal=True)
    )
    count = collect(lambda: _number_field(count, "count", low=1, high=COUNT_MAX))
    per_subject = collect(
        lambda: _number_field(
            inspectors_per_subject, "inspectors_per_subject", low=2, high=PER_SUBJECT_MAX
        )
    )
    if per_subject is None and "inspectors_per_subject" not in errors:
        per_subject = 2
    if "share" not in errors and "count" not in errors and (share is None) == (count is None):
        errors["share"] = [
            ValidationError(_("Give either a share (%) or a number of subjects."), "required")
        ]
    if starts_on is None:
        errors["starts_on"] = [ValidationError(_("This field is required."), "required")]
    elif starts_on.year != plan.year:
        errors["starts_on"] = [
            ValidationError(
                _("Inspections start in the plan's year (%(y)s).") % {"y": plan.year}, "invalid"
            )
        ]
    if ends_on is None:
        errors["ends_on"] = [ValidationError(_("This field is required."), "required")]
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = [ValidationError(_("The end comes before the start."), "invalid")]
    subject_filter, filter_errors = _clean_filter(
        region,
        subject_kind,
        districts=districts,
        industries=industries,
        risk_grades=risk_grades,
        school_kinds=school_kinds,
    )
    errors.update(filter_errors)
    if not errors:
        cap = share_cap(items)
        if cap is not None and share is not None and share > cap:
            errors["share"] = [ValidationError(_cap_message(cap), "over_cap")]
        elif cap is not None and count is not None:
            population = subjects_matching(region, subject_kind, subject_filter).count()
            if population and Decimal(count) * 100 > cap * population:
                errors["count"] = [
                    ValidationError(
                        _cap_message(cap, count=count, population=population), "over_cap"
                    )
                ]
    if errors:
        raise ValidationError(errors)
    seed = secrets.token_hex(32)
    for attempt in range(5):
        try:
            with transaction.atomic():
                task = Task.objects.create(
                    plan=plan,
                    number=next_number(Task, "CC", plan.year),
                    title=title,
                    unit=unit,
                    subject_kind=subject_kind,
                    subject_filter=subject_filter,
                    share=share,
                    count=count,
                    inspectors_per_subject=per_subject,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    seed=seed,
                    seed_digest=Task.digest_of(seed),
                    created_by=acting_user,
                )
            break
        except IntegrityError:  # another task took the number at the same moment
            if attempt == 4:
                raise
    task.check_items.set(items)
    _audit(
        task,
        acting_user,
        "task_created",
        seed_digest=task.seed_digest,
        check_items=[i.code for i in items],
        subject_filter=subject_filter,
        share=str(share) if share is not None else None,
        count=count,
    )
    return task


def percent(value: Decimal) -> str:
    """20.00 -> "20", 2.50 -> "2.5" (never "2E+1")."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cap_message(cap: Decimal, *, count=None, population=None) -> str:
    if count is None:
        return _("An ordinary check item allows at most %(cap)s%% of the subjects to be drawn.") % {
            "cap": percent(cap)
        }
    return _(
        "Drawing %(n)s of %(total)s subjects is more than the %(cap)s%% an ordinary check item allows."
    ) % {"n": count, "total": population, "cap": percent(cap)}


# --- the draw ------------------------------------------------------------------------------------
def population_of(task: Task, items: list[CheckItem]) -> algorithm.Population:
    """Everything the draw depends on, read from the directories now."""
    region = task.plan.region
    subjects = list(
        subjects_matching(region, task.subject_kind, task.subject_filter).values_list(
            "id", "district_id", "supervising_unit_id"
        )
    )
    inspectors = {}
    for inspector in (
        Inspector.objects.filter(is_active=True, unit__is_active=True)
        .filter(Q(unit__region=region) | Q(unit__region__parent=region))
        .prefetch_related("districts")
        .order_by("id")
    ):
        kinds = frozenset(str(k) for k in (inspector.kinds or []) if isinstance(k, str))
        if task.subject_kind not in kinds:
            continue  # never eligible here: left out of the published population
        inspectors[inspector.pk] = algorithm.InspectorInfo(
            unit=inspector.unit_id,
            kinds=frozenset([task.subject_kind]),
            # No district named: anywhere in the city (the directory's convention).
            districts=frozenset(d.pk for d in inspector.districts.all()) or None,
        )
    subject_ids = {s for s, _d, _u in subjects}
    conflicts = {
        (i, s)
        for i, s in ConflictLink.objects.filter(inspector_id__in=list(inspectors)).values_list(
            "inspector_id", "subject_id"
        )
        if s in subject_ids
    }
    step_aside = any(i.exclude_own_unit for i in items)
    return algorithm.Population(
        subjects=[s for s, _d, _u in subjects],
        inspectors=inspectors,
        conflicts=conflicts,
        excluded_units={s: u for s, _d, u in subjects if step_aside and u is not None},
        districts={s: d for s, d, _u in subjects},
        kind=task.subject_kind,
        n=draw_size(task, len(subjects)),
        per_subject=task.inspectors_per_subject,
    )


def _lock(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan__region", "unit")
        .get(pk=task.pk)
    )


@transaction.atomic
def task_draw(*, task: Task, acting_user) -> Task:
    """Draws the task's subjects and their inspectors, once. The population is stored with the
    rows, and the seed is revealed from now on."""
    task = _lock(task)
    policy.require(acting_user, SupervisionAction.DRAW, task)
    if task.status != Task.Status.CREATED or task.drawn_at is not None:
        raise _invalid(_("This task was drawn already; a draw is made only once."))
    items = list(task.check_items.all())
    population = population_of(task, items)
    total = len(population.subjects)
    if not total:
        raise _invalid(_("No subject of the directory matches the task."), "invalid")
    cap = share_cap(items)
    if cap is not None and Decimal(population.n) * 100 > cap * total:
        raise _invalid(_cap_message(cap, count=population.n, population=total), "over_cap")
    try:
        entries = algorithm.draw(
            seed=task.seed,
            subjects=population.subjects,
            n=population.n,
            per_subject=population.per_subject,
            **population.common(),
        )
    except algorithm.DrawError as error:
        raise _invalid(_draw_error_text(error), "invalid") from None
    # The state moves first, conditionally: of two draws racing (where the database cannot lock
    # the row), only one changes it; the other finds nothing to change and stops here.
    now = timezone.now()
    published = population.to_json()
    moved = Task.objects.filter(pk=task.pk, status=Task.Status.CREATED, drawn_at__isnull=True)
    if not moved.update(status=Task.Status.DRAWN, drawn_at=now, population=published):
        raise _invalid(_("This task was drawn already; a draw is made only once."))
    task.status, task.drawn_at, task.population = Task.Status.DRAWN, now, published
    rows = DrawnSubject.objects.bulk_create(
        [
            DrawnSubject(task=task, subject_id=entry.subject, position=position)
            for position, entry in enumerate(entries, start=1)
        ]
    )
    if any(r.pk is None for r in rows):  # backends that do not return ids
        rows = list(DrawnSubject.objects.filter(task=task).order_by("position"))
    DrawnInspector.objects.bulk_create(
        [
            DrawnInspector(drawn=row, inspector_id=inspector, position=p)
            for row, entry in zip(rows, entries, strict=True)
            for p, inspector in enumerate(entry.inspectors, start=1)
        ]
    )
    _audit(
        task,
        acting_user,
        "drawn",
        population=total,
        inspectors=len(population.inspectors),
        drawn=len(entries),
        seed=task.seed,
    )
    _notify_inspectors(task, entries)
    return task


def _draw_error_text(error: algorithm.DrawError) -> str:
    if error.subject is None:
        return _("No subject of the population is left to draw.")
    name = Subject.objects.filter(pk=error.subject).values_list("name", flat=True).first()
    return _(
        "Too few eligible inspectors for %(subject)s: check the inspectors' kinds, districts "
        "and declared links, or ask for fewer inspectors per subject."
    ) % {"subject": name or error.subject}


def _notify_inspectors(task: Task, entries) -> None:
    by_inspector: dict[int, list[int]] = {}
    for entry in entries:
        for inspector in entry.inspectors:
            by_inspector.setdefault(inspector, []).append(entry.subject)
    emails = dict(
        Inspector.objects.filter(pk__in=list(by_inspector)).values_list("pk", "user__email")
    )
    for inspector, subjects in by_inspector.items():
        if emails.get(inspector):
            notify_on_commit(
                Notification(
                    subject=_("Random inspection"),
                    text=_("You were drawn for %(n)s subjects of task %(task)s.")
                    % {"n": len(subjects), "task": task.number},
                    email=emails[inspector],
                )
            )


# --- replacements --------------------------------------------------------------------------------
def _population(task: Task) -> algorithm.Population:
    return algorithm.Population.from_json(task.population)


def _lock_drawn(drawn: DrawnSubject) -> DrawnSubject:
    return (
        DrawnSubject.objects.select_for_update(of=("self",))
        .select_related("task__plan__region", "task__unit", "subject")
        .get(pk=drawn.pk)
    )


def _replaceable(drawn: DrawnSubject) -> None:
    if drawn.task.status != Task.Status.DRAWN:
        raise _invalid(_("Only a drawn task's subjects and inspectors are replaced."))
    if not drawn.is_active:
        raise _invalid(_("This subject was replaced already."))
    if drawn.result or drawn.published_at:
        raise _invalid(_("This subject has a result; it is not replaced."))


@transaction.atomic
def drawn_subject_replace(*, drawn: DrawnSubject, reason: str, acting_user) -> DrawnSubject:
    """Another subject in place of one that cannot be inspected (closed, gone): the next in the
    draw's ranking not used yet. The replaced row stays, inactive, with the reason."""
    drawn = _lock_drawn(drawn)
    policy.require(acting_user, SupervisionAction.DRAW, drawn.task)
    reason = clean_text("reason", reason, limit=200)
    _replaceable(drawn)
    from qualitymonth.supervision.models import Inspection

    if Inspection.objects.filter(drawn=drawn).exists():
        raise _invalid(_("An inspection of this subject was started; it is not replaced."))
    task = drawn.task
    population = _population(task)
    used = set(task.drawn.values_list("subject_id", flat=True))
    try:
        entry = algorithm.next_subject(
            seed=task.seed,
            subjects=population.subjects,
            used=used,
            per_subject=population.per_subject,
            **population.common(),
        )
    except algorithm.DrawError as error:
        raise _invalid(_draw_error_text(error), "invalid") from None
    position = (task.drawn.aggregate(m=Max("position"))["m"] or 0) + 1
    drawn.is_active = False
    drawn.replacement_reason = reason
    drawn.save(update_fields=["is_active", "replacement_reason"])
    new = DrawnSubject.objects.create(
        task=task,
        subject_id=entry.subject,
        position=position,
        replaces=drawn,
        replacement_reason=reason,
    )
    DrawnInspector.objects.bulk_create(
        [
            DrawnInspector(drawn=new, inspector_id=inspector, position=p)
            for p, inspector in enumerate(entry.inspectors, start=1)
        ]
    )
    _audit(
        task,
        acting_user,
        "subject_replaced",
        replaced=drawn.subject_id,
        by=entry.subject,
        reason=reason,
    )
    return new


@transaction.atomic
def drawn_inspector_replace(
    *, drawn: DrawnSubject, inspector: Inspector, reason: str, acting_user
) -> DrawnInspector:
    """Another inspector in place of one who cannot go (ill, newly declared link): the next
    eligible one in the subject's ranking not used for it yet."""
    drawn = _lock_drawn(drawn)
    policy.require(acting_user, SupervisionAction.DRAW, drawn.task)
    reason = clean_text("reason", reason, limit=200)
    _replaceable(drawn)
    slot = drawn.inspectors.filter(inspector=inspector, is_active=True).first()
    if slot is None:
        raise field_error("inspector", _("This inspector is not drawn for the subject."))
    task = drawn.task
    population = _population(task)
    try:
        found = algorithm.next_inspector(
            seed=task.seed,
            subject=drawn.subject_id,
            used=set(drawn.inspectors.values_list("inspector_id", flat=True)),
            **population.common(),
        )
    except algorithm.DrawError:
        raise _invalid(
            _("No eligible inspector is left for %(subject)s.") % {"subject": drawn.subject.name},
            "invalid",
        ) from None
    position = (drawn.inspectors.aggregate(m=Max("position"))["m"] or 0) + 1
    slot.is_active = False
    slot.replacement_reason = reason
    slot.save(update_fields=["is_active", "replacement_reason"])
    new = DrawnInspector.objects.create(
        drawn=drawn,
        inspector_id=found,
        position=position,
        replaces=slot,
        replacement_reason=reason,
    )
    _audit(
        task,
        acting_user,
        "inspector_replaced",
        subject=drawn.subject_id,
        replaced=inspector.pk,
        by=found,
        reason=reason,
    )
    return new


# --- results and their publication ---------------------------------------------------------------
def publication_workdays(task: Task) -> int:
    days = [i.publication_workdays for i in task.check_items.all()]
    return min(days) if days else DEFAULT_PUBLICATION_WORKDAYS


@transaction.atomic
def drawn_result_record(
    *, drawn: DrawnSubject, result: str, note: str = "", on: dt.date, acting_user
) -> DrawnSubject:
    """The result of a drawn subject (from its signed inspection, or without one: not at the
    address, closed, refused) and the day its publication falls due."""
    drawn = _lock_drawn(drawn)
    if not (
        policy.can(acting_user, SupervisionAction.WORK, drawn)
        or policy.can(acting_user, SupervisionAction.INSPECT, drawn)
    ):
        raise PermissionDenied(SupervisionAction.WORK)
    errors: dict[str, list] = {}
    if result not in Result.values:
        errors["result"] = [ValidationError(_("Choose a result from the list."), "invalid")]
    try:
        note = clean_text("note", note, limit=300, required=False)
    except ValidationError as error:
        errors.update(error.error_dict)
    if not isinstance(on, dt.date):
        errors["on"] = [ValidationError(_("This field is required."), "required")]
    elif on > timezone.localdate():
        errors["on"] = [ValidationError(_("The day cannot be in the future."), "invalid")]
    if errors:
        raise ValidationError(errors)
    if drawn.task.status == Task.Status.CREATED or not drawn.is_active:
        raise _invalid(_("Only an active drawn subject gets a result."))
    if drawn.published_at is not None:
        raise _invalid(_("This result is published; it is not changed any more."))
    previous = drawn.result
    drawn.result = result
    drawn.result_note = note
    drawn.result_on = on
    drawn.publish_due = add_workdays(on, publication_workdays(drawn.task))
    drawn.save(update_fields=["result", "result_note", "result_on", "publish_due"])
    _audit(
        drawn,
        acting_user,
        "result_recorded",
        task=drawn.task.number,
        result=result,
        previous=previous or None,
        on=on.isoformat(),
        publish_due=drawn.publish_due.isoformat(),
    )
    return drawn


@transaction.atomic
def results_publish(*, task: Task, acting_user, drawn_ids: list[int] | None = None) -> int:
    """Publishes the task's recorded results (all of them, or those named). Returns how many;
    the task is done once every active drawn subject's result is published."""
    task = _lock(task)
    policy.require(acting_user, SupervisionAction.PUBLISH, task)
    if task.status == Task.Status.CREATED:
        raise _invalid(_("The task is not drawn yet."))
    ready = task.drawn.filter(is_active=True, published_at__isnull=True).exclude(result="")
    if drawn_ids:
        wanted = set(drawn_ids)
        ready = ready.filter(pk__in=wanted)
        if set(ready.values_list("pk", flat=True)) != wanted:
            raise field_error(
                "drawn_ids", _("Publish only recorded, unpublished results of this task.")
            )
    ids = list(ready.values_list("pk", flat=True))
    if not ids:
        raise _invalid(_("No recorded result waits to be published."))
    now = timezone.now()
    DrawnSubject.objects.filter(pk__in=ids).update(published_at=now)
    if not task.drawn.filter(is_active=True, published_at__isnull=True).exists():
        task.status = Task.Status.DONE
        task.save(update_fields=["status"])
    _audit(task, acting_user, "published", results=len(ids), done=task.status == Task.Status.DONE)
    return len(ids)
