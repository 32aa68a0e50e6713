"""The back office for brand stories: a unit writes and submits, the office publishes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.campaigns.selectors import current_campaign
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.views import add_service_errors, office_required, paginate
from qualitymonth.showcase import services
from qualitymonth.showcase.forms import StoryForm
from qualitymonth.showcase.models import BrandStory


def _visible(user):
    qs = BrandStory.objects.select_related("unit", "domain", "campaign")
    if policy.is_office(user):
        return qs
    return qs.filter(unit_id__in=policy.unit_ids(user))


@office_required
def stories(request):
    status = request.GET.get("status", "")
    qs = _visible(request.user)
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


@office_required
@require_http_methods(["GET", "POST"])
def story_edit(request, pk: int | None = None):
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    story = (
        get_object_or_404(_visible(request.user), pk=pk) if pk else BrandStory(campaign=campaign)
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
        try:
            saved = services.story_save(story=form.save(commit=False), acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            form.add_error("unit", _("You may write stories only for your own unit."))
        else:
            messages.success(request, _("Saved as a draft. Submit it for review when it is ready."))
            return redirect("office_stories:edit", saved.pk)
    return render(
        request, "showcase/office/story_form.html", {"form": form, "story": story if pk else None}
    )


@office_required
@require_POST
def story_step(request, pk: int, step: str):
    story = get_object_or_404(_visible(request.user), pk=pk)
    try:
        services.story_step(
            story=story, step=step, acting_user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        messages.error(request, _("Only the campaign office may do that."))
    else:
        messages.success(request, _("Done."))
    return redirect("office_stories:list")
