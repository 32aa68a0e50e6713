"""Pages of the enforcement cases: the register, registering and deciding a case, revising or
revoking it (after a confirmation), the penalty publicity by its clocks, typical cases and their
approval; and the public pages of published penalties and typical cases."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import client_int
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.supervision import case_selectors as selectors
from qualitymonth.supervision.case_forms import (
    CaseForm,
    CaseSearchForm,
    ChangeForm,
    DecisionForm,
    EarlyRemovalForm,
    PublicityTextForm,
    PublicSearchForm,
    ReturnForm,
    TypicalForm,
    TypicalSearchForm,
)
from qualitymonth.supervision.models import Case, Publicity, TypicalCase
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import cases as services
from qualitymonth.supervision.services import publicity as publicity_services

T = "supervision/cases/"


def _case_or_404(request, number) -> Case:
    found = selectors.case_for(request.user, number)
    if found is None:
        raise Http404
    return found


def _shown(cases) -> list:
    cases = list(cases)
    for case in cases:
        case.party_shown = publicity_services.party_shown(case)
    return cases


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- the register --------------------------------------------------------------------------------
@office_required
def case_list(request):
    require(request.user, SupervisionAction.WORK)
    units = selectors.working_units(request.user).order_by("name")
    form = CaseSearchForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.case_list(
        request.user,
        query=filters.get("q", ""),
        status=filters.get("status", ""),
        source=filters.get("source", ""),
        procedure=filters.get("procedure", ""),
        unit=filters.get("unit"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = paginate(request, qs, per_page=20)
    page.object_list = _shown(page.object_list)
    return render(request, T + "list.html", {"form": form, "page": page})


def _links(request, source) -> dict:
    """The complaint, hazard or sample named in the query or the form, if the user may see it."""
    found = {}
    tracking = (source.get("complaint") or "").strip()
    if tracking:
        found["complaint"] = selectors.linkable_complaint(request.user, tracking[:20])
    for name, lookup in (
        ("hazard", selectors.linkable_hazard),
        ("sample", selectors.linkable_sample),
    ):
        pk = client_int(source.get(name), low=1)
        if source.get(name):
            found[name] = lookup(request.user, pk)
    return found


@office_required
def case_new(request):
    require(request.user, SupervisionAction.WORK)
    units = selectors.working_units(request.user).order_by("name")
    if request.method == "POST":
        form = CaseForm(request.POST, units=units)
        if form.is_valid():
            links = _links(request, request.POST)
            missing = [name for name, obj in links.items() if obj is None]
            for name in missing:
                form.add_error(name, _("Not one of the records you may see."))
            if not missing:
                data = form.cleaned_data
                try:
                    case = services.case_open(
                        unit=data["unit"],
                        source=data["source"],
                        procedure=data["procedure"],
                        party_kind=data["party_kind"],
                        party_name=data["party_name"],
                        enterprise=data["enterprise"],
                        party_is_minor=data["party_is_minor"],
                        facts=data["facts"],
                        legal_basis=data["legal_basis"],
                        acting_user=request.user,
                        **links,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The case was registered."))
                    return redirect("sv_case:detail", number=case.number)
    else:
        links = {k: v for k, v in _links(request, request.GET).items() if v is not None}
        form = CaseForm(units=units, initial=selectors.prefill(**links))
    return render(request, T + "new.html", {"form": form}, status=_status(form))


@office_required
def case_detail(request, number: str):
    case = _case_or_404(request, number)
    if case.party_kind == Case.PartyKind.PERSON:
        services.case_party_seen(case=case, acting_user=request.user)
    context = {
        "case": case,
        "decision_labels": services.decision_labels(case.decisions),
        "publicity": selectors.publicity_of(case),
        "typical": selectors.typical_of(case),
        "today": timezone.localdate(),
    }
    return render(request, T + "detail.html", context)


@office_required
def case_edit(request, number: str):
    case = _case_or_404(request, number)
    initial = {
        "procedure": case.procedure,
        "party_kind": case.party_kind,
        "enterprise": case.enterprise.uscc if case.enterprise_id else "",
        "party_name": case.party_name,
        "party_is_minor": case.party_is_minor,
        "facts": case.facts,
        "legal_basis": case.legal_basis,
    }
    form = CaseForm(request.POST or None, initial=initial, units=None, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was updated."))
            return redirect("sv_case:detail", number=case.number)
    context = {"form": form, "case": case}
    return render(request, T + "edit.html", context, status=_status(form))


@office_required
def case_decide(request, number: str):
    case = _case_or_404(request, number)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_decide(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("sv_case:detail", number=case.number)
    context = {"form": form, "case": case}
    return render(request, T + "decide.html", context, status=_status(form))


@office_required
def case_change(request, number: str):
    """A revision or revocation: the form, then a confirmation page, then the change."""
    case = _case_or_404(request, number)
    form = ChangeForm(request.POST or None)
    confirm = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") != "yes":
            confirm = True
        else:
            try:
                services.case_change(case=case, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The decision was changed."))
                return redirect("sv_case:detail", number=case.number)
    context = {"form": form, "case": case, "confirm": confirm}
    return render(request, T + "change.html", context, status=_status(form))


# --- publicity -----------------------------------------------------------------------------------
@office_required
def publicity_list(request):
    require(request.user, SupervisionAction.WORK)
    tab = request.GET.get("tab", "due")
    tab = tab if tab in selectors.PUBLICITY_TABS else "due"
    search = PublicSearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_bound and search.is_valid() else ""
    today = timezone.localdate()
    page = paginate(
        request, selectors.publicity_list(request.user, tab=tab, today=today, query=query)
    )
    context = {
        "tab": tab,
        "page": page,
        "search": search,
        "counts": selectors.publicity_counts(request.user, today),
        "today": today,
        "tabs": [
            ("due", _("To publish")),
            ("overdue", _("Overdue")),
            ("published", _("Published")),
            ("withdraw", _("To withdraw")),
        ],
    }
    return render(request, T + "publicity_list.html", context)


def _publicity_or_404(request, number) -> Publicity:
    case = _case_or_404(request, number)
    publicity = selectors.publicity_of(case)
    if publicity is None:
        raise Http404
    publicity.case = case
    return publicity


@office_required
def publicity_detail(request, number: str):
    """The record: its text (editable until published) and what may be done with it."""
    publicity = _publicity_or_404(request, number)
    form = PublicityTextForm(request.POST or None, initial={"text": publicity.text})
    if request.method == "POST" and form.is_valid():
        try:
            publicity_services.publicity_edit(
                publicity=publicity, text=form.cleaned_data["text"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The text was saved."))
            return redirect("sv_case:publicity_detail", number=number)
    case = publicity.case
    context = {
        "publicity": publicity,
        "case": case,
        "form": form,
        "can_publish": policy.can(request.user, SupervisionAction.PUBLISH, case),
        "today": timezone.localdate(),
        "no_early_removal": bool(set(case.decisions or []) & services.NO_EARLY_REMOVAL),
    }
    return render(request, T + "publicity_detail.html", context, status=_status(form))


def _publicity_step(request, number: str, *, action: str, call, done: str):
    """GET: the confirmation; POST: the step, then back to the record."""
    publicity = _publicity_or_404(request, number)
    require(request.user, SupervisionAction.PUBLISH, publicity.case)
    if request.method == "POST":
        try:
            call(publicity=publicity, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("sv_case:publicity_detail", number=number)
    context = {"publicity": publicity, "case": publicity.case, "action": action}
    return render(request, T + "publicity_confirm.html", context)


@office_required
def publicity_publish(request, number: str):
    """On the public site."""
    return _publicity_step(
        request,
        number,
        action="publish",
        call=publicity_services.publicity_publish,
        done=_("The penalty was published."),
    )


@office_required
def publicity_withdraw(request, number: str):
    """Off the public site."""
    return _publicity_step(
        request,
        number,
        action="withdraw",
        call=publicity_services.publicity_withdraw,
        done=_("The record was withdrawn from the public site."),
    )


@office_required
def publicity_remove(request, number: str):
    """Early removal on the party's application: the conditions, then the removal."""
    publicity = _publicity_or_404(request, number)
    require(request.user, SupervisionAction.PUBLISH, publicity.case)
    form = EarlyRemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publicity_services.publicity_remove_early(
                publicity=publicity, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The record was removed from the public site."))
            return redirect("sv_case:publicity_detail", number=number)
    context = {"publicity": publicity, "case": publicity.case, "form": form}
    return render(request, T + "publicity_remove.html", context, status=_status(form))


# --- typical cases -------------------------------------------------------------------------------
@office_required
def typical_list(request):
    require(request.user, SupervisionAction.WORK)
    form = TypicalSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.typical_list(
        request.user, status=filters.get("status", ""), query=filters.get("q", "")
    )
    context = {
        "form": form,
        "page": paginate(request, qs),
        "writable": selectors.writable_cases(request.user)[:20],
    }
    return render(request, T + "typical_list.html", context)


def _typical_or_404(request, pk) -> TypicalCase:
    found = selectors.typical_for(request.user, pk)
    if found is None:
        raise Http404
    return found


def _typical_values(form) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in ("campaign", "domain", "title", "facts", "actions", "warning")}


@office_required
def typical_new(request):
    number = (request.GET.get("case") or "")[: selectors.CASE_NUMBER_MAX]
    case = _case_or_404(request, number)
    publicity = selectors.publicity_of(case)
    initial = {"facts": publicity.text if publicity else case.facts}
    form = TypicalForm(request.POST or None, region=case.region, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            typical = publicity_services.typical_create(
                case=case, acting_user=request.user, **_typical_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The write-up was saved as a draft."))
            return redirect("sv_case:typical_detail", pk=typical.pk)
    context = {"form": form, "case": case}
    return render(request, T + "typical_form.html", context, status=_status(form))


@office_required
def typical_edit(request, pk: int):
    typical = _typical_or_404(request, pk)
    initial = {
        "campaign": typical.campaign_id,
        "domain": typical.domain_id,
        "title": typical.title,
        "facts": typical.facts,
        "actions": typical.actions,
        "warning": typical.warning,
    }
    form = TypicalForm(request.POST or None, region=typical.case.region, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            publicity_services.typical_update(
                typical=typical, acting_user=request.user, **_typical_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The write-up was saved."))
            return redirect("sv_case:typical_detail", pk=typical.pk)
    context = {"form": form, "case": typical.case, "typical": typical}
    return render(request, T + "typical_form.html", context, status=_status(form))


@office_required
def typical_detail(request, pk: int):
    typical = _typical_or_404(request, pk)
    context = {
        "typical": typical,
        "case": typical.case,
        "can_approve": policy.can(request.user, SupervisionAction.APPROVE, typical),
        "return_form": ReturnForm(),
    }
    return render(request, T + "typical_detail.html", context)


@office_required
@require_POST
def typical_submit(request, pk: int):
    typical = _typical_or_404(request, pk)
    try:
        publicity_services.typical_submit(typical=typical, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The write-up was submitted for approval."))
    return redirect("sv_case:typical_detail", pk=typical.pk)


@office_required
def typical_approve(request, pk: int):
    """GET: the confirmation; POST: published."""
    typical = _typical_or_404(request, pk)
    require(request.user, SupervisionAction.APPROVE, typical)
    if request.method == "POST":
        try:
            publicity_services.typical_approve(typical=typical, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The typical case was published."))
        return redirect("sv_case:typical_detail", pk=typical.pk)
    return render(request, T + "typical_approve.html", {"typical": typical})


@office_required
def typical_return(request, pk: int):
    typical = _typical_or_404(request, pk)
    require(request.user, SupervisionAction.APPROVE, typical)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publicity_services.typical_return(
                typical=typical, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The write-up was returned to its writer."))
            return redirect("sv_case:typical_detail", pk=typical.pk)
    context = {"form": form, "typical": typical}
    return render(request, T + "typical_return.html", context, status=_status(form))


# --- public --------------------------------------------------------------------------------------
def public_penalties(request):
    form = PublicSearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    page = paginate(request, selectors.public_penalties(query=query), per_page=20)
    return render(request, T + "public_penalties.html", {"form": form, "page": page})


def public_typical(request):
    domain = (request.GET.get("domain") or "")[:40]
    page = paginate(request, selectors.public_typical(domain=domain), per_page=12)
    context = {"page": page, "domains": selectors.public_domains(), "domain": domain}
    return render(request, T + "public_typical.html", context)


def public_typical_detail(request, pk: int):
    typical = selectors.public_typical_one(pk)
    if typical is None:
        raise Http404
    return render(request, T + "public_typical_detail.html", {"typical": typical})
