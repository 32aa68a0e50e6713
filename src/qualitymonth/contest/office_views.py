"""The back office of the contest: moderation, judges, votes, ranking and awards; and the judges'
own pages, where each judge sees only the entries given to them, without the authors' names."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.campaigns.selectors import campaigns_managed_by
from qualitymonth.contest import selectors, services
from qualitymonth.contest.forms import PHASE_FIELDS, ScoreForm, kept_rows, setup_forms
from qualitymonth.contest.models import Assignment, AwardLevel, Contest, Entry
from qualitymonth.contest.services.setup import Rows
from qualitymonth.contest.services.voting import FLAG_LABELS
from qualitymonth.core.forms import posted_text
from qualitymonth.core.permissions import Action, policy
from qualitymonth.core.validators import client_int
from qualitymonth.core.views import add_service_errors, office_required, paginate, require


def _managed(request, slug: str) -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("campaign__region"), slug=slug)
    require(request.user, Action.CONTEST_MANAGE, contest)
    return contest


def _flash(request, call, done: str) -> bool:
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done)
    return True


@office_required
def contests(request):
    mine = [
        c
        for c in Contest.objects.select_related("campaign__region")
        if policy.can(request.user, Action.CONTEST_MANAGE, c)
    ]
    judging = selectors.assignments_for(request.user).exists()
    context = {
        "contests": mine,
        "judging": judging,
        "can_create": campaigns_managed_by(request.user).exists(),
    }
    return render(request, "contest/office/contests.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def contest_new(request):
    campaigns = campaigns_managed_by(request.user)
    if not campaigns:
        raise DjangoPermissionDenied
    return _setup(request, Contest(campaign=campaigns[0]), campaigns=campaigns)


@office_required
@require_http_methods(["GET", "POST"])
def contest_settings(request, slug: str):
    return _setup(request, _managed(request, slug))


def _setup(request, item: Contest, *, campaigns=None):
    """The contest's set-up, new or existing: one page, saved all at once by one service."""
    creating = item.pk is None
    forms = setup_forms(
        request.POST if request.method == "POST" else None,
        contest=item,
        campaigns=campaigns,
    )
    if request.method == "POST" and all(f.is_valid() for f in forms.values()):
        rows = Rows(**{name: kept_rows(forms[name]) for name in Rows.__dataclass_fields__})
        try:
            saved = services.contest_save(
                acting_user=request.user, contest=forms["form"].instance, rows=rows
            )
        except ValidationError as error:
            add_service_errors(forms["form"], error)
        else:
            messages.success(request, _("Contest created.") if creating else _("Settings saved."))
            return redirect("contest_office:contest", slug=saved.slug)
    lists = [
        (
            _("Categories"),
            _("Entrants choose one; ranking and awards are per category."),
            forms["categories"],
            [
                pgettext("contest setup", "Code"),
                pgettext("contest setup", "Name"),
                _("English name"),
            ],
        ),
        (
            _("Rubric"),
            _("What judges score; the weights add up to 100%."),
            forms["criteria"],
            [_("Criterion"), _("What the judge looks at"), _("Weight (%)"), _("Highest score")],
        ),
        (
            _("Awards"),
            _("How many prizes of each level; “every category” gives that many in each."),
            forms["awards"],
            [pgettext("contest", "Category"), _("Award"), _("How many")],
        ),
        (
            _("Judges"),
            _("A judge never gets entries from their unit; without a unit, from any of theirs."),
            forms["judges"],
            [pgettext("contest setup", "Account"), pgettext("contest setup", "Unit")],
        ),
    ]
    context = {
        "contest": item,
        "creating": creating,
        "form": forms["form"],
        "formsets": [forms[name] for name in Rows.__dataclass_fields__],
        "lists": lists,
        "basic_fields": ["campaign", "title", "slug", "theme", "rules"],
        "phase_fields": PHASE_FIELDS,
    }
    return render(
        request,
        "contest/office/setup.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@office_required
def contest(request, slug: str):
    item = _managed(request, slug)
    services.votes_flush(wait=2.0)
    return render(
        request,
        "contest/office/contest.html",
        {
            "contest": item,
            "counts": selectors.status_counts(item),
            "judges": selectors.judge_progress(item),
            "flagged": selectors.flagged_votes(item).filter(voided_at__isnull=True).count(),
            "unassigned": item.entries.filter(status=Entry.Status.APPROVED)
            .annotate(n=Count("assignments"))
            .filter(n__lt=item.judges_per_entry)
            .count(),
        },
    )


@office_required
def moderation(request, slug: str):
    item = _managed(request, slug)
    status = request.GET.get("status", Entry.Status.PENDING)
    q = (request.GET.get("q") or "").strip()[:40]
    qs = item.entries.select_related("category", "author").order_by("created_at")
    if status in Entry.Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(author_name__icontains=q))
    return render(
        request,
        "contest/office/moderation.html",
        {
            "contest": item,
            "page": paginate(request, qs),
            "status": status,
            "q": q,
            "statuses": Entry.Status.choices,
        },
    )


@office_required
@require_http_methods(["GET", "POST"])
def moderate(request, pk: int):
    entry = get_object_or_404(
        Entry.objects.select_related("contest__campaign__region", "category", "author"), pk=pk
    )
    require(request.user, Action.CONTEST_MANAGE, entry.contest)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        done = _flash(
            request,
            lambda: services.entry_moderate(
                entry=entry,
                acting_user=request.user,
                decision=decision,
                note=posted_text(request, "note"),
            ),
            _("Decision saved; the author sees it on their entries page."),
        )
        if done:
            return redirect(f"{_url('contest_office:moderation', entry.contest.slug)}")
    return render(
        request, "contest/office/moderate.html", {"entry": entry, "contest": entry.contest}
    )


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@office_required
@require_POST
def assign(request, slug: str):
    item = _managed(request, slug)
    try:
        made = services.judges_assign(contest=item, acting_user=request.user)
        messages.success(request, _("%(n)d assignments made.") % {"n": made})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("contest_office:contest", slug=item.slug)


@office_required
@require_http_methods(["GET", "POST"])
def ranking(request, slug: str):
    item = _managed(request, slug)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "rank":
            _flash(
                request,
                lambda: services.contest_rank(contest=item, acting_user=request.user),
                _("Ranking computed and awards proposed."),
            )
        elif action == "confirm":
            _flash(
                request,
                lambda: services.awards_confirm(contest=item, acting_user=request.user),
                _("Awards confirmed; the results page shows them from the announcement time."),
            )
        elif action == "award":
            target = get_object_or_404(
                item.entries, pk=client_int(request.POST.get("entry"), default=0)
            )
            _flash(
                request,
                lambda: services.entry_award_set(
                    entry=target, acting_user=request.user, level=request.POST.get("award", "")
                ),
                _("Award changed."),
            )
        return redirect("contest_office:ranking", slug=item.slug)
    entries = list(
        item.entries.filter(status=Entry.Status.APPROVED)
        .select_related("category")
        .annotate(judged=Count("assignments", filter=Q(assignments__total__isnull=False)))
        .order_by("category__order", "rank", "id")
    )
    groups = [(c, [e for e in entries if e.category_id == c.pk]) for c in item.categories.all()]
    item.refresh_from_db()
    return render(
        request,
        "contest/office/ranking.html",
        {"contest": item, "groups": groups, "awards": AwardLevel.choices},
    )


@office_required
@require_http_methods(["GET", "POST"])
def votes(request, slug: str):
    item = _managed(request, slug)
    services.votes_flush(wait=2.0)
    if request.method == "POST":
        ids = [i for v in request.POST.getlist("vote") if (i := client_int(v, low=1)) is not None]
        _flash(
            request,
            lambda: services.votes_void(
                contest=item,
                acting_user=request.user,
                vote_ids=ids,
                reason=posted_text(request, "reason"),
            ),
            _("The votes are voided and no longer count."),
        )
        return redirect("contest_office:votes", slug=item.slug)
    return render(
        request,
        "contest/office/votes.html",
        {
            "contest": item,
            "page": paginate(request, selectors.flagged_votes(item), per_page=50),
            "connections": selectors.busiest_connections(item),
            "flag_labels": FLAG_LABELS,
        },
    )


# --- judges ------------------------------------------------------------------------------------
@office_required
def judging(request):
    items = selectors.assignments_for(request.user)
    return render(
        request, "contest/office/judging.html", {"page": paginate(request, items, per_page=30)}
    )


@office_required
@require_http_methods(["GET", "POST"])
def score(request, pk: int):
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "entry__contest__campaign__region", "entry__category", "judge"
        ),
        pk=pk,
    )
    if assignment.judge.user_id != request.user.pk:
        raise DjangoPermissionDenied
    contest = assignment.entry.contest
    form = ScoreForm(request.POST or None, criteria=contest.criteria.all(), assignment=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_score(
                assignment=assignment,
                acting_user=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Score saved."))
            following = (
                selectors.assignments_for(request.user)
                .filter(total__isnull=True)
                .exclude(pk=pk)
                .first()
            )
            return (
                redirect("contest_office:score", pk=following.pk)
                if following
                else redirect("contest_office:judging")
            )
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request,
        "contest/office/score.html",
        {"assignment": assignment, "entry": assignment.entry, "contest": contest, "form": form},
    )
