"""The campaign office's page for working-day overrides: next year's holidays and adjusted
working weekends, entered when the State Council publishes them, without the Django admin."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from qualitymonth.core import services_workdays as services
from qualitymonth.core.forms import Form
from qualitymonth.core.models import WorkdayOverride
from qualitymonth.core.permissions import Action
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.core.workdays import KNOWN_FIRST_YEAR, KNOWN_LAST_YEAR, uncertain_years

PER_PAGE = 50


class WorkdayOverrideForm(Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("This day is"),
        choices=[
            ("0", gettext_lazy("a day off (holiday)")),
            ("1", gettext_lazy("a working day (adjusted weekend)")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("e.g. 国庆节 or 调休上班"),
        widget=forms.TextInput(attrs={"maxlength": services.NAME_MAX}),
    )


class YearFilterForm(Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", gettext_lazy("All years"))] + [
            (str(y), str(y)) for y in years
        ]


def _years() -> list[int]:
    """The years with overrides, and this year and the next (the ones the office fills in)."""
    this_year = timezone.localdate().year
    stored = WorkdayOverride.objects.dates("date", "year")
    return sorted({day.year for day in stored} | {this_year, this_year + 1}, reverse=True)


@office_required
def workday_list(request):
    require(request.user, Action.WORKDAYS_MANAGE)
    years = _years()
    form = YearFilterForm(request.GET or None, years=years)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    overrides = WorkdayOverride.objects.order_by("date")
    if year:
        overrides = overrides.filter(date__year=year)
    this_year = timezone.localdate().year
    return render(
        request,
        "core/office/workdays.html",
        {
            "form": form,
            "year": year,
            "page": paginate(request, overrides, PER_PAGE),
            "known_first": KNOWN_FIRST_YEAR,
            "known_last": KNOWN_LAST_YEAR,
            "missing_years": uncertain_years(
                dt.date(this_year, 1, 1), dt.date(this_year + 1, 12, 31)
            ),
        },
    )


def _saved(request, override: WorkdayOverride) -> None:
    messages.success(
        request,
        _("Saved: deadlines now count %(date)s this way.") % {"date": override.date.isoformat()},
    )


def _back_to_year(override: WorkdayOverride):
    return redirect(reverse("office_workdays:list") + f"?year={override.date.year}")


@office_required
@require_http_methods(["GET", "POST"])
def workday_new(request):
    return _workday_form(request, None)


@office_required
@require_http_methods(["GET", "POST"])
def workday_edit(request, pk: int):
    return _workday_form(request, get_object_or_404(WorkdayOverride, pk=pk))


def _workday_form(request, override: WorkdayOverride | None):
    """The one form of a new or a changed override."""
    require(request.user, Action.WORKDAYS_MANAGE)
    if override is None:
        initial = {"date": request.GET.get("date")}
    else:
        initial = {
            "date": override.date,
            "is_workday": "1" if override.is_workday else "0",
            "name": override.name,
        }
    form = WorkdayOverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if override is None:
                override = services.workday_override_create(
                    acting_user=request.user, **form.cleaned_data
                )
            else:
                services.workday_override_update(
                    override=override, acting_user=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _saved(request, override)
            return _back_to_year(override)
    return render(
        request,
        "core/office/workday_form.html",
        {"form": form, "override": override},
        status=400 if form.errors else 200,
    )


@office_required
@require_http_methods(["GET", "POST"])
def workday_delete(request, pk: int):
    require(request.user, Action.WORKDAYS_MANAGE)
    override = get_object_or_404(WorkdayOverride, pk=pk)
    if request.method == "POST":
        services.workday_override_delete(override=override, acting_user=request.user)
        messages.success(
            request,
            _("Removed: %(date)s follows the official calendar again.")
            % {"date": override.date.isoformat()},
        )
        return _back_to_year(override)
    return render(request, "core/office/workday_confirm_delete.html", {"override": override})
