"""The office's forms of the service catalogue: a service type's terms, a provider."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.forms import Form
from qualitymonth.enterprises.models import Provider, ServiceType
from qualitymonth.enterprises.services.catalogue import MAX_WORKDAYS, MIN_WORKDAYS


def _workdays(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=MIN_WORKDAYS,
        max_value=MAX_WORKDAYS,
        help_text=_("Working days (weekends and public holidays are not counted), 1 to 60."),
    )


class ServiceTypeForm(Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    name_en = forms.CharField(label=_("English name"), max_length=120, required=False)
    description = forms.CharField(
        label=_("What the enterprise gets"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    is_charged = forms.TypedChoiceField(
        label=_("Fee"),
        choices=[
            ("0", _("Free")),
            ("1", _("Charged by the institution (fee relief may apply)")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    response_workdays = _workdays(_("Respond within (working days)"))
    completion_workdays = _workdays(_("Complete within (working days)"))
    is_active = forms.BooleanField(label=_("Offered (enterprises may ask for it)"), required=False)
    providers = forms.ModelMultipleChoiceField(
        label=_("Providers"),
        queryset=Provider.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].queryset = providers

    @classmethod
    def initial_for(cls, service_type: ServiceType, providers) -> dict:
        initial = {
            name: getattr(service_type, name)
            for name in (
                "name",
                "name_en",
                "description",
                "response_workdays",
                "completion_workdays",
                "is_active",
            )
        }
        initial["is_charged"] = "1" if service_type.is_charged else "0"
        initial["providers"] = list(
            service_type.providers.filter(pk__in=providers).values_list("pk", flat=True)
        )
        return initial


class ProviderForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    specialties = forms.CharField(
        label=_("Specialties"),
        max_length=300,
        required=False,
        help_text=_(
            "What the provider is good at, separated by 、 or commas: the dispatch suggestion "
            "matches needs against it."
        ),
    )
    is_active = forms.BooleanField(label=_("Takes new needs"), required=False, initial=True)
    service_types = forms.ModelMultipleChoiceField(
        label=_("Service types"),
        queryset=ServiceType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ExpertAccountForm(Form):
    """An expert is an existing account: the office names it by its username."""

    username = forms.CharField(
        label=_("Account (username)"),
        max_length=150,
        help_text=_("The expert signs up first (or is given an account); enter that username."),
    )


class ProviderFilterForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Provider.Kind.choices], required=False
    )
