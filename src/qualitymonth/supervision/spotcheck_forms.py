"""Forms of the product spot checks. They check the shape of the input; the services decide
(who may, which categories, which enterprise, which dates, in which state)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.campaigns.models import Campaign
from qualitymonth.core.forms import Form
from qualitymonth.supervision import spotcheck_selectors as selectors
from qualitymonth.supervision.models import ProductCategory, Sample, SpotCheckPlan
from qualitymonth.supervision.services.spotchecks import NOTICE_MAX, YEAR_MAX, YEAR_MIN


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


RESULT_CHOICES = [
    (Sample.Outcome.PASS, pgettext_lazy("spot check result", "Passed")),
    (Sample.Outcome.FAIL, pgettext_lazy("spot check result", "Failed")),
]
OUTCOME_FILTER = [
    ("", _("Any result")),
    (Sample.Outcome.PENDING, _("Awaiting the laboratory")),
    *RESULT_CHOICES,
]


class PlanSearchForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *SpotCheckPlan.Status.choices],
        required=False,
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year")), *[(y, y) for y in years]]


class PublicSearchForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year")), *[(y, y) for y in years]]


class PlanForm(Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    title = forms.CharField(label=_("Title"), max_length=120)
    categories = forms.ModelMultipleChoiceField(
        label=_("Product categories"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    laboratory = forms.CharField(label=_("Laboratory"), max_length=120, required=False)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False)

    def __init__(self, *args, units, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: u.localized_name
        chain = {r.pk for region in regions for r in region.ancestors_and_self()}
        self.fields["categories"].queryset = ProductCategory.objects.filter(
            region_id__in=chain, is_active=True
        ).order_by("code")
        self.fields["categories"].label_from_instance = lambda c: c.localized_name
        self.fields["campaign"].queryset = Campaign.objects.filter(region_id__in=chain).order_by(
            "-year"
        )


class SampleSearchForm(Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=60,
        required=False,
        help_text=_("Sample number, enterprise name or code, product or brand"),
    )
    category = forms.ModelChoiceField(
        label=_("Product category"), queryset=None, required=False, empty_label=_("Any category")
    )
    outcome = forms.ChoiceField(
        label=pgettext_lazy("spot check", "Result"), choices=OUTCOME_FILTER, required=False
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.plan_categories(plan)
        self.fields["category"].label_from_instance = lambda c: c.localized_name


class EnterpriseFindForm(Form):
    find = forms.CharField(label=_("Find an enterprise"), max_length=60, required=False)


class SampleForm(Form):
    enterprise = forms.CharField(
        label=_("Enterprise"),
        max_length=120,
        help_text=_("Its unified social credit code, or its exact registered name"),
    )
    category = forms.ModelChoiceField(label=_("Product category"), queryset=None)
    product = forms.CharField(label=_("Product"), max_length=120)
    brand = forms.CharField(label=_("Brand"), max_length=60, required=False)
    model_spec = forms.CharField(label=_("Model / specification"), max_length=60, required=False)
    batch = forms.CharField(label=_("Batch or production date"), max_length=40, required=False)
    quantity = forms.CharField(
        label=_("Quantity sampled"), max_length=40, help_text=_("e.g. 6 pieces (3 kept sealed)")
    )
    seal_number = forms.CharField(label=_("Seal number"), max_length=30)
    sampled_on = _date(_("Sampled on"))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["category"].queryset = selectors.plan_categories(plan)
        self.fields["category"].label_from_instance = lambda c: c.localized_name

    def clean_enterprise(self):
        found = selectors.find_enterprise(self.plan, self.cleaned_data["enterprise"])
        if found is None:
            raise forms.ValidationError(
                _("No enterprise of the city has this code or exact name: find it below.")
            )
        return found


class _Confirmed(Form):
    confirm = forms.BooleanField(
        label=_("I have checked the laboratory report: this cannot be changed afterwards."),
        required=True,
    )


class ResultForm(_Confirmed):
    outcome = forms.ChoiceField(
        label=pgettext_lazy("spot check", "Result"),
        choices=RESULT_CHOICES,
        widget=forms.RadioSelect,
    )
    failed_items = forms.CharField(
        label=_("Failed items"),
        max_length=500,
        required=False,
        help_text=_("Required for a failure, e.g. 标签标识、耐燃性能"),
    )
    result_on = _date(_("Result on"))
    rectify_by = _date(_("Rectify by"), required=False, help_text=_("Required for a failure"))

    field_order = ["outcome", "failed_items", "result_on", "rectify_by", "confirm"]


class RetestResultForm(_Confirmed):
    outcome = forms.ChoiceField(
        label=_("Re-test result"), choices=RESULT_CHOICES, widget=forms.RadioSelect
    )
    failed_items = forms.CharField(
        label=_("Failed items"),
        max_length=500,
        required=False,
        help_text=_("Required for a failure"),
    )
    retest_on = _date(_("Re-tested on"))
    rectify_by = _date(_("Rectify by"), required=False, help_text=_("Required for a failure"))

    field_order = ["outcome", "failed_items", "retest_on", "rectify_by", "confirm"]


class RecheckForm(_Confirmed):
    outcome = forms.ChoiceField(
        label=_("Re-check result"), choices=RESULT_CHOICES, widget=forms.RadioSelect
    )
    recheck_on = _date(_("Re-checked on"))

    field_order = ["outcome", "recheck_on", "confirm"]


class ReceivedForm(Form):
    received_on = _date(
        _("Received on"), help_text=_("The day the result notice was served on the enterprise")
    )


class PublishForm(Form):
    notice = forms.CharField(
        label=_("Results notice"),
        max_length=NOTICE_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    confirm = forms.BooleanField(
        label=_("Publish now: the notice and the results become public and cannot be withdrawn."),
        required=True,
    )
