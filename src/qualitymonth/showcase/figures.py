"""The showcase's figures for the command dashboard: brand stories (views, likes) and science
articles (reads). Both are small tables, read directly; no facts.

- Stories: the campaign's own (BrandStory.campaign), published, counted by the day they were
  published up to the last day counted (a lower bound only when the person set a "from" date:
  stories go up before the month starts).
- Articles belong to no campaign: those counted are the published ones of units in the
  campaign's region (the city or one of its districts), published within the campaign's period
  (from its first day, or the "from" date, to the last day counted).
- Views, likes and reads are running totals kept on each story and article (no per-day record):
  they are the totals of the stories and articles counted, whatever day they came in.

Unit filter and scope: the story's or article's unit; district: that unit's region; domain:
the story's domain (articles have none: their figures say so); focus area: not applied.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from qualitymonth.core.figures import (
    Chart,
    Column,
    Figure,
    Provider,
    Section,
    Series,
    format_number,
    not_applied,
)
from qualitymonth.showcase.models import Article, BrandStory

TOP_STORIES = 10


def _stories(view):
    q = Q(
        campaign=view.campaign,
        status=BrandStory.Status.PUBLISHED,
        published_at__date__lte=view.until,
    )
    if view.filters.date_from is not None:
        q &= Q(published_at__date__gte=view.since)
    if view.filters.domain_id is not None:
        q &= Q(domain_id=view.filters.domain_id)
    return BrandStory.objects.filter(q & view.unit_q("unit") & view.district_q("unit__region"))


def _articles(view, *, narrowed: bool = True):
    region = view.campaign.region_id
    q = Q(status=Article.Status.PUBLISHED) & (
        Q(unit__region_id=region) | Q(unit__region__parent_id=region)
    )
    q &= Q(published_at__date__gte=view.since, published_at__date__lte=view.until)
    if not narrowed:
        return Article.objects.filter(q)
    return Article.objects.filter(q & view.unit_q("unit") & view.district_q("unit__region"))


class ShowcaseFigures(Provider):
    key = "showcase"
    title = gettext_lazy("Brand stories and science articles")
    order = 40

    def figures(self, view) -> list[Figure]:
        stories = _stories(view).aggregate(
            n=Count("pk"), views=Sum("view_count"), likes=Sum("like_count")
        )
        articles = _articles(view).aggregate(n=Count("pk"), reads=Sum("read_count"))
        note = (
            _("Articles have no domain: not narrowed by it.")
            if view.filters.domain_id is not None
            else ""
        )
        pieces = pgettext("figure unit", "pieces")
        times = pgettext("figure unit", "times")
        return [
            Figure(
                "showcase_stories", _("Brand stories published"), stories["n"], pieces, public=True
            ),
            Figure(
                "showcase_story_views", _("Story views"), stories["views"] or 0, times, public=True
            ),
            Figure(
                "showcase_story_likes", _("Story likes"), stories["likes"] or 0, times, public=True
            ),
            Figure(
                "showcase_articles",
                _("Science articles published"),
                articles["n"],
                pieces,
                public=True,
                note=note,
            ),
            Figure(
                "showcase_article_reads",
                _("Article reads"),
                articles["reads"] or 0,
                times,
                public=True,
                note=note,
            ),
        ]

    def section(self, view) -> Section | None:
        if not (
            BrandStory.objects.filter(campaign=view.campaign).exists()
            or _articles(view, narrowed=False).exists()
        ):
            return None
        return Section(
            key=self.key,
            title=str(self.title),
            figures=self.figures(view),
            charts=[self._top_stories(view), self._reads_by_category(view)],
            ignored_filters=not_applied(view, "focus_area"),
        )

    def overview(self, view) -> list[str]:
        figures = {f.key: f for f in self.figures(view)}
        if not (figures["showcase_stories"].value or figures["showcase_articles"].value):
            return []
        values = {key: format_number(f.value) for key, f in figures.items()}
        return [
            _(
                "%(stories)s brand stories were viewed %(views)s times and liked %(likes)s "
                "times; %(articles)s science articles were read %(reads)s times."
            )
            % {
                "stories": values["showcase_stories"],
                "views": values["showcase_story_views"],
                "likes": values["showcase_story_likes"],
                "articles": values["showcase_articles"],
                "reads": values["showcase_article_reads"],
            }
        ]

    def scoreboard(self, view) -> list[Column]:
        rows = _stories(view).values("unit_id").annotate(n=Count("pk")).order_by()
        values = {r["unit_id"]: r["n"] for r in rows}
        if not values:
            return []
        return [
            Column(
                key="showcase_stories",
                label=_("Brand stories published"),
                values=values,
                unit=pgettext("figure unit", "pieces"),
                default=False,
            )
        ]

    def _top_stories(self, view) -> Chart:
        top = list(
            _stories(view)
            .order_by("-view_count", "-like_count", "pk")
            .values_list("title", "view_count", "like_count")[:TOP_STORIES]
        )
        return Chart(
            key="showcase_top_stories",
            title=_("Most viewed brand stories"),
            kind="hbar",
            categories=[title for title, _views, _likes in top],
            series=[
                Series(_("Views"), [views for _title, views, _likes in top]),
                Series(_("Likes"), [likes for _title, _views, likes in top]),
            ],
            public=True,
            category_label=_("Story"),
        )

    def _reads_by_category(self, view) -> Chart:
        rows = dict(
            _articles(view)
            .values("category")
            .annotate(reads=Sum("read_count"))
            .order_by()
            .values_list("category", "reads")
        )
        return Chart(
            key="showcase_reads_by_category",
            title=_("Article reads by category"),
            kind="bar",
            categories=[str(label) for _value, label in Article.Category.choices],
            series=[
                Series(
                    _("Reads"),
                    [int(rows.get(value) or 0) for value, _label in Article.Category.choices],
                )
            ],
            public=True,
            category_label=_("Article category"),
        )
