"""Forms of campaign participation. They check the shape of the input; the service decides
(the code's check character and authority, duplicates, the campaign being open)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qualitymonth.campaigns.models import Campaign, Participation
from qualitymonth.campaigns.services import participation as services
from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region


class ParticipationApplyForm(Form):
    kind = forms.ChoiceField(
        label=_("We are"), choices=Participation.Kind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Organisation's registered name"),
        max_length=services.NAME_MAX,
        help_text=_("As on its registration certificate or business licence."),
    )
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=18,
        help_text=_("18 characters; an association's starts with 5, an enterprise's with 9."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Region.objects.none(), required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=services.CONTACT_MAX)
    contact_mobile = forms.CharField(
        label=_("Contact mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    plan = forms.CharField(
        label=_("What you plan for the month"),
        max_length=services.PLAN_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The activities you intend to hold: what, for whom, roughly when and where."),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = campaign.region.children.order_by("code")


class ParticipationFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Participation.Status.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Participation.Kind.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads it."),
    )
