"""The public side of complaints: file one, follow it, rate it, see the city's 关键小事 board."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.campaigns.selectors import campaign_for_request
from qualitymonth.complaints import selectors, services, tracking
from qualitymonth.complaints.forms import ComplaintForm, RatingForm, TrackForm
from qualitymonth.complaints.models import Complaint
from qualitymonth.complaints.services.intake import MAX_ATTACHMENTS
from qualitymonth.core import ratelimit
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.views import add_service_errors

SESSION_CASES = "qm_cases"  # tracking numbers this browser has proved it may follow
SUBMIT_LIMIT = (10, 3600)  # cases per address per hour
TRACK_LIMIT = (20, 600)  # lookups per address per ten minutes: the last four digits are a PIN


def _region(request):
    region = selectors.intake_region(campaign_for_request(request))
    if region is None:
        raise Http404(_("No city has been set up yet."))
    return region


def _remember(request, tracking_number: str) -> None:
    cases = [n for n in request.session.get(SESSION_CASES, []) if n != tracking_number]
    request.session[SESSION_CASES] = [tracking_number, *cases][:20]


def home(request):
    region = _region(request)
    return render(
        request,
        "complaints/home.html",
        {
            "region": region,
            "totals": selectors.board_totals(region),
            "track_form": TrackForm(),
            "kinds": Complaint.Kind.choices,
            "my_cases": _my_cases(request),
        },
    )


def _my_cases(request) -> list[Complaint]:
    """Cases of the signed-in account, and those this browser filed or looked up."""
    numbers = request.session.get(SESSION_CASES, [])
    qs = Complaint.objects.filter(tracking_number__in=numbers)
    if request.user.is_authenticated:
        qs = qs | Complaint.objects.filter(user=request.user)
    return list(qs.select_related("unit").order_by("-received_at")[:20])


def _joinable(request, region) -> Complaint | None:
    number = (request.POST.get("join") or request.GET.get("join") or "").strip()
    if not re.fullmatch(
        r"[0-9]{1,20}", number
    ):  # tracking numbers are digits; nothing else is looked up
        return None
    case = Complaint.objects.filter(
        region=region, tracking_number=number, status__in=Complaint.OPEN_STATUSES
    ).first()
    return case


@body_limit(lambda request: MAX_ATTACHMENTS * settings.QM_COMPLAINT_ATTACHMENT_MAX_MB)
@require_http_methods(["GET", "POST"])
def new(request):
    region = _region(request)
    join = _joinable(request, region)
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES, region=region)
        if not ratelimit.allow(
            f"complaint:{ratelimit.client_key(request)}",
            limit=SUBMIT_LIMIT[0],
            window=SUBMIT_LIMIT[1],
        ):
            form.is_valid()
            form.add_error(None, _("Too many cases from this connection. Try again in an hour."))
        elif form.is_valid():
            try:
                case = services.complaint_submit(
                    data=form.case_input(), region=region, user=request.user, join=join
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _remember(request, case.tracking_number)
                return redirect("complaints:submitted", tracking_number=case.tracking_number)
        if request.FILES:
            # Browsers cannot put a chosen file back into a form: say so, keep everything else.
            messages.warning(request, _("Please choose your photos or files again."))
    else:
        initial = {"kind": request.GET.get("kind") or Complaint.Kind.COMPLAINT}
        if join:
            initial.update(
                respondent_name=join.respondent_name,
                respondent_address=join.respondent_address,
                join=join.tracking_number,
                kind=join.kind,
            )
        form = ComplaintForm(initial=initial, region=region)
    return render(request, "complaints/new.html", {"form": form, "join": join})


def similar(request):
    """htmx: open cases about the business being typed, to join instead of filing anew."""
    region = _region(request)
    name = (request.GET.get("respondent_name") or "").strip()[:200]
    cases = selectors.similar_open_cases(region_id=region.pk, respondent_name=name) if name else []
    return render(request, "complaints/_similar.html", {"cases": cases, "name": name})


def submitted(request, tracking_number: str):
    if tracking_number not in request.session.get(SESSION_CASES, []):
        return redirect("complaints:track")
    case = Complaint.objects.select_related("unit").filter(tracking_number=tracking_number).first()
    if case is None:
        raise Http404
    return render(request, "complaints/submitted.html", {"case": case})


@require_http_methods(["GET", "POST"])
def track(request):
    form = TrackForm(request.POST or None, initial={"tracking_number": request.GET.get("n", "")})
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(
            f"track:{ratelimit.client_key(request)}", limit=TRACK_LIMIT[0], window=TRACK_LIMIT[1]
        ):
            form.add_error(None, _("Too many attempts. Wait ten minutes and try again."))
        else:
            try:
                case = tracking.case_by_pin(
                    form.cleaned_data["tracking_number"], form.cleaned_data["mobile_last4"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if case is None:
                    form.add_error(
                        None, _("No case matches this tracking number and these four digits.")
                    )
                else:
                    _remember(request, case.tracking_number)
                    return redirect("complaints:case", tracking_number=case.tracking_number)
    return render(request, "complaints/track.html", {"form": form})


def _may_follow(request, case: Complaint) -> bool:
    return case.tracking_number in request.session.get(SESSION_CASES, []) or (
        request.user.is_authenticated and case.user_id == request.user.pk
    )


def _own_case(request, tracking_number: str) -> Complaint:
    case = (
        Complaint.objects.select_related("unit", "district")
        .filter(tracking_number=tracking_number)
        .first()
    )
    if case is None or not _may_follow(request, case):
        raise Http404
    return case


def case(request, tracking_number: str):
    try:
        complaint = _own_case(request, tracking_number)
    except Http404:
        return redirect(f"{reverse('complaints:track')}?n={tracking_number[:20]}")
    return render(
        request,
        "complaints/case.html",
        {
            "case": complaint,
            "events": selectors.public_events(complaint),
            "rating_form": RatingForm(),
            "can_rate": complaint.status in Complaint.FINISHED_STATUSES
            and complaint.satisfaction is None,
        },
    )


@require_POST
def rate(request, tracking_number: str):
    complaint = _own_case(request, tracking_number)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_rate(
                complaint=complaint,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("complaints:case", tracking_number=tracking_number)
    return render(
        request,
        "complaints/case.html",
        {
            "case": complaint,
            "events": selectors.public_events(complaint),
            "rating_form": form,
            "can_rate": complaint.satisfaction is None,
        },
        status=400,
    )


def board(request):
    """The public 关键小事 board: the problems many people raised and what came of them. No
    names of people; businesses only through the office's public title."""
    region = _region(request)
    return render(
        request,
        "complaints/board.html",
        {
            "region": region,
            "rows": selectors.public_board(region, days=90, limit=10),
            "totals": selectors.board_totals(region),
        },
    )
