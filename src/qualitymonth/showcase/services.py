"""Writes for science articles: sanitising, publishing, the weekly pick, read counts."""

import nh3
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from qualitymonth.core.audit import audit_record
from qualitymonth.showcase.models import Article

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


@transaction.atomic
def article_publish(*, article: Article, acting_user) -> Article:
    article.status = Article.Status.PUBLISHED
    article.published_at = article.published_at or timezone.now()
    article.save(update_fields=["status", "published_at"])
    audit_record(actor=acting_user, event_type="article.published", target=article)
    return article


def article_count_read(*, article: Article, reader: str) -> bool:
    """Count a read once per reader per day: one cache add, and an UPDATE only when new."""
    key = f"read:{article.pk}:{timezone.localdate():%Y%m%d}:{reader}"
    if not cache.add(key, 1, timeout=86400):
        return False
    Article.objects.filter(pk=article.pk).update(read_count=F("read_count") + 1)
    return True
