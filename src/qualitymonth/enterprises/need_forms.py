"""Forms of the one-stop service. They check the shape of the input; the services decide (who
may, the state, the files' content, the fees)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region
from qualitymonth.enterprises import need_selectors
from qualitymonth.enterprises.models import Enterprise, Need, Provider, ServiceType
from qualitymonth.enterprises.services import needs as services


class NeedFileForm(Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    service_type = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceType.objects.filter(is_active=True)
    )
    description = forms.CharField(
        label=_("What is needed"),
        max_length=services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The problem, what you have tried, and anything the provider should know."),
    )
    products = forms.CharField(
        label=_("Products or instruments concerned"),
        max_length=services.PRODUCTS_MAX,
        required=False,
    )
    wished_from = forms.DateField(
        label=_("Wished from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    wished_until = forms.DateField(
        label=_("Wished until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    public_consent = forms.BooleanField(
        label=_("The enterprise may be named in the public results"), required=False
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        only = list(enterprises[:2])
        if len(only) == 1:
            self.fields["enterprise"].initial = only[0].pk
        # The catalogue grouped by category (an <optgroup> each).
        self.fields["service_type"].choices = [
            ("", "---------"),
            *[
                (str(label), [(t.pk, t.localized_name) for t in types])
                for label, types in need_selectors.catalogue()
            ],
        ]


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DispatchForm(Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    reason = forms.CharField(
        label=_("Reason for another provider than suggested"),
        max_length=services.REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        suggestions = list(suggestions)
        self.fields["provider"].queryset = Provider.objects.filter(
            pk__in=[p.pk for p in suggestions]
        )
        self.fields["provider"].choices = [(p.pk, _provider_label(p)) for p in suggestions]
        if suggestions and not self.is_bound:
            self.fields["provider"].initial = suggestions[0].pk


def _provider_label(provider) -> str:
    from django.utils.translation import gettext

    rating = f"{provider.average_rating:.1f}" if provider.average_rating is not None else "—"
    return gettext("%(name)s · %(open)s open · rating %(rating)s") % {
        "name": provider.localized_name,
        "open": provider.open_needs,
        "rating": rating,
    }


class VisitForm(Form):
    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=pgettext_lazy("visit", "What was done"),
        max_length=services.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    problems_found = forms.IntegerField(
        label=_("Problems found"), min_value=0, max_value=999, initial=0
    )
    problems_solved = forms.IntegerField(
        label=_("Problems solved"), min_value=0, max_value=999, initial=0
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most %(n)s MB.") % {"n": services.PHOTO_MAX_MB},
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class DeliverableForm(Form):
    title = forms.CharField(label=_("Title"), max_length=services.TITLE_MAX)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF or picture, at most %(n)s MB.") % {"n": services.DELIVERABLE_MAX_MB},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )


class FeesForm(Form):
    fee_standard = forms.CharField(
        label=_("Standard fee (yuan)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    fee_charged = forms.CharField(
        label=_("Fee charged (yuan)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    relief = forms.ChoiceField(label=_("Fee relief"), choices=Need.Relief.choices, required=False)


class RateForm(Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=services.COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


CLOCKS = [("", _("Any")), ("due_soon", _("Due soon")), ("overdue", _("Overdue"))]


class NeedFilterForm(Form):
    q = forms.CharField(label=_("Number or enterprise"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Need.Status.choices], required=False
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("service catalogue", "Category"),
        choices=[("", _("Any")), *ServiceType.Category.choices],
        required=False,
    )
    service_type = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceType.objects.all(), to_field_name="code", required=False
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.all(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Region.objects.filter(level=Region.Level.DISTRICT),
        to_field_name="code",
        required=False,
    )
    clock = forms.ChoiceField(label=_("Deadline"), choices=CLOCKS, required=False)

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped, not turned into an error page)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
