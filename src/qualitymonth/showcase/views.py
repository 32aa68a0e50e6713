"""Public showcase pages: science articles and brand stories."""

import hashlib

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitymonth.core import ratelimit
from qualitymonth.core.identity import verified_mobile
from qualitymonth.core.views import paginate, render_partial
from qualitymonth.showcase import selectors, services
from qualitymonth.showcase.models import Article


def articles(request):
    q = (request.GET.get("q") or "").strip()[:60]
    category = request.GET.get("category", "")
    tag = (request.GET.get("tag") or "").strip()[:30]
    page = paginate(request, selectors.search(q=q, category=category, tag=tag), per_page=12)
    context = {
        "page": page,
        "q": q,
        "category": category,
        "tag": tag,
        "categories": Article.Category.choices,
        "picks": selectors.weekly_picks(),
    }
    return render_partial(request, "showcase/articles.html", "results", context)


def reader_of(request) -> str:
    """Who is reading or liking, for once-a-day counts: the account, else the verified mobile,
    else the address. Sessions and browser names are not people: a client can make as many of
    either as it likes, so without an account one address counts once a day."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    mobile = verified_mobile(request)
    if mobile:
        return "m" + hashlib.sha256(mobile.encode()).hexdigest()[:20]
    digest = hashlib.sha256(ratelimit.client_key(request).encode()).hexdigest()
    return f"a{digest[:20]}"


def article(request, slug: str):
    item = selectors.public_articles().filter(slug=slug).first()
    preview = item is None
    if preview:  # a draft: only those who may edit it see it, and reading it counts nothing
        if not request.user.is_authenticated:
            raise Http404
        item = get_object_or_404(selectors.articles_editable_by(request.user), slug=slug)
    elif services.article_count_read(article=item, reader=reader_of(request)):
        item.read_count += 1
    related = selectors.public_articles().filter(category=item.category).exclude(pk=item.pk)[:3]
    context = {"article": item, "related": related, "preview": preview}
    return render(request, "showcase/article.html", context)


def _campaign(request):
    from qualitymonth.campaigns.selectors import campaign_for_request

    return campaign_for_request(request)


def stories(request):
    campaign = _campaign(request)
    qs = selectors.public_stories(campaign)
    domain = request.GET.get("domain", "")
    if domain:
        qs = qs.filter(domain__code=domain)
    domains = campaign.domains.all() if campaign else []
    return render(
        request,
        "showcase/stories.html",
        {"page": paginate(request, qs, per_page=12), "domain": domain, "domains": domains},
    )


def story(request, slug: str):
    item = get_object_or_404(selectors.public_stories(), slug=slug)
    if services.story_count_view(story=item, reader=reader_of(request)):
        item.view_count += 1
    related = selectors.public_stories(item.campaign).exclude(pk=item.pk)
    if item.domain_id:
        related = related.filter(domain_id=item.domain_id)
    return render(request, "showcase/story.html", {"story": item, "related": related[:3]})


def like_allowed(request) -> bool:
    """However the likes are counted, one connection gets a cap on how often it may try."""
    return ratelimit.allow(f"like:{ratelimit.client_key(request)}", limit=30, window=600)


@require_POST
def story_like(request, slug: str):
    item = get_object_or_404(selectors.public_stories(), slug=slug)
    if not like_allowed(request):
        messages.error(request, _("Too many likes from this connection; try again later."))
        return redirect(item)
    if services.story_like(story=item, reader=reader_of(request)):
        messages.success(request, _("Thank you for your like."))
    else:
        messages.info(request, _("You have already liked this story today."))
    return redirect(item)


def broadcast(request):
    """The "cloud broadcast": every published story, one after another."""
    items = list(selectors.public_stories(_campaign(request)).order_by("published_at", "id"))
    return render(request, "showcase/broadcast.html", {"stories": items})
