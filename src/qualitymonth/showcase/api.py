"""JSON endpoints for science articles and brand stories (mounted by qualitymonth.api)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from qualitymonth.api.errors import errors
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.schemas import InputSchema
from qualitymonth.showcase import selectors, services

router = Router(tags=["science"])


class ArticleOut(Schema):
    slug: str
    title: str
    summary: str
    category: str
    tags: list[str] = Field(alias="tag_list")
    unit: str = Field(alias="unit.localized_name")
    published_at: dt.datetime | None
    read_count: int
    url: str
    cover_url: str | None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_cover_url(obj) -> str | None:
        return obj.cover.url if obj.cover else None


class ArticleDetailOut(ArticleOut):
    body: str = Field(alias="safe_body", description="sanitised HTML")
    source: str


class ArticleFilter(InputSchema):
    q: str = Field("", max_length=60)
    category: str = ""
    tag: str = Field("", max_length=30)


@router.get("/articles", response=list[ArticleOut], summary="Published science articles")
@paginate(Pagination, page_size=20)
def list_articles(request, filters: Query[ArticleFilter]):
    return selectors.search(q=filters.q, category=filters.category, tag=filters.tag)


@router.get("/articles/{slug}", response=ArticleDetailOut, summary="One science article")
def get_article(request, slug: str):
    return get_object_or_404(selectors.public_articles(), slug=slug)


class StoryOut(Schema):
    slug: str
    title: str
    enterprise: str
    summary: str
    domain: str | None = Field(None, alias="domain.localized_name")
    published_at: dt.datetime | None
    view_count: int
    like_count: int
    url: str
    video_url: str | None = None
    cover_url: str | None = None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_video_url(obj) -> str | None:
        return obj.video.url if obj.video else None

    @staticmethod
    def resolve_cover_url(obj) -> str | None:
        return obj.cover.url if obj.cover else None


@router.get("/stories", response=list[StoryOut], summary="Published brand stories")
@paginate(Pagination, page_size=20)
def list_stories(request):
    return selectors.public_stories()


@router.get("/stories/{slug}", response=StoryOut, summary="One brand story")
def get_story(request, slug: str):
    return get_object_or_404(selectors.public_stories(), slug=slug)


class LikeOut(Schema):
    counted: bool = Field(description="false: this person already liked it today")
    like_count: int


@router.post(
    "/stories/{slug}/like",
    response={200: LikeOut, **errors(429)},
    summary="Like a story (once a day)",
)
def like_story(request, slug: str):
    from qualitymonth.showcase.views import like_allowed, reader_of

    story = get_object_or_404(selectors.public_stories(), slug=slug)
    if not like_allowed(request):
        raise ValidationError(
            _("Too many likes from this connection; try again later."), code="rate_limited"
        )
    counted = services.story_like(story=story, reader=reader_of(request))
    story.refresh_from_db(fields=["like_count"])
    return {"counted": counted, "like_count": story.like_count}
