"""Writes for science articles: sanitising, publishing, the weekly pick, read counts."""

import datetime as dt
import secrets

import nh3
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import Action, PermissionDenied, policy
from qualitymonth.core.video import container_kind, read_head
from qualitymonth.showcase.models import Article, BrandStory, week_start

# What an article may contain: text structure, emphasis, links, images, tables. No scripts,
# styles, event handlers, frames or forms survive.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "sub", "sup", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "figure",
    "figcaption", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan"}}


def sanitize(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def prepare(article: Article) -> Article:
    """Sanitise the body and refresh the search text; called before every save."""
    article.body = sanitize(article.body)
    plain = nh3.clean(article.body, tags=set())
    article.search_text = " ".join(
        [article.title, article.summary, article.tags, plain[:4000]]
    ).lower()
    return article


COVER_MAX_MB = 5
STORY_VIDEO_MAX_MB = 200


def _office_for(user, article: Article) -> bool:
    return policy.office_covers(user, article.unit.region)


def validate_cover(upload) -> None:
    """Pillow has read the image (ImageField); the size is what is left to check."""
    if upload and upload.size > COVER_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {"cover": _("The image is larger than %(n)s MB.") % {"n": COVER_MAX_MB}}
        )


@transaction.atomic
def article_save(*, article: Article, acting_user) -> Article:
    """Create or change an article. Units write for themselves; the campaign office writes for
    anyone and alone changes what is already published."""
    stored = Article.objects.select_related("unit__region").filter(pk=article.pk).first()
    for unit_of in filter(None, [stored, article]):
        if not (
            _office_for(acting_user, unit_of) or unit_of.unit_id in policy.unit_ids(acting_user)
        ):
            raise PermissionDenied("article.edit")
    if (
        stored
        and stored.status == Article.Status.PUBLISHED
        and not _office_for(acting_user, stored)
    ):
        raise ValidationError(
            _("This article is published; only the campaign office may change it now."),
            code="invalid_transition",
        )
    if article.cover and not article.cover._committed:  # a new upload
        validate_cover(article.cover.file)
    creating = stored is None
    if creating and not article.slug:
        article.slug = f"article-{secrets.token_hex(4)}"
    prepare(article)
    article.full_clean()
    article.save()
    audit_record(
        actor=acting_user,
        event_type="article.created" if creating else "article.edited",
        target=article,
    )
    return article


_ARTICLE_STEPS = {
    "publish": Article.Status.DRAFT,
    "unpublish": Article.Status.PUBLISHED,
}


@transaction.atomic
def article_step(*, article: Article, step: str, acting_user) -> Article:
    """Publish a draft, or take a published article back to draft: the campaign office only."""
    if step not in _ARTICLE_STEPS:
        raise ValidationError(_("Unknown step."), code="invalid_transition")
    article = Article.objects.select_for_update().select_related("unit__region").get(pk=article.pk)
    if not _office_for(acting_user, article):
        raise PermissionDenied(f"article.{step}")
    if article.status != _ARTICLE_STEPS[step]:
        raise ValidationError(
            _("This article is %(status)s; that step is not possible now.")
            % {"status": article.get_status_display()},
            code="invalid_transition",
        )
    if step == "publish":
        article.status = Article.Status.PUBLISHED
        article.published_at = article.published_at or timezone.now()
    else:
        article.status, article.weekly_pick = Article.Status.DRAFT, None
    article.save(update_fields=["status", "published_at", "weekly_pick"])
    audit_record(actor=acting_user, event_type=f"article.{step}ed", target=article)
    return article


@transaction.atomic
def article_pick(*, article: Article, acting_user, week_of: dt.date | None) -> Article:
    """Feature a published article on the campaign home in the week of `week_of` (None: stop)."""
    article = Article.objects.select_for_update().select_related("unit__region").get(pk=article.pk)
    if not _office_for(acting_user, article):
        raise PermissionDenied("article.pick")
    if week_of is not None and article.status != Article.Status.PUBLISHED:
        raise ValidationError(_("Only a published article can be the weekly pick."))
    article.weekly_pick = week_start(week_of) if week_of else None
    article.save(update_fields=["weekly_pick"])
    audit_record(
        actor=acting_user,
        event_type="article.picked",
        target=article,
        week_of=article.weekly_pick.isoformat() if article.weekly_pick else None,
    )
    return article


def _once_a_day(kind: str, pk: int, reader: str) -> bool:
    # One cache add per reader and day: the counter row is touched only for a new reader.
    return cache.add(f"{kind}:{pk}:{timezone.localdate():%Y%m%d}:{reader}", 1, timeout=86400)


def article_count_read(*, article: Article, reader: str) -> bool:
    """Count a read once per reader per day."""
    if not _once_a_day("read", article.pk, reader):
        return False
    Article.objects.filter(pk=article.pk).update(read_count=F("read_count") + 1)
    return True


def story_count_view(*, story: BrandStory, reader: str) -> bool:
    if not _once_a_day("view", story.pk, reader):
        return False
    BrandStory.objects.filter(pk=story.pk).update(view_count=F("view_count") + 1)
    return True


def story_like(*, story: BrandStory, reader: str) -> bool:
    """One like per person per day; False when this person already liked it today."""
    if not _once_a_day("like", story.pk, reader):
        return False
    BrandStory.objects.filter(pk=story.pk).update(like_count=F("like_count") + 1)
    return True


# --- the story workflow: draft → review → published (or back to draft with a reason) ----------
_STORY_STEPS = {
    "submit": ({BrandStory.Status.DRAFT}, BrandStory.Status.REVIEW),
    "publish": ({BrandStory.Status.REVIEW}, BrandStory.Status.PUBLISHED),
    "return": ({BrandStory.Status.REVIEW, BrandStory.Status.PUBLISHED}, BrandStory.Status.DRAFT),
}


def story_prepare(story: BrandStory) -> BrandStory:
    story.body = sanitize(story.body)
    return story


@transaction.atomic
def story_step(*, story: BrandStory, step: str, acting_user, reason: str = "") -> BrandStory:
    """Units submit their stories; the campaign office publishes or returns them."""
    if step not in _STORY_STEPS:
        raise ValidationError(_("Unknown step."), code="invalid_transition")
    story = (
        BrandStory.objects.select_for_update()
        .select_related("campaign__region", "unit__region")
        .get(pk=story.pk)
    )
    if step == "submit":
        if not _may_write_story(acting_user, story):
            raise PermissionDenied(step)
    else:
        policy.require(acting_user, Action.CAMPAIGN_MANAGE, story.campaign)
    sources, target = _STORY_STEPS[step]
    if story.status not in sources:
        raise ValidationError(
            _("This story is %(status)s; that step is not possible now.")
            % {"status": story.get_status_display()},
            code="invalid_transition",
        )
    if step == "return" and not reason.strip():
        raise ValidationError({"reason": _("Say what should change.")})
    before = story.status
    story.status = target
    if target == BrandStory.Status.PUBLISHED:
        story.published_at = story.published_at or timezone.now()
    story.save(update_fields=["status", "published_at"])
    audit_record(
        actor=acting_user,
        event_type=f"story.{step}",
        target=story,
        before=before,
        after=target,
        reason=reason.strip()[:500] or None,
    )
    return story


def validate_video(upload, *, max_mb: int = STORY_VIDEO_MAX_MB) -> None:
    # The name too: the file is served from /media/ with a type taken from its extension.
    if not upload.name.lower().endswith((".mp4", ".webm")):
        raise ValidationError(_("This is not an MP4 or WebM video."))
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(_("The video is larger than %(n)s MB.") % {"n": max_mb})
    if container_kind(read_head(upload)) not in ("mp4", "webm"):
        raise ValidationError(_("This is not an MP4 or WebM video."))


def _may_write_story(user, story: BrandStory) -> bool:
    """The staff of the story's unit, or the campaign office covering that unit."""
    return story.unit_id in policy.unit_ids(user) or policy.office_covers(user, story.unit.region)


@transaction.atomic
def story_save(*, story: BrandStory, acting_user) -> BrandStory:
    """Create or edit a story (drafts only): the unit's staff or the campaign office."""
    stored = BrandStory.objects.select_related("unit__region").filter(pk=story.pk).first()
    if not all(_may_write_story(acting_user, s) for s in filter(None, [stored, story])):
        raise PermissionDenied("story.edit")
    if story.video and not story.video._committed:  # a new upload, whichever way it came
        try:
            validate_video(story.video.file)
        except ValidationError as error:
            raise ValidationError({"video": error.messages}) from None
    if stored and stored.status != BrandStory.Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be edited; ask the office to return it first."),
            code="invalid_transition",
        )
    creating = story.pk is None
    if creating and not story.slug:
        import secrets

        story.slug = f"story-{secrets.token_hex(4)}"
    story_prepare(story)
    story.save()
    audit_record(
        actor=acting_user, event_type="story.created" if creating else "story.edited", target=story
    )
    return story
