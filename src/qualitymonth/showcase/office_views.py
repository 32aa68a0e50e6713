"""The back office for brand stories and science articles: units write, the office publishes."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.campaigns.selectors import campaign_for_user
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.forms import posted_text
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.views import add_service_errors, office_required, paginate
from qualitymonth.showcase import selectors, services
from qualitymonth.showcase.forms import ArticleFilterForm, ArticleForm, StoryForm
from qualitymonth.showcase.models import Article, BrandStory, week_start


def _save(request, form, save, *, denied: str, done: str):
    """Hand the form's object to its service; show a refusal on the form, or say it is done."""
    try:
        saved = save(form.save(commit=False))
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied:
        form.add_error("unit", denied)
    else:
        messages.success(request, done)
        return saved
    return None


def _step(request, call, done: str) -> None:
    """A workflow step from a list's button: its refusal or its success, as a message."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        messages.error(request, _("Only the campaign office may do that."))
    else:
        messages.success(request, done)


@office_required
def stories(request):
    status = request.GET.get("status", "")
    qs = selectors.stories_editable_by(request.user)
    if status in BrandStory.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "showcase/office/stories.html",
        {
            "page": paginate(request, qs.order_by("-id")),
            "status": status,
            "statuses": BrandStory.Status.choices,
            "is_office": policy.is_office(request.user),
        },
    )


@body_limit(services.STORY_VIDEO_MAX_MB + services.COVER_MAX_MB)
@office_required
@require_http_methods(["GET", "POST"])
def story_edit(request, pk: int | None = None):
    campaign = campaign_for_user(request.user)
    if campaign is None:
        raise Http404
    story = (
        get_object_or_404(selectors.stories_editable_by(request.user), pk=pk)
        if pk
        else BrandStory(campaign=campaign)
    )
    units = policy.creatable_units(request.user)
    form = StoryForm(
        request.POST or None,
        request.FILES or None,
        instance=story,
        campaign=story.campaign if pk else campaign,
        units=units,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda item: services.story_save(story=item, acting_user=request.user),
            denied=_("You may write stories only for your own unit."),
            done=_("Saved as a draft. Submit it for review when it is ready."),
        )
        if saved:
            return redirect("office_stories:edit", saved.pk)
    return render(
        request, "showcase/office/story_form.html", {"form": form, "story": story if pk else None}
    )


@office_required
@require_POST
def story_step(request, pk: int, step: str):
    story = get_object_or_404(selectors.stories_editable_by(request.user), pk=pk)
    _step(
        request,
        lambda: services.story_step(
            story=story, step=step, acting_user=request.user, reason=posted_text(request, "reason")
        ),
        _("Done."),
    )
    return redirect("office_stories:list")


# Science articles: units write drafts for themselves; the campaign office publishes, takes back
# and picks the week's articles for the campaign home.


@office_required
def articles(request):
    filters = ArticleFilterForm(request.GET)
    qs = selectors.articles_editable_by(request.user).defer("body", "search_text")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            qs = qs.filter(search_text__contains=data["q"].lower())
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["category"]:
            qs = qs.filter(category=data["category"])
    context = {
        "page": paginate(request, qs.order_by("-id")),
        "filters": filters,
        "is_office": policy.is_office(request.user),
        "this_week": week_start(timezone.localdate()),
    }
    return render(request, "showcase/office/articles.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def article_edit(request, pk: int | None = None):
    article = (
        get_object_or_404(selectors.articles_editable_by(request.user), pk=pk) if pk else Article()
    )
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        instance=article,
        units=policy.creatable_units(request.user),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda item: services.article_save(article=item, acting_user=request.user),
            denied=_("You may write articles only for your own unit."),
            done=_("Article saved."),
        )
        if saved:
            return redirect("office_articles:edit", saved.pk)
    return render(
        request,
        "showcase/office/article_form.html",
        {"form": form, "article": article if pk else None},
        status=400 if request.method == "POST" else 200,
    )


def _article_call(request, pk: int, call, done: str):
    article = get_object_or_404(selectors.articles_editable_by(request.user), pk=pk)
    _step(request, lambda: call(article), done)
    return redirect("office_articles:list")


@office_required
@require_POST
def article_step(request, pk: int, step: str):
    return _article_call(
        request,
        pk,
        lambda a: services.article_step(article=a, step=step, acting_user=request.user),
        _("Published.") if step == "publish" else _("Taken back to draft."),
    )


@office_required
@require_POST
def article_pick(request, pk: int):
    week = None
    if request.POST.get("week_of"):
        try:
            week = dt.date.fromisoformat(request.POST["week_of"])
        except ValueError:
            messages.error(request, _("Choose a valid date."))
            return redirect("office_articles:list")
    return _article_call(
        request,
        pk,
        lambda a: services.article_pick(article=a, acting_user=request.user, week_of=week),
        _("Weekly pick saved.") if week else _("No longer a weekly pick."),
    )
