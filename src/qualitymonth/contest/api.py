"""JSON endpoints of the micro-video contest (mounted by qualitymonth.api).

Votes and submissions ride on the browser's session (an account, or a mobile number verified on
the site) and need the CSRF token like any form; reads are public.
"""

import datetime as dt

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from ninja.security import APIKeyCookie, django_auth

from qualitymonth.api.errors import ErrorOut
from qualitymonth.contest import selectors, services
from qualitymonth.contest.models import Contest, Entry
from qualitymonth.contest.views import NotAVoter, cast_vote, voter_of
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import Action, policy
from qualitymonth.core.schemas import InputSchema, Text

router = Router(tags=["contest"])
NO_FILE = File(None)  # an optional multipart file: kept when not sent


class VoterAuth(APIKeyCookie):
    """The session's voter: a signed-in account or a verified mobile number (CSRF checked)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        return voter_of(request)


class CategoryOut(Schema):
    code: str
    name: str = Field(alias="localized_name")


class CriterionOut(Schema):
    name: str
    weight: int
    max_score: int


class ContestOut(Schema):
    slug: str
    title: str
    theme: str
    rules: str
    phase: str
    submission_opens: dt.datetime
    submission_closes: dt.datetime
    voting_opens: dt.datetime
    voting_closes: dt.datetime
    results_at: dt.datetime
    max_file_mb: int
    min_seconds: int
    max_seconds: int
    votes_per_day: int
    vote_weight: float
    categories: list[CategoryOut]
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_phase(obj) -> str:
        return obj.phase()

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories.all())

    @staticmethod
    def resolve_criteria(obj):
        return list(obj.criteria.all())


class EntryOut(Schema):
    id: int
    title: str
    category: str = Field(alias="category.code")
    author_name: str | None = Field(
        None,
        description="Null except for the campaign office, the entry's author, and everyone once "
        "the results are public: judging is blind.",
    )
    description: str
    vote_count: int
    duration_seconds: float | None
    approved_at: dt.datetime | None
    url: str
    video_url: str
    cover_url: str
    poster_url: str

    @staticmethod
    def resolve_author_name(obj, context) -> str | None:
        return obj.author_name if _author_name_shown(context["request"], obj) else None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_video_url(obj) -> str:
        return reverse("contest:media", args=[obj.pk, "video"])

    @staticmethod
    def resolve_cover_url(obj) -> str:
        return reverse("contest:media", args=[obj.pk, "cover"])

    @staticmethod
    def resolve_poster_url(obj) -> str:
        return reverse("contest:poster", args=[obj.pk])


def _author_name_shown(request, entry: Entry) -> bool:
    """Whether this request may read who made the entry (decided once per contest and request)."""
    user = request.user
    if user.is_authenticated and entry.author_id == user.pk:
        return True
    decided = request.__dict__.setdefault("_qm_author_name_shown", {})
    if entry.contest_id not in decided:
        contest = entry.contest
        decided[entry.contest_id] = contest.results_public() or (
            user.is_authenticated and policy.can(user, Action.CONTEST_MANAGE, contest)
        )
    return decided[entry.contest_id]


class MyEntryOut(EntryOut):
    status: str
    moderation_note: str


class ResultOut(Schema):
    category: str = Field(alias="category.code")
    award: str
    rank: int | None
    id: int
    title: str
    author_name: str
    final_score: float | None


class GalleryFilter(InputSchema):
    category: str = ""
    q: str = Field("", max_length=40)
    sort: str = Field("new", pattern="^(new|votes)$")


class VoteOut(Schema):
    vote_count: int
    left_today: int


@router.get("/contests/{slug}", response=ContestOut, summary="A micro-video contest")
def get_contest(request, slug: str):
    return get_object_or_404(Contest, slug=slug)


@router.get(
    "/contests/{slug}/entries", response=list[EntryOut], summary="Approved entries (the gallery)"
)
@paginate(Pagination, page_size=20)
def list_entries(request, slug: str, filters: Query[GalleryFilter]):
    contest = get_object_or_404(Contest, slug=slug)
    return selectors.gallery(contest, category=filters.category, q=filters.q, sort=filters.sort)


@router.get("/contest-entries/{entry_id}", response=EntryOut, summary="One approved entry")
def get_entry(request, entry_id: int):
    return get_object_or_404(
        Entry.objects.select_related("category", "contest__campaign__region"),
        pk=entry_id,
        status=Entry.Status.APPROVED,
    )


@router.post(
    "/contest-entries/{entry_id}/vote",
    response={200: VoteOut, 400: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    auth=VoterAuth(),
    summary="Vote for an entry (one per person per entry per day)",
)
def vote(request, entry_id: int):
    try:
        result = cast_vote(request, entry_id)
    except NotAVoter:
        raise AuthenticationError from None
    except Entry.DoesNotExist:
        from django.http import Http404

        raise Http404 from None
    # The storm endpoint answers with its two numbers directly (the schema above documents them).
    return JsonResponse({"vote_count": result.vote_count, "left_today": result.left_today})


class EntryFields(InputSchema):
    """The text of an entry, as multipart form fields beside its files."""

    title: str
    category: str = Field(description="category code")
    description: Text
    author_name: str
    team: str = ""

    def for_service(self, contest: Contest) -> dict:
        data = self.model_dump()
        data["category"] = contest.categories.filter(code=self.category).first()
        return data


@router.post(
    "/contests/{slug}/entries",
    response={201: MyEntryOut, 400: ErrorOut, 409: ErrorOut},
    auth=django_auth,
    summary="Submit an entry (multipart: fields and the video and cover files)",
)
@body_limit(lambda request, slug: selectors.entry_upload_mb(slug=slug))
def submit_entry(
    request,
    slug: str,
    fields: Form[EntryFields],
    originality_declared: Form[bool],
    video: File[UploadedFile],
    cover: File[UploadedFile],
):
    contest = get_object_or_404(Contest, slug=slug)
    entry = services.entry_submit(
        contest=contest,
        author=request.user,
        video_file=video,
        cover_file=cover,
        originality_declared=originality_declared,
        **fields.for_service(contest),
    )
    return Status(201, entry)


@router.post(
    "/contest-entries/{entry_id}",
    response={200: MyEntryOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    auth=django_auth,
    summary="Change my entry while submission is open (multipart; files only when replaced)",
)
@body_limit(lambda request, entry_id: selectors.entry_upload_mb(entry_id=entry_id))
def edit_entry(
    request,
    entry_id: int,
    fields: Form[EntryFields],
    video: UploadedFile | None = NO_FILE,
    cover: UploadedFile | None = NO_FILE,
):
    entry = get_object_or_404(Entry.objects.select_related("contest"), pk=entry_id)
    return services.entry_edit(
        entry=entry,
        acting_user=request.user,
        video_file=video,
        cover_file=cover,
        **fields.for_service(entry.contest),
    )


@router.get(
    "/contests/{slug}/my-entries",
    response=list[MyEntryOut],
    auth=django_auth,
    summary="My entries, with their review status",
)
def my_entries(request, slug: str):
    contest = get_object_or_404(Contest, slug=slug)
    return list(contest.entries.filter(author=request.user).select_related("category"))


@router.get("/contests/{slug}/results", response=list[ResultOut], summary="Awards, once announced")
def results(request, slug: str):
    contest = get_object_or_404(Contest, slug=slug)
    if not contest.results_public() and not policy.can(
        request.user, Action.CONTEST_MANAGE, contest
    ):
        return []
    return list(
        contest.entries.filter(status=Entry.Status.APPROVED)
        .exclude(award="")
        .select_related("category")
        .order_by("category__order", "rank")
    )
