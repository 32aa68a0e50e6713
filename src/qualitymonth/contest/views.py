"""Public contest pages: the gallery, an entry with its player, votes, submitting, results."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.campaigns.selectors import campaign_for_request
from qualitymonth.contest import poster, selectors, services
from qualitymonth.contest.forms import EntryForm
from qualitymonth.contest.models import AWARD_ORDER, Contest, Entry
from qualitymonth.contest.services import vote_queue
from qualitymonth.core import ratelimit
from qualitymonth.core import redis as fast_redis
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.identity import (
    account_check_key,
    session_account,
    signed_in_user_id,
    verified_mobile,
    verify_mobile_step,
)
from qualitymonth.core.media import ranged_response
from qualitymonth.core.permissions import Action, PermissionDenied, policy
from qualitymonth.core.views import add_service_errors, paginate, render_partial


@dataclass(frozen=True)
class Voter:
    key: str  # "u:<account>" or "m:<mobile>"
    account: tuple[str, str] | None = None  # with Redis: the account check the vote script makes


def voter_of(request) -> Voter | None:
    """Who is voting: the account, else a verified mobile number; None for an anonymous visitor.
    With Redis the account is confirmed inside the vote's own round trip (see cast_vote)."""
    claimed = session_account(request)
    if claimed is not None:
        user_id, session_hash = claimed
        if fast_redis.client() is not None:
            return Voter(f"u:{user_id}", (account_check_key(user_id), session_hash))
        if signed_in_user_id(request) is not None:
            return Voter(f"u:{user_id}")
    mobile = verified_mobile(request)
    return Voter(f"m:{mobile}") if mobile else None


class NotAVoter(Exception):
    """No account that checks out and no verified mobile number."""


def cast_vote(request, entry_id: int) -> services.VoteResult:
    voter = voter_of(request)
    if voter is None:
        raise NotAVoter
    arguments = {
        "entry_id": entry_id,
        "voter": voter.key,
        "ip": ratelimit.client_key(request),
        "device": device_of(request),
    }
    try:
        return services.vote_cast(account=voter.account, **arguments)
    except services.AccountNotConfirmed:
        # The copy of the account check is missing or stale: Django's own check decides.
        if signed_in_user_id(request, trust_copy=False) is None:
            raise NotAVoter from None
        return services.vote_cast(account=voter.account, **arguments)


def device_of(request) -> str:
    return "|".join(
        [
            request.META.get("HTTP_USER_AGENT", "")[:200],
            request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:40],
        ]
    )


def current(request):
    contest = selectors.current_contest(campaign_for_request(request))
    if contest is None:
        raise Http404
    return redirect(contest)


def detail(request, slug: str):
    contest = get_object_or_404(Contest, slug=slug)
    category = request.GET.get("category", "")
    q = (request.GET.get("q") or "").strip()[:40]
    sort = request.GET.get("sort", "new")
    page = paginate(
        request, selectors.gallery(contest, category=category, q=q, sort=sort), per_page=12
    )
    context = {
        "contest": contest,
        "page": page,
        "category": category,
        "q": q,
        "sort": sort,
        "categories": contest.categories.all(),
        "can_vote_as": voter_of(request),
    }
    return render_partial(request, "contest/detail.html", "gallery", context)


def _entry_visible(request, pk: int) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("contest__campaign__region", "category"), pk=pk
    )
    if not entry.is_public and not policy.can(request.user, Action.CONTEST_ENTRY_VIEW, entry):
        raise Http404
    return entry


def entry(request, pk: int):
    item = _entry_visible(request, pk)
    # Votes accepted in the last moments may still wait in the queue: show them too.
    item.vote_count += vote_queue.pending_counts([item.pk]).get(item.pk, 0)
    share_url = request.build_absolute_uri(item.get_absolute_url())
    return render(
        request,
        "contest/entry.html",
        {
            "entry": item,
            "contest": item.contest,
            "share_url": share_url,
            "voter": voter_of(request),
            "related": selectors.gallery(item.contest, category=item.category.code).exclude(
                pk=item.pk
            )[:3],
        },
    )


def entry_media(request, pk: int, kind: str):
    """The video (with Range, so the player can seek) or the cover of an entry."""
    item = _entry_visible(request, pk)
    field = {"video": item.video, "cover": item.cover}.get(kind)
    if not field:
        raise Http404
    try:
        handle = field.storage.open(field.name, "rb")
        size = field.storage.size(field.name)
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if kind == "video":
        content_type = {"webm": "video/webm", "mov": "video/quicktime"}.get(
            item.video_format, "video/mp4"
        )
    else:
        content_type = "image/png" if field.name.endswith(".png") else "image/jpeg"
        if field.name.endswith(".webp"):
            content_type = "image/webp"
    cache = "public, max-age=3600" if item.is_public else "private, no-store"
    return ranged_response(request, handle, size, content_type, cache_control=cache)


def entry_poster(request, pk: int):
    item = _entry_visible(request, pk)
    if not item.is_public:
        raise Http404
    with item.cover.storage.open(item.cover.name, "rb") as cover:
        png = poster.entry_poster(
            cover=cover,
            title=item.title,
            contest_title=item.contest.title,
            author=item.author_name,
            url=request.build_absolute_uri(item.get_absolute_url()),
        )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = f'inline; filename="entry-{item.pk}.png"'
    return response


@require_POST
def vote(request, pk: int):
    item = get_object_or_404(Entry.objects.select_related("contest"), pk=pk, status="approved")
    voter = voter_of(request)
    status = 200
    try:
        result = cast_vote(request, item.pk)
        item.vote_count = result.vote_count
        text = _("Thank you! Your vote is counted; %(n)d votes left today.") % {
            "n": result.left_today
        }
        level = messages.SUCCESS
    except NotAVoter:
        text, level = _("Log in or verify your mobile number to vote."), messages.ERROR
        status, voter = 403, None
    except ValidationError as error:
        text, level = " ".join(error.messages), messages.ERROR
        status = 429 if error.code == "rate_limited" else 409
        item.refresh_from_db(fields=["vote_count"])
        item.vote_count += vote_queue.pending_counts([item.pk]).get(item.pk, 0)
    except Entry.DoesNotExist:
        raise Http404 from None
    if getattr(request, "htmx", False):
        return render(
            request,
            "contest/entry.html#vote",
            {
                "entry": item,
                "voter": voter,
                "vote_message": text,
                "vote_ok": level == messages.SUCCESS,
            },
            status=status,
        )
    messages.add_message(request, level, text)
    return redirect(item)


@require_POST
def verify(request, slug: str):
    contest = get_object_or_404(Contest, slug=slug)
    verify_mobile_step(request, verified_message=_("Mobile number verified. You can vote now."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(contest)


def _service_call(form, call):
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as denied:
        raise DjangoPermissionDenied from denied
    return None


@body_limit(lambda request, slug: selectors.entry_upload_mb(slug=slug))
@login_required
@require_http_methods(["GET", "POST"])
def submit(request, slug: str):
    contest = get_object_or_404(Contest, slug=slug)
    initial = {"author_name": request.user.get_full_name()}
    form = EntryForm(request.POST or None, request.FILES or None, contest=contest, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = _service_call(
            form,
            lambda: services.entry_submit(
                contest=contest,
                author=request.user,
                video_file=data["video"],
                cover_file=data["cover"],
                originality_declared=data["originality_declared"],
                **form.text_fields(),
            ),
        )
        if created is not None:
            messages.success(
                request, _("Your entry is submitted. It will be public once it has been reviewed.")
            )
            return redirect("contest:mine", slug=contest.slug)
    return render(request, "contest/submit.html", {"contest": contest, "form": form})


@body_limit(lambda request, pk: selectors.entry_upload_mb(entry_id=pk))
@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    item = get_object_or_404(Entry.objects.select_related("contest"), pk=pk, author=request.user)
    contest = item.contest
    initial = {name: getattr(item, name) for name in EntryForm.TEXT_FIELDS}
    form = EntryForm(
        request.POST or None, request.FILES or None, contest=contest, entry=item, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = _service_call(
            form,
            lambda: services.entry_edit(
                entry=item,
                acting_user=request.user,
                video_file=data["video"],
                cover_file=data["cover"],
                **form.text_fields(),
            ),
        )
        if changed is not None:
            messages.success(
                request, _("Your changes are saved; the entry will be reviewed again.")
            )
            return redirect("contest:mine", slug=contest.slug)
    return render(request, "contest/submit.html", {"contest": contest, "form": form, "entry": item})


@login_required
def mine(request, slug: str):
    contest = get_object_or_404(Contest, slug=slug)
    entries = contest.entries.filter(author=request.user).select_related("category")
    return render(request, "contest/mine.html", {"contest": contest, "entries": entries})


def results(request, slug: str):
    contest = get_object_or_404(Contest, slug=slug)
    groups = []
    if contest.results_public():
        winners = contest.entries.filter(status=Entry.Status.APPROVED).exclude(award="")
        for category in contest.categories.all():
            ranked = sorted(
                (e for e in winners if e.category_id == category.pk),
                key=lambda e: (AWARD_ORDER.index(e.award), e.rank or 0),
            )
            groups.append((category, ranked))
    return render(request, "contest/results.html", {"contest": contest, "groups": groups})
