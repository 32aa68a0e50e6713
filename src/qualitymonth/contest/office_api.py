"""JSON endpoints for the people who run the contest (mounted under /api/office/): set-up,
judges and their assignments, ranking and awards, flagged votes. The same services as the back
office pages do the work and check the rights; the session and its CSRF token authenticate."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import ErrorOut
from qualitymonth.campaigns.models import Campaign
from qualitymonth.contest import selectors, services
from qualitymonth.contest.api import ContestOut, MyEntryOut
from qualitymonth.contest.models import Assignment, Contest, Entry
from qualitymonth.contest.services.setup import judge_account
from qualitymonth.core.models import Unit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import Action, policy
from qualitymonth.core.schemas import InputSchema, Text
from qualitymonth.core.validators import DbInt

router = Router(tags=["contest office"], auth=django_auth)

SLUG = r"^[-a-zA-Z0-9_]+$"
Level = Literal["first", "second", "third", "excellence"]


class CategoryIn(InputSchema):
    id: int | None = None
    code: str = Field(pattern=SLUG, max_length=30)
    name: str = Field(min_length=1, max_length=60)
    name_en: str = Field("", max_length=100)


class CriterionIn(InputSchema):
    id: int | None = None
    name: str = Field(min_length=1, max_length=60)
    description: str = Field("", max_length=200)
    weight: int = Field(ge=1, le=100)
    max_score: int = Field(10, ge=1, le=100)


class AwardIn(InputSchema):
    category: str = Field("", max_length=30, description="category code; empty: every category")
    level: Level
    count: int = Field(1, ge=1, le=100)


class JudgeIn(InputSchema):
    id: int | None = None
    username: str = Field(max_length=150)
    unit: str | None = Field(None, description="unit code; empty: every unit of the judge")


class SetupIn(InputSchema):
    title: str = Field(min_length=1, max_length=120)
    theme: str = Field(min_length=1, max_length=120)
    rules: Text = Field(min_length=1, max_length=20000)
    submission_opens: dt.datetime
    submission_closes: dt.datetime
    review_closes: dt.datetime
    judging_closes: dt.datetime
    voting_opens: dt.datetime
    voting_closes: dt.datetime
    results_at: dt.datetime
    max_file_mb: int = Field(300, ge=1, le=4096)
    min_seconds: int = Field(1, ge=1)
    max_seconds: int = Field(300, ge=1)
    max_height: int = Field(2160, ge=144, le=4320)
    judges_per_entry: int = Field(3, ge=1, le=20)
    vote_weight: Decimal = Field(Decimal("0.20"), ge=0, le=1, decimal_places=2)
    votes_per_day: int = Field(10, ge=1, le=1000)
    categories: list[CategoryIn] = Field(min_length=1, max_length=50)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=20)
    awards: list[AwardIn] = Field([], max_length=50)
    judges: list[JudgeIn] = Field([], max_length=200)


class CreateIn(SetupIn):
    campaign: str = Field(description="the campaign's slug")
    slug: str = Field(pattern=SLUG, max_length=60)


class JudgeOut(Schema):
    id: int
    username: str = Field(alias="user.username")
    name: str
    unit: str | None = Field(None, alias="unit.code")
    assigned: int
    scored: int

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class AssignmentOut(Schema):
    id: int
    entry_id: int
    title: str = Field(alias="entry.title")
    category: str = Field(alias="entry.category.code")
    description: str = Field(alias="entry.description")
    video_url: str
    scores: dict[str, float]
    comment: str
    total: float | None
    scored_at: dt.datetime | None

    @staticmethod
    def resolve_video_url(obj) -> str:
        from django.urls import reverse

        return reverse("contest:media", args=[obj.entry_id, "video"])


class ScoreIn(InputSchema):
    scores: dict[str, float] = Field(description="criterion id → score, 0 to its highest score")
    comment: Text = Field("", max_length=2000)


class RankedOut(Schema):
    id: int
    title: str
    category: str = Field(alias="category.code")
    vote_count: int
    judge_score: float | None
    final_score: float | None
    rank: int | None
    award: str


class AwardSetIn(InputSchema):
    level: Level | Literal[""] = Field(description="empty: no award")


class FlaggedVoteOut(Schema):
    id: int
    entry_id: int
    day: dt.date
    flagged: str
    ip_hash: str
    device_hash: str
    voided_at: dt.datetime | None
    created_at: dt.datetime


class VoidIn(InputSchema):
    vote_ids: list[DbInt] = Field(min_length=1, max_length=1000)
    reason: Text = Field(min_length=1, max_length=200)


class Done(Schema):
    count: int


class ModerateIn(InputSchema):
    decision: Literal["approve", "reject", "changes"]
    note: Text = Field("", max_length=500, description="required to reject or ask for changes")


def _managed(request, slug: str) -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("campaign__region"), slug=slug)
    policy.require(request.user, Action.CONTEST_MANAGE, contest)
    return contest


def _rows(body: SetupIn) -> services.Rows:
    """The lists of the set-up as the service takes them: accounts and units looked up."""
    users = {}
    for judge in body.judges:
        name = judge.username.strip()
        users[name] = judge_account(name, judge_pk=judge.id)
        if users[name] is None:
            raise ValidationError(
                {"judges": _("No active account has the user name “%(name)s”.") % {"name": name}}
            )
    codes = {j.unit for j in body.judges if j.unit}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes, is_active=True)}
    if codes - units.keys():
        raise ValidationError({"judges": _("Choose one of the units on the platform.")})
    return services.Rows(
        categories=[
            {"pk": c.id, "code": c.code, "name": c.name, "name_en": c.name_en}
            for c in body.categories
        ],
        criteria=[
            {
                "pk": c.id,
                "name": c.name,
                "description": c.description,
                "weight": c.weight,
                "max_score": c.max_score,
            }
            for c in body.criteria
        ],
        awards=[
            {"category_code": a.category, "level": a.level, "count": a.count} for a in body.awards
        ],
        judges=[
            {"pk": j.id, "user": users[j.username.strip()], "unit": units.get(j.unit or "")}
            for j in body.judges
        ],
    )


_LISTS = {"categories", "criteria", "awards", "judges"}


def _apply(contest: Contest, body: SetupIn) -> Contest:
    for name, value in body.model_dump(exclude=_LISTS | {"campaign", "slug"}).items():
        setattr(contest, name, value)
    return contest


@router.post(
    "/contests",
    response={201: ContestOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Set up a new contest with its categories, rubric, awards and judges",
)
def create_contest(request, body: CreateIn):
    campaign = get_object_or_404(Campaign, slug=body.campaign)
    contest = _apply(Contest(campaign=campaign, slug=body.slug), body)
    policy.require(request.user, Action.CONTEST_MANAGE, contest)  # before any look-up
    saved = services.contest_save(acting_user=request.user, contest=contest, rows=_rows(body))
    return Status(201, saved)


@router.put(
    "/contests/{slug}",
    response={200: ContestOut, 400: ErrorOut, 403: ErrorOut},
    summary="Change a contest's set-up (lists are replaced; rows with an id are kept)",
)
def change_contest(request, slug: str, body: SetupIn):
    contest = _apply(_managed(request, slug), body)
    return services.contest_save(acting_user=request.user, contest=contest, rows=_rows(body))


@router.post(
    "/contest-entries/{entry_id}/moderate",
    response={200: MyEntryOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Approve, reject or ask for changes",
)
def moderate(request, entry_id: int, body: ModerateIn):
    entry = get_object_or_404(Entry, pk=entry_id)
    return services.entry_moderate(
        entry=entry, acting_user=request.user, decision=body.decision, note=body.note
    )


@router.get("/contests/{slug}/judges", response=list[JudgeOut], summary="Judges and their progress")
def judges(request, slug: str):
    return selectors.judge_progress(_managed(request, slug))


@router.post(
    "/contests/{slug}/assign",
    response={200: Done, 400: ErrorOut, 409: ErrorOut},
    summary="Give approved entries to judges (balanced, never the judge's own unit)",
)
def assign(request, slug: str):
    contest = _managed(request, slug)
    return {"count": services.judges_assign(contest=contest, acting_user=request.user)}


@router.get(
    "/judging/assignments",
    response=list[AssignmentOut],
    summary="My entries to judge (authors are not shown)",
)
@paginate(Pagination, page_size=50)
def my_assignments(request):
    return selectors.assignments_for(request.user)


@router.put(
    "/judging/assignments/{assignment_id}",
    response={200: AssignmentOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Score an entry on each criterion",
)
def score(request, assignment_id: int, body: ScoreIn):
    assignment = get_object_or_404(
        Assignment.objects.select_related("entry__contest__campaign__region", "entry__category"),
        pk=assignment_id,
        judge__user=request.user,
    )
    return services.assignment_score(
        assignment=assignment, acting_user=request.user, scores=body.scores, comment=body.comment
    )


def _ranking(contest: Contest):
    return list(
        contest.entries.filter(status=Entry.Status.APPROVED)
        .select_related("category")
        .order_by("category__order", "rank", "id")
    )


@router.get("/contests/{slug}/ranking", response=list[RankedOut], summary="Ranking per category")
def ranking(request, slug: str):
    return _ranking(_managed(request, slug))


@router.post(
    "/contests/{slug}/rank",
    response={200: list[RankedOut], 400: ErrorOut, 409: ErrorOut},
    summary="Compute final scores and ranks, and propose awards",
)
def rank(request, slug: str):
    contest = _managed(request, slug)
    services.contest_rank(contest=contest, acting_user=request.user)
    return _ranking(contest)


@router.put(
    "/contest-entries/{entry_id}/award",
    response={200: RankedOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Change the award proposed for an entry",
)
def award(request, entry_id: int, body: AwardSetIn):
    entry = get_object_or_404(
        Entry.objects.select_related("contest__campaign__region"), pk=entry_id
    )
    return services.entry_award_set(entry=entry, acting_user=request.user, level=body.level)


@router.post(
    "/contests/{slug}/confirm-awards",
    response={200: ContestOut, 400: ErrorOut, 409: ErrorOut},
    summary="Confirm the awards (after judging and voting have closed)",
)
def confirm_awards(request, slug: str):
    return services.awards_confirm(contest=_managed(request, slug), acting_user=request.user)


@router.get(
    "/contests/{slug}/flagged-votes",
    response=list[FlaggedVoteOut],
    summary="Votes flagged as suspicious (bursts from one connection or browser)",
)
@paginate(Pagination, page_size=100)
def flagged_votes(request, slug: str, voided: bool | None = None):
    qs = selectors.flagged_votes(_managed(request, slug))
    if voided is not None:
        qs = qs.filter(voided_at__isnull=not voided)
    return qs


@router.post(
    "/contests/{slug}/void-votes",
    response={200: Done, 400: ErrorOut},
    summary="Void flagged votes, with the reason (audited)",
)
def void_votes(request, slug: str, body: VoidIn):
    contest = _managed(request, slug)
    voided = services.votes_void(
        contest=contest, acting_user=request.user, vote_ids=body.vote_ids, reason=body.reason
    )
    return {"count": voided}
