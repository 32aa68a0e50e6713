"""Reads of the "双随机、一公开" plans and tasks: the office's and units' lists, a task's drawn
subjects with their inspectors, the publication clock, the public results, and the draw file
anyone can rerun."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import client_int
from qualitymonth.core.workdays import add_workdays
from qualitymonth.supervision import draw as algorithm
from qualitymonth.supervision.models import (
    DrawnInspector,
    DrawnSubject,
    Plan,
    Task,
)
from qualitymonth.supervision.permissions import SUPERVISING_KINDS, WORK_ROLES, work_unit_ids
from qualitymonth.supervision.services.draws import DUE_SOON_WORKDAYS

QUERY_MAX = 60


def _words(query: str) -> list[str]:
    return [w for w in (query or "").strip()[:QUERY_MAX].split() if w][:5]


def _region_q(user, field: str) -> Q:
    """The regions an office covers (its own, the cities and districts below) as a filter."""
    return Q(**{f"{field}_id__in": policy.office_regions(user)})


def _unit_regions(user) -> set[int]:
    """The cities (and regions above) of the user's units: their plans are visible to them."""
    found = set()
    for m in policy.memberships(user):
        if m.role in WORK_ROLES and m.unit.kind in SUPERVISING_KINDS:
            found |= {r.pk for r in m.unit.region.ancestors_and_self()}
    return found


# --- plans ---------------------------------------------------------------------------------------
def plans_for(user) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("region", "campaign")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(_region_q(user, "region") | Q(region_id__in=_unit_regions(user)))


def plan_list(user, *, query: str = "", year: int | None = None) -> QuerySet[Plan]:
    qs = plans_for(user).annotate(task_count=Count("tasks"))
    for word in _words(query):
        qs = qs.filter(title__icontains=word)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-id")


def plan_for(user, pk) -> Plan | None:
    pk = client_int(pk)
    return None if pk is None else plans_for(user).filter(pk=pk).first()


# --- tasks ---------------------------------------------------------------------------------------
def tasks_for(user) -> QuerySet[Task]:
    """The office's tasks (its cities') and a unit's own tasks."""
    qs = Task.objects.select_related("plan__region", "unit")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(_region_q(user, "plan__region") | Q(unit_id__in=work_unit_ids(user)))


def task_list(
    user, *, query: str = "", status: str = "", kind: str = "", plan: Plan | None = None
) -> QuerySet[Task]:
    qs = tasks_for(user)
    if plan is not None:
        qs = qs.filter(plan=plan)
    for word in _words(query):
        qs = qs.filter(Q(title__icontains=word) | Q(number__icontains=word))
    if status in Task.Status.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(subject_kind=kind)
    return qs.annotate(
        drawn_count=Count("drawn", filter=Q(drawn__is_active=True)),
        published_count=Count(
            "drawn", filter=Q(drawn__is_active=True, drawn__published_at__isnull=False)
        ),
    ).order_by("-created_at", "-id")


def task_for(user, number: str) -> Task | None:
    return tasks_for(user).filter(number=str(number)[:24]).first()


def drawn_for(user, pk) -> DrawnSubject | None:
    """A drawn subject of a task the user may see, or one the user was drawn to inspect."""
    pk = client_int(pk)
    if pk is None:
        return None
    mine = DrawnInspector.objects.filter(
        drawn=OuterRef("pk"), is_active=True, inspector__user_id=getattr(user, "pk", None)
    )
    return (
        DrawnSubject.objects.select_related("task__plan__region", "task__unit", "subject")
        .filter(Q(task__in=tasks_for(user)) | Q(Exists(mine)), pk=pk)
        .first()
    )


def drawn_rows(task: Task, *, query: str = "", status: str = "") -> QuerySet[DrawnSubject]:
    """The task's drawn subjects (replaced ones too), each with its inspectors."""
    qs = (
        task.drawn.select_related("subject__district", "replaces__subject")
        .prefetch_related(
            Prefetch(
                "inspectors",
                queryset=DrawnInspector.objects.select_related("inspector__unit").order_by(
                    "position"
                ),
            )
        )
        .annotate(replaced=Exists(DrawnSubject.objects.filter(replaces=OuterRef("pk"))))
        .order_by("position")
    )
    for word in _words(query):
        qs = qs.filter(subject__name__icontains=word)
    if status == "pending":
        qs = qs.filter(is_active=True, result="")
    elif status == "recorded":
        qs = qs.filter(is_active=True, published_at__isnull=True).exclude(result="")
    elif status == "published":
        qs = qs.filter(published_at__isnull=False)
    elif status == "replaced":
        qs = qs.filter(is_active=False)
    return qs


def task_figures(task: Task) -> dict:
    rows = task.drawn.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        replaced=Count("pk", filter=Q(is_active=False)),
        recorded=Count("pk", filter=Q(is_active=True) & ~Q(result="")),
        published=Count("pk", filter=Q(is_active=True, published_at__isnull=False)),
    )
    rows["population"] = len((task.population or {}).get("subjects", []))
    rows["to_publish"] = rows["recorded"] - rows["published"]
    return rows


# --- the publication clock -----------------------------------------------------------------------
def publication_clock(user, *, today: dt.date | None = None, which: str = "") -> QuerySet:
    """Recorded results not published yet whose deadline has passed or comes within
    DUE_SOON_WORKDAYS working days, most urgent first."""
    today = today or timezone.localdate()
    soon = add_workdays(today, DUE_SOON_WORKDAYS)
    qs = DrawnSubject.objects.filter(
        task__in=tasks_for(user),
        is_active=True,
        published_at__isnull=True,
        publish_due__isnull=False,
    ).select_related("task__unit", "subject__district")
    if which == "overdue":
        qs = qs.filter(publish_due__lt=today)
    elif which == "soon":
        qs = qs.filter(publish_due__gte=today, publish_due__lte=soon)
    else:
        qs = qs.filter(publish_due__lte=soon)
    return qs.order_by("publish_due", "id")


# --- public --------------------------------------------------------------------------------------
def public_tasks(*, query: str = "", kind: str = "", year: int | None = None) -> QuerySet[Task]:
    """Tasks with at least one published result, newest first."""
    published = DrawnSubject.objects.filter(task=OuterRef("pk"), published_at__isnull=False)
    qs = (
        Task.objects.filter(Exists(published))
        .select_related("plan__region", "unit")
        .prefetch_related("check_items")
        .annotate(published_count=Count("drawn", filter=Q(drawn__published_at__isnull=False)))
    )
    for word in _words(query):
        qs = qs.filter(Q(title__icontains=word) | Q(number__icontains=word))
    if kind:
        qs = qs.filter(subject_kind=kind)
    if year:
        qs = qs.filter(plan__year=year)
    return qs.order_by("-drawn_at", "-id")


def public_task(number: str) -> Task | None:
    return public_tasks().filter(number=str(number)[:24]).first()


def public_results(task: Task, *, query: str = "", result: str = "") -> QuerySet[DrawnSubject]:
    qs = (
        task.drawn.filter(published_at__isnull=False)
        .select_related("subject__district")
        .order_by("position")
    )
    for word in _words(query):
        qs = qs.filter(subject__name__icontains=word)
    if result:
        qs = qs.filter(result=result)
    return qs


def draw_revealed_publicly(task: Task, *, today: dt.date | None = None) -> bool:
    """The seed and the draw file are public once the task is drawn and either every result is
    published or the inspection period is over. Earlier they would tell a drawn subject, not
    inspected yet, that an inspection is coming; the digest is public from the start."""
    if task.drawn_at is None:
        return False
    today = today or timezone.localdate()
    return task.status == Task.Status.DONE or task.ends_on < today


# --- the draw file -------------------------------------------------------------------------------
def replacements_of(task: Task, *, public: bool = False) -> list[dict]:
    """The replacements in the order `draw.replay` takes them. The public file leaves out the
    reasons: free text that may name a person or their health ("张三 is ill")."""
    steps = [
        {"kind": "subject", "subject": row.replaces.subject_id, "reason": row.replacement_reason}
        for row in task.drawn.filter(replaces__isnull=False)
        .select_related("replaces")
        .order_by("position")
    ]
    steps += [
        {
            "kind": "inspector",
            "subject": row.drawn.subject_id,
            "inspector": row.replaces.inspector_id,
            "reason": row.replacement_reason,
        }
        for row in DrawnInspector.objects.filter(drawn__task=task, replaces__isnull=False)
        .select_related("drawn", "replaces")
        .order_by("pk")
    ]
    if public:
        for step in steps:
            step.pop("reason", None)
    return steps


def draw_file(task: Task, *, public: bool = False) -> dict:
    """Everything needed to rerun the task's draw (`qualitymonth supervision verify-draw
    --file`): no names of persons, only ids and the subjects' names (and, when `public`, no
    free-text reasons of the replacements)."""
    rows = list(drawn_rows(task))
    names = dict(task.drawn.values_list("subject_id", "subject__name").order_by("subject_id"))
    return {
        "format": algorithm.FILE_FORMAT,
        "task": task.number,
        "title": task.title,
        "subject_kind": task.subject_kind,
        "check_items": [
            {
                "code": i.code,
                "title": i.title,
                "kind": i.kind,
                "max_share": str(i.max_share) if i.max_share is not None else None,
            }
            for i in task.check_items.all()
        ],
        "subject_filter": task.subject_filter,
        "share": str(task.share) if task.share is not None else None,
        "count": task.count,
        "seed_digest": task.seed_digest,
        "seed": task.seed_revealed,
        "drawn_at": task.drawn_at.isoformat() if task.drawn_at else None,
        "algorithm": (
            "rank(subject) = HMAC-SHA256(seed, 'subject:<id>'); the first n subjects by rank. "
            "rank(inspector) = HMAC-SHA256(seed, 'inspector:<subject>:<inspector>'); the first "
            "per_subject eligible inspectors by rank. Replacements: the next unused in the "
            "same ranking. See qualitymonth/supervision/draw.py."
        ),
        "population": task.population,
        "replacements": replacements_of(task, public=public),
        "drawn": [
            {
                "position": row.position,
                "subject": row.subject_id,
                "active": row.is_active,
                "inspectors": [
                    {"inspector": x.inspector_id, "active": x.is_active}
                    for x in row.inspectors.all()
                ],
            }
            for row in rows
        ],
        "subject_names": {str(k): v for k, v in names.items()},
    }


def verify_task(task: Task) -> list[str]:
    """What does not hold when the stored draw is rerun (empty: it verifies)."""
    if task.drawn_at is None:
        return ["The task is not drawn yet."]
    return algorithm.verify_file(draw_file(task))
