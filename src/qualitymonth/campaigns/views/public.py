"""The public site: campaign home, calendar, activity pages, registration and tickets."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.campaigns import panels, participation_selectors, selectors, services
from qualitymonth.campaigns.documents import activities_ical, attendance_certificate_pdf
from qualitymonth.campaigns.forms import CalendarFilterForm, RegistrationForm, SurveyForm
from qualitymonth.campaigns.models import Activity, Campaign, Registration
from qualitymonth.campaigns.services.registrations import waitlist_rank
from qualitymonth.core import ratelimit
from qualitymonth.core.documents import qr_svg_data_uri
from qualitymonth.core.models import Unit
from qualitymonth.core.validators import normalize_mobile
from qualitymonth.core.views import add_service_errors, paginate, render_partial
from qualitymonth.showcase.selectors import weekly_picks

SESSION_TICKETS = "qm_tickets"
# How long a registration form's one-time key leads back to the ticket it created.
SUBMISSION_TTL = 30 * 60


# A chosen city is remembered for a year: a preference, like the language, not personal data.
CITY_COOKIE_MAX_AGE = 365 * 24 * 3600


def _campaign_or_404(request, slug: str | None) -> Campaign:
    if slug:
        return get_object_or_404(
            Campaign.objects.select_related("region", "lead_unit"), slug=slug, is_published=True
        )
    campaign = selectors.campaign_for_request(request)
    if campaign is None:
        raise Http404(_("No campaign has been set up yet."))
    return campaign


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def home(request, slug: str | None = None):
    if slug:
        campaign = _campaign_or_404(request, slug)
        several = selectors.city_count() > 1
        response = _home(request, campaign, several_cities=several)
        if several:
            # Opening a city's campaign is choosing that city: the menu's links follow it.
            _remember_city(response, campaign.region.code)
        return response
    response = _home_of_request_city(request)
    # `/` answers by the chosen city's cookie (and by host, which caches key on anyway).
    patch_vary_headers(response, ["Cookie"])
    return response


def _home_of_request_city(request):
    city = selectors.request_city(request)
    campaign = selectors.current_campaign(city) if city else None
    if campaign is not None:
        return _home(request, campaign)
    cities = selectors.city_campaigns()
    if len(cities) > 1:
        return render(request, "campaigns/city_choice.html", {"cities": cities})
    if not cities:
        raise Http404(_("No campaign has been set up yet."))
    # One city: its running campaign, else its latest — what current_campaign() gives.
    return _home(request, cities[0], several_cities=False)


def cities(request):
    """The city chooser, always reachable (the "switch city" link)."""
    context = {"cities": selectors.city_campaigns(), "current": selectors.request_city(request)}
    return render(request, "campaigns/city_choice.html", context)


def city_home(request, code: str):
    """A city's own address: its campaign home; visiting it remembers the choice for `/`."""
    campaign = selectors.current_campaign(code)
    if campaign is None:
        # Not a dead end: the cities there are, with the reason, and a 404 for crawlers.
        context = {"cities": selectors.city_campaigns(), "unknown_city": True}
        return render(request, "campaigns/city_choice.html", context, status=404)
    response = _home(request, campaign)
    _remember_city(response, code)
    return response


def _remember_city(response, code: str) -> None:
    response.set_cookie(
        selectors.CITY_COOKIE,
        code,
        max_age=CITY_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _home(request, campaign: Campaign, *, several_cities: bool | None = None):
    now = timezone.now()
    upcoming = list(
        selectors.public_activities(campaign=campaign).filter(
            ends_at__gte=now, status=Activity.Status.PUBLISHED
        )[:6]
    )
    if several_cities is None:
        several_cities = selectors.city_count() > 1
    context = {
        "campaign": campaign,
        "several_cities": several_cities,
        "counts": selectors.campaign_counts(campaign),
        "focus_areas": campaign.focus_areas.annotate(
            activity_count=Count(
                "activities", filter=Q(activities__status__in=Activity.PUBLIC_STATUSES)
            )
        ),
        "domains": campaign.domains.annotate(
            activity_count=Count(
                "activities", filter=Q(activities__status__in=Activity.PUBLIC_STATUSES)
            )
        ),
        "co_organisers": campaign.co_organisers.all(),
        "participants": participation_selectors.participants(campaign),
        "can_join": campaign.ends_on >= timezone.localdate(),
        "upcoming": upcoming,
        # This city's other years: another city's campaign is not one of "past campaigns".
        "other_campaigns": Campaign.objects.filter(is_published=True, region=campaign.region)
        .exclude(pk=campaign.pk)
        .order_by("-year")[:5],
        "science_picks": weekly_picks(),
        "panels": panels.rendered_for(campaign),
    }
    return render(request, "campaigns/home.html", context)


def calendar(request, slug: str | None = None):
    campaign = _campaign_or_404(request, slug)
    form = CalendarFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        # Keep the valid filters; say what was ignored.
        filters = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    activities = selectors.public_activities(campaign=campaign, filters=filters)
    view = request.GET.get("view", "list")
    context = {
        "campaign": campaign,
        "several_cities": selectors.city_count() > 1,
        "form": form,
        # Whether an empty list is the filters' doing or the campaign has nothing published yet.
        "filtered": any(value for name, value in filters.items() if name != "month"),
        "view": "month" if view == "month" else "list",
        "focus_areas": campaign.focus_areas.all(),
        "domains": campaign.domains.all(),
        "units": Unit.objects.filter(activities__campaign=campaign).distinct().order_by("name"),
        "districts": campaign.region.children.all(),
        "kinds": Activity.Kind.choices,
    }
    if context["view"] == "month":
        month = filters.get("month") or _default_month(campaign)
        context["month"] = month
        context["weeks"] = selectors.month_grid(activities=activities, month=month)
        # Seven columns are unreadable on a phone: the same days, as a list, replace the grid
        # there (CSS picks which one shows; no extra query).
        context["agenda"] = [
            day for week in context["weeks"] for day in week if day.in_month and day.activities
        ]
        context["weekday_names"] = [WEEKDAYS_ABBR[i] for i in range(7)]
        context["prev_month"] = (month.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
        context["next_month"] = (month.replace(day=28) + dt.timedelta(days=4)).strftime("%Y-%m")
    else:
        context["page"] = paginate(request, activities, per_page=20)
    return render_partial(request, "campaigns/calendar.html", "results", context)


def _default_month(campaign: Campaign) -> dt.date:
    today = timezone.localdate()
    if campaign.starts_on <= today <= campaign.ends_on:
        return today.replace(day=1)
    return campaign.starts_on.replace(day=1)


def activity_detail(request, pk: int):
    activity = get_object_or_404(
        selectors.with_seat_counts(
            Activity.objects.filter(status__in=Activity.PUBLIC_STATUSES).select_related(
                "campaign", "organiser", "district", "focus_area"
            )
        ),
        pk=pk,
    )
    context = _register_context(activity, RegistrationForm(initial=_initial_registrant(request)))
    return render(request, "campaigns/activity_detail.html", context)


def _initial_registrant(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name() or user.get_username()}


@require_http_methods(["GET", "POST"])
def register(request, pk: int):
    activity = get_object_or_404(
        selectors.with_seat_counts(
            Activity.objects.filter(status__in=Activity.PUBLIC_STATUSES).select_related("campaign")
        ),
        pk=pk,
    )
    form = RegistrationForm(request.POST or None, initial=_initial_registrant(request))
    if request.method == "POST" and not ratelimit.allow(
        f"register:{ratelimit.client_key(request)}", limit=20, window=60
    ):
        form.is_valid()
        form.add_error(
            None,
            _("Too many registrations from this connection. Please wait a minute and try again."),
        )
        return render(
            request, "campaigns/register.html", _register_context(activity, form), status=429
        )
    if request.method == "POST" and form.is_valid():
        submission = request.POST.get("submission", "")[:64]
        try:
            with transaction.atomic():
                registration = services.registration_create(
                    activity=activity, user=request.user, **form.cleaned_data
                )
                # Before the commit: a second click waits on the activity's lock, then finds it.
                if submission:
                    cache.set(
                        _submission_key(activity, submission), registration.token, SUBMISSION_TTL
                    )
        except ValidationError as error:
            existing = _own_duplicate(request, activity, form.cleaned_data["mobile"], error)
            if existing is not None:
                # A double click (or the form sent again): land on the ticket, not the form
                # whose address is no ticket at all.
                _remember_ticket(request, existing)
                messages.info(
                    request, _("You are already registered for this activity: this is your ticket.")
                )
                return redirect(existing)
            add_service_errors(form, error)
        else:
            _remember_ticket(request, registration)
            if registration.status == Registration.Status.WAITLISTED:
                messages.warning(
                    request,
                    _(
                        "The activity is full: you are on the wait list and will get a seat automatically when one frees."
                    ),
                )
            else:
                messages.success(request, _("You are registered. Show this ticket at the door."))
            return redirect(registration)
    return render(
        request,
        "campaigns/register.html",
        _register_context(activity, form),
        status=400 if form.errors else 200,
    )


def _remember_ticket(request, registration: Registration) -> None:
    tickets = [t for t in request.session.get(SESSION_TICKETS, []) if t != registration.token]
    request.session[SESSION_TICKETS] = [registration.token, *tickets][:50]


def _submission_key(activity: Activity, submission: str) -> str:
    digest = hashlib.sha256(submission.encode()).hexdigest()
    return f"register-submission:{activity.pk}:{digest}"


def _own_duplicate(request, activity: Activity, mobile: str, error: ValidationError):
    """The active registration this same person already holds for this mobile, or None.

    Only the one who made it gets it back: through this browser's session, the signed-in
    account, or the one-time key of the form it was sent from (a double click sends the second
    request before the first one's session cookie arrives). Knowing someone's number is not enough.
    """
    codes = {item.code for items in getattr(error, "error_dict", {}).values() for item in items}
    if "duplicate" not in codes:
        return None
    existing = Registration.objects.filter(
        activity=activity,
        mobile=normalize_mobile(mobile),
        status__in=Registration.ACTIVE_STATUSES,
    ).first()
    if existing is None:
        return None
    submission = request.POST.get("submission", "")[:64]
    if (
        existing.token in request.session.get(SESSION_TICKETS, [])
        or (request.user.is_authenticated and existing.user_id == request.user.pk)
        or (submission and cache.get(_submission_key(activity, submission)) == existing.token)
    ):
        return existing
    return None


def _register_context(activity: Activity, form: RegistrationForm) -> dict:
    return {
        # One key per rendered form: its repeated submissions are the same person's.
        "submission": secrets.token_urlsafe(18),
        "activity": activity,
        "campaign": activity.campaign,
        "form": form,
        "registration_state": activity.registration_state(),
        "seats_left": max((activity.capacity or 0) - activity.confirmed_count, 0),
    }


def _registration_by_token(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related(
            "activity__campaign", "activity__organiser", "activity__district"
        ),
        token=token,
    )


def _checkin_url(request, registration: Registration) -> str:
    return _base_url(request) + reverse("office:checkin_code", args=[registration.ticket_code])


def ticket(request, token: str):
    registration = _registration_by_token(token)
    activity = registration.activity
    survey_open = bool(registration.checked_in_at) and not hasattr(registration, "survey")
    context = {
        "registration": registration,
        "activity": activity,
        "campaign": activity.campaign,
        "qr": qr_svg_data_uri(_checkin_url(request, registration)),
        "waitlist_rank": waitlist_rank(registration),
        "can_cancel": _can_cancel(registration),
        "certificate_ready": _certificate_ready(registration),
        "survey_form": SurveyForm() if survey_open else None,
    }
    return render(request, "campaigns/ticket.html", context)


def _can_cancel(registration: Registration) -> bool:
    return (
        registration.is_active
        and not registration.checked_in_at
        and registration.activity.phase() != "ended"
    )


def _certificate_ready(registration: Registration) -> bool:
    activity = registration.activity
    return bool(
        registration.checked_in_at
        and activity.has_offline_part
        and (activity.status == Activity.Status.COMPLETED or activity.phase() == "ended")
    )


@require_http_methods(["GET", "POST"])
def ticket_cancel(request, token: str):
    registration = _registration_by_token(token)
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Your registration is cancelled; the seat goes to the next person waiting."),
            )
        return redirect(registration)
    return render(
        request,
        "campaigns/ticket_cancel.html",
        {
            "registration": registration,
            "activity": registration.activity,
            "campaign": registration.activity.campaign,
            "can_cancel": _can_cancel(registration),
        },
    )


def ticket_certificate(request, token: str):
    registration = _registration_by_token(token)
    if not _certificate_ready(registration):
        messages.error(
            request,
            _(
                "The certificate is available after the offline activity, to participants who were checked in."
            ),
        )
        return redirect(registration)
    pdf = attendance_certificate_pdf(
        registration, verify_url=_base_url(request) + registration.get_absolute_url()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{registration.ticket_code}.pdf"'
    )
    return response


@require_POST
def ticket_survey(request, token: str):
    registration = _registration_by_token(token)
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            services.survey_submit(registration=registration, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for your answers."))
        return redirect(registration)
    messages.error(request, _("Please answer all three questions."))
    return redirect(registration)


def my_tickets(request):
    tokens = request.session.get(SESSION_TICKETS, [])
    qs = Registration.objects.select_related("activity")
    if request.user.is_authenticated:
        qs = qs.filter(Q(token__in=tokens) | Q(user=request.user))
    else:
        qs = qs.filter(token__in=tokens)
    return render(
        request, "campaigns/my_tickets.html", {"registrations": qs.order_by("-created_at")[:50]}
    )


def _ical_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def activity_ics(request, pk: int):
    activity = get_object_or_404(
        Activity.objects.filter(status__in=Activity.PUBLIC_STATUSES).select_related(
            "organiser", "district"
        ),
        pk=pk,
    )
    return _ical_response(
        activities_ical([activity], name=activity.title, base_url=_base_url(request)),
        f"activity-{pk}.ics",
    )


def campaign_ics(request, slug: str):
    campaign = _campaign_or_404(request, slug)
    activities = Activity.objects.filter(
        campaign=campaign, status__in=Activity.PUBLIC_STATUSES
    ).select_related("organiser", "district")
    name = f"{campaign.year}{campaign.region.name}质量月"
    return _ical_response(
        activities_ical(activities, name=name, base_url=_base_url(request)), f"{slug}.ics"
    )
