"""Pages of the product spot checks.

Back office (the unit's work roles and the office): the plans with their failure rates, a plan's
page (figures, samples), sampling, a sample's page and its printable sampling record, the steps
of a sample (laboratory result, receipt, re-test result, re-check) and publishing the results
notice after a preview. Public: the published notices. Enterprises: their own samples, where
opening a result records its receipt, and the re-test request after a confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import mask_numbers_in_text
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.supervision import spotcheck_selectors as selectors
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import spotchecks as services
from qualitymonth.supervision.spotcheck_forms import (
    EnterpriseFindForm,
    PlanForm,
    PlanSearchForm,
    PublicSearchForm,
    PublishForm,
    ReceivedForm,
    RecheckForm,
    ResultForm,
    RetestResultForm,
    SampleForm,
    SampleSearchForm,
)

T = "supervision/spotchecks/"
Outcome = services.Outcome


def _plan_or_404(request, pk: int):
    found = selectors.plan_for(request.user, pk)
    if found is None:
        raise Http404
    return found


def _sample_or_404(request, number: str):
    found = selectors.sample_for(request.user, number)
    if found is None:
        raise Http404
    return found


def _filters(form) -> dict:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


# --- plans ---------------------------------------------------------------------------------------
@office_required
def plan_list(request):
    require(request.user, SupervisionAction.WORK)
    form = PlanSearchForm(request.GET or None, years=selectors.plan_years(request.user))
    found = _filters(form)
    plans = selectors.office_plans(
        request.user,
        query=found.get("q", ""),
        year=found.get("year"),
        status=found.get("status", ""),
    )
    context = {
        "form": form,
        "page": paginate(request, plans, per_page=20),
        "figures": selectors.overall_figures(selectors.plans_for(request.user)),
        "can_create": policy.can(request.user, SupervisionAction.WORK),
    }
    return render(request, T + "list.html", context)


def _creatable_units(user):
    units = policy.creatable_units(user).select_related("region__parent__parent")
    return [u for u in units if policy.can(user, SupervisionAction.WORK, _plan_of(u))]


def _plan_of(unit):
    from qualitymonth.supervision.models import SpotCheckPlan

    return SpotCheckPlan(region=selectors.city_of(unit.region), unit=unit)


@office_required
def plan_new(request):
    require(request.user, SupervisionAction.WORK)
    units = _creatable_units(request.user)
    if not units:
        raise DjangoPermissionDenied
    from qualitymonth.core.models import Unit

    form = PlanForm(
        request.POST or None,
        units=Unit.objects.filter(pk__in=[u.pk for u in units]),
        regions={selectors.city_of(u.region) for u in units},
        initial={"year": selectors._today().year, "unit": units[0].pk if len(units) == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.spot_check_plan_create(
                unit=data["unit"],
                year=data["year"],
                title=data["title"],
                categories=list(data["categories"]),
                laboratory=data.get("laboratory", ""),
                campaign=data.get("campaign"),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan was created; now add its samples."))
            return redirect("sv_spotcheck:detail", pk=plan.pk)
    status = 400 if form.is_bound else 200
    return render(request, T + "new.html", {"form": form}, status=status)


@office_required
def plan_detail(request, pk: int):
    plan = _plan_or_404(request, pk)
    search = SampleSearchForm(request.GET or None, plan=plan)
    found = _filters(search)
    samples = selectors.plan_samples(
        plan,
        query=found.get("q", ""),
        category=found.get("category"),
        outcome=found.get("outcome", ""),
    )
    published = plan.status == plan.Status.PUBLISHED
    context = {
        "plan": plan,
        "search": search,
        "page": paginate(request, samples, per_page=30),
        "figures": selectors.plan_figures(plan),
        "blockers": [] if published else selectors.publish_blockers(plan),
        "can_publish": not published and policy.can(request.user, SupervisionAction.PUBLISH, plan),
        "can_sample": not published,
    }
    return render(request, T + "detail.html", context)


@office_required
def plan_publish(request, pk: int):
    """GET: what stands in the way, or the notice generated from the figures to edit; POST:
    published (the form asks to confirm)."""
    plan = _plan_or_404(request, pk)
    require(request.user, SupervisionAction.PUBLISH, plan)
    if plan.status == plan.Status.PUBLISHED:
        messages.error(request, _("The results notice is already published."))
        return redirect("sv_spotcheck:detail", pk=plan.pk)
    blockers = selectors.publish_blockers(plan)
    form = PublishForm(request.POST or None, initial={"notice": selectors.notice_draft(plan)})
    if request.method == "POST" and form.is_valid():
        try:
            services.spot_check_plan_publish(
                plan=plan, notice=form.cleaned_data["notice"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The results notice is published."))
            return redirect("sv_spotcheck:detail", pk=plan.pk)
    context = {
        "plan": plan,
        "form": form,
        "blockers": blockers,
        "figures": selectors.plan_figures(plan),
    }
    return render(request, T + "publish.html", context, status=400 if form.errors else 200)


# --- samples -------------------------------------------------------------------------------------
@office_required
def sample_new(request, pk: int):
    """The sampling form; above it, a search of the registry whose matches fill the form."""
    plan = _plan_or_404(request, pk)
    require(request.user, SupervisionAction.WORK, plan)
    if plan.status == plan.Status.PUBLISHED:
        messages.error(request, _("The results notice of this plan is published."))
        return redirect("sv_spotcheck:detail", pk=plan.pk)
    finder = EnterpriseFindForm(request.GET if "find" in request.GET else None)
    query = _filters(finder).get("find", "")
    initial = {"sampled_on": selectors._today()}
    chosen = request.GET.get("enterprise", "")
    if isinstance(chosen, str) and 0 < len(chosen) <= 120 and chosen.isalnum():
        initial["enterprise"] = chosen
    form = SampleForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = services.sample_add(plan=plan, acting_user=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Sample %(number)s was recorded.") % {"number": sample.number}
            )
            return redirect("sv_spotcheck:sample", number=sample.number)
    context = {
        "plan": plan,
        "form": form,
        "finder": finder,
        "matches": selectors.enterprise_matches(plan, query) if query else None,
    }
    return render(request, T + "sample_new.html", context, status=400 if form.errors else 200)


def _sample_context(request, sample) -> dict:
    plan = sample.plan
    final = sample.final_outcome
    published = plan.status == plan.Status.PUBLISHED
    return {
        "sample": sample,
        "plan": plan,
        "final": final,
        "retest_closes_on": selectors.retest_closes_on(sample),
        "retest_open": selectors.retest_window_open(sample),
        "can_result": sample.outcome == Outcome.PENDING and not published,
        "can_receive": sample.outcome != Outcome.PENDING and sample.received_on is None,
        "can_retest_result": bool(sample.retest_requested_on and not sample.retest_outcome),
        "can_recheck": final == Outcome.FAIL
        and sample.rectify_by is not None
        and not sample.recheck_outcome
        and not (sample.retest_requested_on and not sample.retest_outcome),
        "can_open_case": final == Outcome.FAIL,
    }


@office_required
def sample_detail(request, number: str):
    sample = _sample_or_404(request, number)
    return render(request, T + "sample.html", _sample_context(request, sample))


@office_required
def sample_record(request, number: str):
    """The sampling record, to print and sign on site: it states that no fee was charged."""
    sample = _sample_or_404(request, number)
    context = {
        "sample": sample,
        "plan": sample.plan,
        "retest_days": selectors.retest_days(sample.plan),
    }
    return render(request, T + "record.html", context)


def _step(request, number: str, *, form_class, title: str, call, done: str, initial=None):
    sample = _sample_or_404(request, number)
    form = form_class(request.POST or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            call(sample=sample, acting_user=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("sv_spotcheck:sample", number=sample.number)
    context = {"sample": sample, "plan": sample.plan, "form": form, "title": title}
    return render(request, T + "step.html", context, status=400 if form.errors else 200)


@office_required
def sample_result(request, number: str):
    return _step(
        request,
        number,
        form_class=ResultForm,
        title=_("Laboratory result"),
        call=services.sample_result_record,
        done=_("The result was recorded and the enterprise told."),
        initial={"result_on": selectors._today()},
    )


@office_required
def sample_received(request, number: str):
    return _step(
        request,
        number,
        form_class=ReceivedForm,
        title=_("Result received by the enterprise"),
        call=services.sample_received_record,
        done=_("The day of receipt was recorded: the re-test window runs from it."),
        initial={"received_on": selectors._today()},
    )


@office_required
def sample_retest_result(request, number: str):
    return _step(
        request,
        number,
        form_class=RetestResultForm,
        title=_("Re-test result"),
        call=services.sample_retest_result_record,
        done=_("The re-test's result was recorded; it replaces the first."),
        initial={"retest_on": selectors._today()},
    )


@office_required
def sample_recheck(request, number: str):
    return _step(
        request,
        number,
        form_class=RecheckForm,
        title=_("Re-check after rectification"),
        call=services.sample_recheck_record,
        done=_("The re-check was recorded."),
        initial={"recheck_on": selectors._today()},
    )


# --- public --------------------------------------------------------------------------------------
def public_list(request):
    form = PublicSearchForm(request.GET or None, years=selectors.published_years())
    found = _filters(form)
    plans = selectors.published_plans(query=found.get("q", ""), year=found.get("year"))
    context = {
        "form": form,
        "page": paginate(request, plans, per_page=20),
        "figures": selectors.overall_figures(selectors.published_plans()),
    }
    return render(request, T + "public_list.html", context)


def public_detail(request, pk: int):
    plan = selectors.published_plan(pk)
    if plan is None:
        raise Http404
    search = SampleSearchForm(request.GET or None, plan=plan)
    search.fields["outcome"].choices = [
        c for c in search.fields["outcome"].choices if c[0] != Outcome.PENDING
    ]
    found = _filters(search)
    samples = selectors.plan_samples(
        plan,
        query=found.get("q", ""),
        category=found.get("category"),
        outcome=found.get("outcome", ""),
    )
    # The notice is typed text: a mobile or ID number typed into it is not published.
    plan.notice = mask_numbers_in_text(plan.notice)
    context = {
        "plan": plan,
        "search": search,
        "page": paginate(request, samples, per_page=50),
        "figures": selectors.plan_figures(plan),
    }
    return render(request, T + "public_detail.html", context)


# --- the enterprise's own samples ----------------------------------------------------------------
@login_required
def mine_list(request):
    page = paginate(request, selectors.enterprise_samples(request.user), per_page=20)
    return render(request, T + "mine.html", {"page": page})


def _mine_or_404(request, number: str):
    found = selectors.enterprise_sample_for(request.user, number)
    if found is None:
        raise Http404
    return found


@login_required
def mine_detail(request, number: str):
    """Opening a result is receiving it: the re-test window starts today if nobody recorded
    an earlier day."""
    sample = _mine_or_404(request, number)
    sample = services.sample_opened(sample=sample, acting_user=request.user)
    context = {
        "sample": sample,
        "plan": sample.plan,
        "final": sample.final_outcome,
        "retest_closes_on": selectors.retest_closes_on(sample),
        "can_request": selectors.can_request_retest(sample),
    }
    return render(request, T + "mine_sample.html", context)


@login_required
def mine_retest(request, number: str):
    """GET: the confirmation; POST: the re-test is asked for."""
    sample = _mine_or_404(request, number)
    if request.method == "POST":
        try:
            services.sample_retest_request(sample=sample, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The re-test was asked for; the unit will tell you its result.")
            )
        return redirect("sv_spotcheck_public:mine_sample", number=sample.number)
    context = {
        "sample": sample,
        "plan": sample.plan,
        "retest_closes_on": selectors.retest_closes_on(sample),
        "can_request": selectors.can_request_retest(sample),
    }
    return render(request, T + "mine_retest.html", context)
