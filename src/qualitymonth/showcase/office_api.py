"""JSON endpoints for writing science articles and brand stories (mounted under /api/office/).

Input goes through the same forms as the back office pages (so the same checks and messages),
then through the same services (so the same rights and the same audit trail)."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import ErrorOut
from qualitymonth.campaigns.selectors import campaign_for_user
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.models import Unit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import policy
from qualitymonth.core.schemas import InputSchema, Text
from qualitymonth.showcase import selectors, services
from qualitymonth.showcase.api import ArticleOut, StoryOut
from qualitymonth.showcase.forms import ArticleForm, StoryForm
from qualitymonth.showcase.models import Article, BrandStory

router = Router(tags=["science and stories office"], auth=django_auth)
NO_FILE = File(None)  # an optional multipart file: kept when not sent


class ArticleOfficeOut(ArticleOut):
    id: int
    status: str
    unit_code: str = Field(alias="unit.code")
    weekly_pick: dt.date | None
    source: str
    body: str


class StoryOfficeOut(StoryOut):
    id: int
    status: str
    unit_code: str = Field(alias="unit.code")
    body: str


class ArticleFields(InputSchema):
    title: str
    category: str = Field(description="metrology, standards, certification, …")
    unit: str = Field(description="the writing unit's code")
    summary: Text
    body: Text = Field(description="HTML; anything that could run is removed")
    tags: str = ""
    source: str = ""


class StoryFields(InputSchema):
    title: str
    enterprise: str
    domain: str = Field("", description="the campaign domain's code")
    unit: str = Field(description="the writing unit's code")
    summary: str
    body: Text = Field(description="HTML; anything that could run is removed")


class OfficeArticleFilter(InputSchema):
    q: str = Field("", max_length=40)
    status: Literal["", "draft", "published"] = ""
    category: str = ""


class PickIn(InputSchema):
    week_of: dt.date | None = Field(description="any day of the week; null: no longer picked")


class StoryStepIn(InputSchema):
    """A JSON body, `{}` when there is nothing to say."""

    reason: Text = Field("", max_length=500, description="required to return a story")


def _unit_pk(code: str) -> int | str:
    unit = Unit.objects.filter(code=code, is_active=True).only("pk").first()
    return unit.pk if unit else ""  # empty: the form says the unit is not one to choose


def _checked(form):
    """The form's object, ready for its service; the form's own errors, by field, otherwise."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.save(commit=False)


def _article_form(request, fields: ArticleFields, article: Article, cover) -> Article:
    data = fields.model_dump() | {"unit": _unit_pk(fields.unit)}
    files = {"cover": cover} if cover else {}
    units = policy.creatable_units(request.user)
    return _checked(ArticleForm(data, files, instance=article, units=units))


def _article(request, article_id: int) -> Article:
    return get_object_or_404(selectors.articles_editable_by(request.user), pk=article_id)


@router.get("/articles", response=list[ArticleOfficeOut], summary="Articles I may edit")
@paginate(Pagination, page_size=50)
def list_articles(request, filters: Query[OfficeArticleFilter]):
    qs = selectors.articles_editable_by(request.user).order_by("-id")
    if filters.q:
        qs = qs.filter(search_text__contains=filters.q.lower())
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    return qs


@router.post(
    "/articles",
    response={201: ArticleOfficeOut, 400: ErrorOut, 403: ErrorOut},
    summary="Write a science article (a draft; multipart, cover optional)",
)
def create_article(request, fields: Form[ArticleFields], cover: UploadedFile | None = NO_FILE):
    article = _article_form(request, fields, Article(), cover)
    return Status(201, services.article_save(article=article, acting_user=request.user))


@router.post(
    "/articles/{article_id}",
    response={200: ArticleOfficeOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Change an article (multipart; the cover only when replaced)",
)
def change_article(
    request, article_id: int, fields: Form[ArticleFields], cover: UploadedFile | None = NO_FILE
):
    article = _article_form(request, fields, _article(request, article_id), cover)
    return services.article_save(article=article, acting_user=request.user)


@router.put(
    "/articles/{article_id}/pick",
    response={200: ArticleOfficeOut, 400: ErrorOut, 403: ErrorOut},
    summary="Make an article the weekly pick on the campaign home (campaign office)",
)
def article_pick(request, article_id: int, body: PickIn):
    article = _article(request, article_id)
    return services.article_pick(article=article, acting_user=request.user, week_of=body.week_of)


@router.post(
    "/articles/{article_id}/{step}",
    response={200: ArticleOfficeOut, 403: ErrorOut, 409: ErrorOut},
    summary="Publish, or take back to draft (campaign office)",
)
def article_step(request, article_id: int, step: Literal["publish", "unpublish"]):
    article = _article(request, article_id)
    return services.article_step(article=article, step=step, acting_user=request.user)


def _story_form(request, fields: StoryFields, story: BrandStory, files: dict) -> BrandStory:
    campaign = story.campaign
    domain = campaign.domains.filter(code=fields.domain).values_list("pk", flat=True).first()
    data = fields.model_dump() | {"unit": _unit_pk(fields.unit), "domain": domain or ""}
    files = {name: f for name, f in files.items() if f}
    units = policy.creatable_units(request.user)
    return _checked(StoryForm(data, files, instance=story, campaign=campaign, units=units))


@router.get("/stories", response=list[StoryOfficeOut], summary="Brand stories I may edit")
@paginate(Pagination, page_size=50)
def list_stories(request, status: Literal["", "draft", "review", "published"] = ""):
    qs = selectors.stories_editable_by(request.user).order_by("-id")
    return qs.filter(status=status) if status else qs


@router.post(
    "/stories",
    response={201: StoryOfficeOut, 400: ErrorOut, 403: ErrorOut},
    summary="Write a brand story for the current campaign (a draft; multipart)",
)
@body_limit(services.STORY_VIDEO_MAX_MB + services.COVER_MAX_MB)
def create_story(
    request,
    fields: Form[StoryFields],
    cover: UploadedFile | None = NO_FILE,
    video: UploadedFile | None = NO_FILE,
):
    campaign = campaign_for_user(request.user)
    if campaign is None:
        raise Http404
    story = _story_form(
        request, fields, BrandStory(campaign=campaign), {"cover": cover, "video": video}
    )
    return Status(201, services.story_save(story=story, acting_user=request.user))


@router.post(
    "/stories/{story_id}",
    response={200: StoryOfficeOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Change a draft story (multipart; files only when replaced)",
)
@body_limit(services.STORY_VIDEO_MAX_MB + services.COVER_MAX_MB)
def change_story(
    request,
    story_id: int,
    fields: Form[StoryFields],
    cover: UploadedFile | None = NO_FILE,
    video: UploadedFile | None = NO_FILE,
):
    story = get_object_or_404(selectors.stories_editable_by(request.user), pk=story_id)
    story = _story_form(request, fields, story, {"cover": cover, "video": video})
    return services.story_save(story=story, acting_user=request.user)


@router.post(
    "/stories/{story_id}/{step}",
    response={200: StoryOfficeOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Submit for review (unit); publish or return with a reason (campaign office)",
)
def story_step(
    request,
    story_id: int,
    step: Literal["submit", "publish", "return"],
    body: StoryStepIn,
):
    story = get_object_or_404(selectors.stories_editable_by(request.user), pk=story_id)
    return services.story_step(story=story, step=step, acting_user=request.user, reason=body.reason)
