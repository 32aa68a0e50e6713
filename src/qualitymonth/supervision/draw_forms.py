"""Forms of the "双随机" plans and tasks. They check the shape of the input; the services
decide (who may, which items, the share cap, the draw)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region, Unit
from qualitymonth.supervision.models import (
    Canteen,
    CheckItem,
    Result,
    RiskGrade,
    SubjectKind,
    Task,
)
from qualitymonth.supervision.services import draws as services

DATE = {"type": "date"}


class SearchForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)


class PlanSearchForm(SearchForm):
    year = forms.IntegerField(
        label=_("Year"), min_value=services.YEAR_MIN, max_value=services.YEAR_MAX, required=False
    )


class TaskSearchForm(SearchForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Task.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of subject"),
        choices=[("", _("Any kind")), *SubjectKind.choices],
        required=False,
    )


class DrawnSearchForm(SearchForm):
    status = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("", _("All")),
            ("pending", _("Without a result")),
            ("recorded", _("Result not published")),
            ("published", _("Published")),
            ("replaced", _("Replaced")),
        ],
        required=False,
    )


class PublicSearchForm(SearchForm):
    kind = forms.ChoiceField(
        label=_("Kind of subject"),
        choices=[("", _("Any kind")), *SubjectKind.choices],
        required=False,
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=services.YEAR_MIN, max_value=services.YEAR_MAX, required=False
    )


class PublicResultSearchForm(SearchForm):
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", _("Any result")), *Result.choices], required=False
    )


class PlanForm(Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=services.YEAR_MIN, max_value=services.YEAR_MAX
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    region = forms.ModelChoiceField(label=_("City"), queryset=Region.objects.none())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        only = list(regions[:2])
        if len(only) == 1:
            self.fields["region"].initial = only[0].pk


class TaskForm(Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    unit = forms.ModelChoiceField(label=_("Organising unit"), queryset=Unit.objects.none())
    subject_kind = forms.ChoiceField(label=_("Kind of subject"), choices=SubjectKind.choices)
    check_items = forms.ModelMultipleChoiceField(
        label=_("Check items"),
        queryset=CheckItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Items of the kind of subject chosen. Ordinary items cap the share drawn; key items "
            "have no cap."
        ),
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: the whole city."),
    )
    industries = forms.CharField(
        label=_("Industries"),
        max_length=100,
        required=False,
        help_text=_(
            "GB/T 4754 section letters or division codes, separated by spaces (e.g. C 14)."
        ),
    )
    risk_grades = forms.MultipleChoiceField(
        label=_("Risk grades"),
        choices=RiskGrade.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    school_kinds = forms.MultipleChoiceField(
        label=_("Kinds of school (canteens)"),
        choices=Canteen.SchoolKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    share = forms.DecimalField(
        label=_("Share drawn (%)"),
        min_value=0.01,
        max_value=100,
        decimal_places=2,
        max_digits=5,
        required=False,
        help_text=_("Give a share or a number of subjects, not both."),
    )
    count = forms.IntegerField(
        label=_("Number of subjects"), min_value=1, max_value=services.COUNT_MAX, required=False
    )
    inspectors_per_subject = forms.IntegerField(
        label=_("Inspectors per subject"),
        min_value=2,
        max_value=services.PER_SUBJECT_MAX,
        initial=2,
    )
    starts_on = forms.DateField(label=_("Inspections from"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(label=_("Inspections until"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        region = plan.region
        self.fields["unit"].queryset = (
            Unit.objects.filter(is_active=True)
            .filter(region__in=[region, *Region.objects.filter(parent=region)])
            .order_by("name")
        )
        self.fields["check_items"].queryset = CheckItem.objects.filter(
            region=region, is_active=True
        ).order_by("subject_kind", "code")
        self.fields["check_items"].label_from_instance = lambda i: (
            f"{i.get_subject_kind_display()} · {i.title} ({i.get_kind_display()}"
            + (f", ≤ {services.percent(i.max_share)}%" if i.max_share else "")
            + ")"
        )
        self.fields["districts"].queryset = Region.objects.filter(
            parent=region, level=Region.Level.DISTRICT
        ).order_by("code")
        if not self.is_bound:
            self.fields["starts_on"].initial = dt.date(plan.year, 9, 1)
            self.fields["ends_on"].initial = dt.date(plan.year, 11, 30)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["industries"] = (data.get("industries") or "").replace(",", " ").split()
        data["districts"] = list(data.get("districts") or [])
        data["check_items"] = list(data.get("check_items") or [])
        return data


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("E.g. closed down, moved away, the inspector is ill or has a conflict."),
    )


class ResultForm(Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    on = forms.DateField(label=_("Found on"), widget=forms.DateInput(attrs=DATE))
