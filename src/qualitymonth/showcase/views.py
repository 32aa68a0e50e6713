"""Public science pages: the list with search and filters, and one article."""

from django.shortcuts import get_object_or_404, render

from qualitymonth.core import ratelimit
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


def article(request, slug: str):
    item = get_object_or_404(selectors.public_articles(), slug=slug)
    # A reader is the account, else the session, else the address: counted once a day.
    if request.user.is_authenticated:
        reader = f"u{request.user.pk}"
    elif request.session.session_key:
        reader = f"s{request.session.session_key}"
    else:
        reader = f"ip{ratelimit.client_ip(request)}"
    if services.article_count_read(article=item, reader=reader):
        item.read_count += 1
    related = selectors.public_articles().filter(category=item.category).exclude(pk=item.pk)[:3]
    return render(request, "showcase/article.html", {"article": item, "related": related})
