"""The dashboard's filters: one form reads them for the pages, the exports, the large screen's
data and the API, so a value is judged the same way everywhere."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.core.figures import Filters
from qualitymonth.core.forms import Form
from qualitymonth.dashboard import selectors

DATE_FORMATS = ["%Y-%m-%d"]
# The query names of the filters (Filters.as_query writes the same ones).
FILTER_FIELDS = ("unit", "district", "domain", "focus_area", "from", "to")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def _choices(items, label) -> list[tuple[str, str]]:
    return [("", pgettext_lazy("filter", "All"))] + [(str(item.pk), label(item)) for item in items]


class DashboardFilterForm(Form):
    """unit, district, domain, focus area and dates. Choices are ids of the campaign's own
    small lists (a unit person is offered their own units only), so nothing a client sends
    reaches a query but an id from these lists."""

    def __init__(self, data, *, campaign, units):
        super().__init__(data)
        self.campaign = campaign
        self.fields["unit"] = forms.TypedChoiceField(
            label=_("Unit"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=_choices(units, lambda u: u.display_name),
        )
        self.fields["district"] = forms.TypedChoiceField(
            label=_("District"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=_choices(selectors.districts(campaign), lambda r: r.localized_name),
        )
        self.fields["domain"] = forms.TypedChoiceField(
            label=_("Domain"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=_choices(campaign.domains.order_by("order", "pk"), lambda d: d.localized_name),
        )
        self.fields["focus_area"] = forms.TypedChoiceField(
            label=_("Focus area"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=_choices(
                campaign.focus_areas.order_by("order", "pk"), lambda f: f.localized_name
            ),
        )
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
        )
        self.fields["to"] = forms.DateField(
            label=_("To"),
            required=False,
            input_formats=DATE_FORMATS,
            widget=DateInput(),
            help_text=_(
                "Activities are chosen by the day they start; registrations, answers, "
                "complaints and the rest are counted on the days chosen."
            ),
        )

    def clean(self):
        cleaned = super().clean()
        # Dates a year either side of the campaign at most: anything further counts nothing
        # and is a typo (0001-01-01, 9999-12-31).
        earliest = self.campaign.starts_on - datetime.timedelta(days=366)
        latest = self.campaign.ends_on + datetime.timedelta(days=366)
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day is not None and not earliest <= day <= latest:
                self.add_error(
                    name,
                    _("Choose a date between %(earliest)s and %(latest)s.")
                    % {"earliest": f"{earliest:%Y-%m-%d}", "latest": f"{latest:%Y-%m-%d}"},
                )
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end date comes before the start date."))
        return cleaned

    def filters(self) -> Filters:
        """The filters that are valid; a refused one is left out (its error is on the form)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        values = {name: self.cleaned_data.get(name) for name in FILTER_FIELDS}
        return Filters(
            unit_id=values["unit"],
            district_id=values["district"],
            domain_id=values["domain"],
            focus_area_id=values["focus_area"],
            date_from=values["from"],
            date_to=values["to"],
        )

    def field_errors(self) -> dict[str, list[str]]:
        return {name: [str(m) for m in messages] for name, messages in self.errors.items()}
