"""Forms of the enforcement cases. They check the shape of the input; the services decide (who
may, which transitions, the publicity rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qualitymonth.campaigns.models import Campaign, Domain
from qualitymonth.core.forms import Form
from qualitymonth.core.models import Unit
from qualitymonth.enterprises.models import Enterprise
from qualitymonth.supervision.models import Case, TypicalCase
from qualitymonth.supervision.services.cases import DECISIONS

DATE = {"type": "date"}


def _blank(choices, label=None):
    return [("", label or _("Any")), *choices]


class CaseSearchForm(Form):
    q = forms.CharField(label=_("Number or party"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=_blank(Case.Status.choices), required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=_blank(Case.Source.choices), required=False
    )
    procedure = forms.ChoiceField(
        label=_("Procedure"), choices=_blank(Case.Procedure.choices), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Any")
    )
    date_from = forms.DateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    date_to = forms.DateField(
        label=_("Registered to"), required=False, widget=forms.DateInput(attrs=DATE)
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CaseForm(Form):
    """Registering a case, or correcting one under investigation."""

    unit = forms.ModelChoiceField(label=_("Unit handling the case"), queryset=Unit.objects.none())
    source = forms.ChoiceField(label=_("Source"), choices=Case.Source.choices)
    procedure = forms.ChoiceField(
        label=_("Procedure"), choices=Case.Procedure.choices, initial=Case.Procedure.ORDINARY
    )
    party_kind = forms.ChoiceField(
        label=_("Party"), choices=Case.PartyKind.choices, widget=forms.RadioSelect
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise (from the registry)"),
        queryset=Enterprise.objects.none(),
        required=False,
        to_field_name="uscc",
        widget=forms.TextInput,
        help_text=_("Its unified social credit code; the name is then taken from the registry."),
    )
    party_name = forms.CharField(
        label=_("Party name"),
        max_length=120,
        required=False,
        help_text=_("A natural person's name is shown masked everywhere but this case's pages."),
    )
    party_is_minor = forms.BooleanField(label=_("The party is a minor"), required=False)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 6}))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500, required=False)
    # What the case starts from, carried from the link that opened the form.
    complaint = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)
    hazard = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    sample = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, units, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["enterprise"].queryset = Enterprise.objects.all()
        if editing:
            for name in ("unit", "source", "complaint", "hazard", "sample"):
                del self.fields[name]


class DecisionForm(Form):
    decisions = forms.MultipleChoiceField(
        label=_("Penalties"),
        choices=[(k, v) for k, v in DECISIONS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    fine_amount = forms.CharField(
        label=_("Fine (yuan)"), max_length=20, required=False, help_text=_("Only with a fine.")
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs=DATE))
    decision_text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}))
    restriction_until = forms.DateField(
        label=_("A suspension, restriction or ban lasts until"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("The publicity then lasts at least as long."),
    )


class ChangeForm(Form):
    change = forms.ChoiceField(
        label=_("Change"),
        choices=[("revise", _("Revise the decision")), ("revoke", _("Revoke the decision"))],
        widget=forms.RadioSelect,
    )
    changed_on = forms.DateField(label=_("Changed on"), widget=forms.DateInput(attrs=DATE))
    reason = forms.CharField(label=_("Why"), max_length=300)
    decisions = forms.MultipleChoiceField(
        label=_("Penalties after the revision"),
        choices=[(k, v) for k, v in DECISIONS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fine_amount = forms.CharField(label=_("Fine (yuan)"), max_length=20, required=False)
    decision_text = forms.CharField(
        label=_("Revised decision"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class PublicityTextForm(Form):
    text = forms.CharField(label=_("Text to publish"), widget=forms.Textarea(attrs={"rows": 12}))


class EarlyRemovalForm(Form):
    carried_out = forms.BooleanField(label=_("The penalty was carried out"), required=False)
    harm_removed = forms.BooleanField(label=_("The harm was removed"), required=False)
    no_repeat = forms.BooleanField(
        label=_("No repeat of the violation during the publicity"), required=False
    )
    not_listed = forms.BooleanField(
        label=_("Not on the list of abnormal operations or of serious violations"),
        required=False,
    )
    reason = forms.CharField(label=_("The application"), max_length=300)


class TypicalForm(Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    domain = forms.ModelChoiceField(
        label=_("Domain"), queryset=Domain.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 5}))
    actions = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    warning = forms.CharField(
        label=_("The warning to others"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        regions = [r.pk for r in region.ancestors_and_self()]
        campaigns = Campaign.objects.filter(region_id__in=regions).order_by("-year")
        self.fields["campaign"].queryset = campaigns
        self.fields["domain"].queryset = Domain.objects.filter(
            campaign__in=campaigns
        ).select_related("campaign")
        self.fields["domain"].label_from_instance = lambda d: (
            f"{d.campaign.year} · {d.localized_name}"
        )


class ReturnForm(Form):
    reason = forms.CharField(label=_("Why it is returned"), max_length=300)


class TypicalSearchForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=_blank(TypicalCase.Status.choices), required=False
    )


class PublicSearchForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
