"""The GB/T 19580 self-assessment's pages. An enterprise's members score their enterprise per
year, submit it after a confirmation, and read it with the radar against their industry and the
history; the office and the experts list what was handed in, review it and (the office) reopen
it. One detail template serves both, with the steps the person may take."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.views import add_service_errors, office_required, paginate
from qualitymonth.enterprises import excellence_selectors as selectors
from qualitymonth.enterprises.charts import Series, radar_svg
from qualitymonth.enterprises.excellence_forms import (
    ReopenForm,
    ReviewForm,
    SelfAssessmentFilterForm,
    SelfAssessmentForm,
)
from qualitymonth.enterprises.excellence_permissions import ExcellenceAction
from qualitymonth.enterprises.models import EXCELLENCE_POINTS, Enterprise, SelfAssessment
from qualitymonth.enterprises.services import excellence as services

S = SelfAssessment.Status
OWN_COLOUR = "#c0392b"
AVERAGE_COLOUR = "#2471a3"


def _assessment_or_404(request, pk) -> SelfAssessment:
    found = selectors.assessment_for(request.user, pk)
    if found is None:
        raise Http404  # someone else's assessment is not this person's to know of
    return found


def _my_enterprise_or_404(request, enterprise_id) -> Enterprise:
    found = (
        selectors.enterprises_of(request.user)
        .select_related("region")
        .filter(pk=enterprise_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- the enterprise -----------------------------------------------------------------------------
@login_required
def mine(request):
    enterprises = list(
        selectors.enterprises_of(request.user).prefetch_related("self_assessments__scores")
    )
    groups = [
        (e, selectors.history(sorted(e.self_assessments.all(), key=lambda a: -a.year)))
        for e in enterprises
    ]
    return render(
        request,
        "enterprises/excellence/mine.html",
        {"groups": groups, "years": services.assessment_years()[:6]},
    )


@login_required
def start(request, enterprise_id: str):
    """The year chosen on the list page: that year's form."""
    enterprise = _my_enterprise_or_404(request, enterprise_id)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    if year not in services.assessment_years():
        messages.error(request, _("Choose a year from the list."))
        return redirect("excellence:mine")
    return redirect("excellence:edit", enterprise_id=enterprise.pk, year=year)


@login_required
def edit(request, enterprise_id: str, year: str):
    enterprise = _my_enterprise_or_404(request, enterprise_id)
    year = int(year)
    if year not in services.assessment_years():
        raise Http404
    assessment = enterprise.self_assessments.prefetch_related("scores").filter(year=year).first()
    if assessment is not None and assessment.status != S.DRAFT:
        messages.info(
            request, _("This self-assessment was submitted; it can no longer be changed.")
        )
        return redirect("excellence:detail", pk=assessment.pk)
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST)
        if form.is_valid():
            try:
                saved = services.self_assessment_save(
                    enterprise=enterprise, year=year, scores=form.scores(), acting_user=request.user
                )
            except PermissionDenied as denied:
                raise DjangoPermissionDenied from denied
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("excellence:detail", pk=saved.pk)
    else:
        form = SelfAssessmentForm(initial=SelfAssessmentForm.initial_for(assessment))
    context = {"form": form, "enterprise": enterprise, "year": year, "assessment": assessment}
    return render(
        request,
        "enterprises/excellence/edit.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
def submit(request, pk: str):
    """GET: the confirmation (what is handed in, that it cannot be changed after); POST: hand in."""
    assessment = _assessment_or_404(request, pk)
    if not assessment.enterprise.members.filter(user=request.user).exists():
        raise Http404  # the office and the experts read it; only its members hand it in
    if assessment.status != S.DRAFT:
        messages.info(request, _("This self-assessment was already submitted."))
        return redirect("excellence:detail", pk=assessment.pk)
    if request.method == "POST":
        try:
            services.self_assessment_submit(assessment=assessment, acting_user=request.user)
        except PermissionDenied as denied:
            raise DjangoPermissionDenied from denied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(
                "excellence:edit", enterprise_id=assessment.enterprise_id, year=assessment.year
            )
        messages.success(request, _("The self-assessment was submitted for review."))
        return redirect("excellence:detail", pk=assessment.pk)
    scores = list(assessment.scores.all())
    return render(
        request,
        "enterprises/excellence/submit.html",
        {
            "assessment": assessment,
            "total": selectors.total(scores),
            "complete": len(scores) == len(selectors.CATEGORIES),
        },
    )


# --- the page everyone who may see it reads -----------------------------------------------------
def detail_context(request, assessment: SelfAssessment, **forms) -> dict:
    user = request.user
    scores = selectors.by_category(assessment.scores.all())
    average = selectors.comparison_average(assessment)
    rows = []
    for category in selectors.CATEGORIES:
        row = scores.get(category)
        rows.append(
            {
                "category": category,
                "label": selectors.SHORT_LABELS[category],
                "points": EXCELLENCE_POINTS[category],
                "row": row,
                "final": row.final_score if row else None,
                "average": average.values.get(category),
            }
        )
    points = selectors.total(scores.values())
    series = [
        Series(
            name=_("%(year)s self-assessment") % {"year": assessment.year},
            values=[r["final"] for r in rows],
            stroke=OWN_COLOUR,
            fill=OWN_COLOUR,
        )
    ]
    if average.count:
        series.append(
            Series(
                name=_("Industry average"),
                values=[r["average"] for r in rows],
                stroke=AVERAGE_COLOUR,
                fill=AVERAGE_COLOUR,
                dashed=True,
            )
        )
    radar = radar_svg(
        labels=[str(r["label"]) for r in rows],
        maxima=[r["points"] for r in rows],
        series=series,
        title=_("Score per category, as a percentage of its points"),
    )
    enterprise = assessment.enterprise
    member = enterprise.members.filter(user=user).exists()
    office = policy.office_covers(user, enterprise.region)
    past = selectors.enterprise_assessments(enterprise)
    if not (member or office):  # experts and the steward read what was handed in
        past = [a for a in past if a.status != S.DRAFT]
    may_review = assessment.status == S.SUBMITTED and policy.can(
        user, ExcellenceAction.REVIEW, assessment
    )
    may_reopen = assessment.status in (S.SUBMITTED, S.REVIEWED) and policy.can(
        user, ExcellenceAction.REOPEN, assessment
    )
    context = {
        "assessment": assessment,
        "enterprise": enterprise,
        "rows": rows,
        "total": points,
        "band": selectors.band(points),
        "band_note": selectors.BAND_NOTE,
        "total_points": selectors.TOTAL_POINTS,
        "average": average,
        "radar": mark_safe(radar),  # built by charts.radar_svg, every text escaped
        "history": selectors.history(past),
        "categories": [selectors.SHORT_LABELS[c] for c in selectors.CATEGORIES],
        "member": member,
        "may_edit": assessment.status == S.DRAFT and member,
        "may_review": may_review,
        "may_reopen": may_reopen,
        "back_office": bool(forms.pop("back_office", False)),
    }
    if may_review:
        form = forms.get("review_form")
        if form is None:
            form = ReviewForm(
                initial={
                    **{f"{c}_adjusted": r.adjusted_score for c, r in scores.items()},
                    **{f"{c}_note": r.adjust_note for c, r in scores.items()},
                }
            )
        context["review_form"] = form
        context["review_rows"] = [(r, *form.field_pairs()[r["category"].value]) for r in rows]
    if may_reopen:
        context["reopen_form"] = forms.get("reopen_form") or ReopenForm()
    return context


@login_required
def detail(request, pk: str):
    assessment = _assessment_or_404(request, pk)
    return render(
        request, "enterprises/excellence/detail.html", detail_context(request, assessment)
    )


# --- the office and the experts -----------------------------------------------------------------
def _office_or_expert(request) -> None:
    if not policy.can(request.user, ExcellenceAction.VIEW, None):
        raise Http404


@login_required
def office_list(request):
    _office_or_expert(request)
    form = SelfAssessmentFilterForm(request.GET or None)
    page = paginate(
        request, selectors.office_assessments(request.user, form.filters()), per_page=30
    )
    for assessment in page:
        assessment.band = selectors.band(assessment.total_points)
    return render(request, "enterprises/excellence/office_list.html", {"form": form, "page": page})


@login_required
def office_detail(request, pk: str):
    assessment = _assessment_or_404(request, pk)
    return render(
        request,
        "enterprises/excellence/detail.html",
        detail_context(request, assessment, back_office=True),
    )


@login_required
@require_POST
def review(request, pk: str):
    assessment = _assessment_or_404(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.self_assessment_review(
                assessment=assessment,
                adjustments=form.adjustments(),
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except PermissionDenied as denied:
            raise DjangoPermissionDenied from denied
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_transition":
                messages.error(request, " ".join(error.messages))
                return redirect("excellence_office:detail", pk=assessment.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review was saved; the enterprise is told."))
            return redirect("excellence_office:detail", pk=assessment.pk)
    if not policy.can(request.user, ExcellenceAction.REVIEW, assessment):
        raise DjangoPermissionDenied
    return render(
        request,
        "enterprises/excellence/detail.html",
        detail_context(request, assessment, back_office=True, review_form=form),
        status=400,
    )


@office_required
@require_POST
def reopen(request, pk: str):
    assessment = _assessment_or_404(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.self_assessment_reopen(
                assessment=assessment, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_transition":
                messages.error(request, " ".join(error.messages))
                return redirect("excellence_office:detail", pk=assessment.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The self-assessment was reopened as a draft."))
            return redirect("excellence_office:detail", pk=assessment.pk)
    if not policy.can(request.user, ExcellenceAction.REOPEN, assessment):
        raise DjangoPermissionDenied
    return render(
        request,
        "enterprises/excellence/detail.html",
        detail_context(request, assessment, back_office=True, reopen_form=form),
        status=400,
    )
