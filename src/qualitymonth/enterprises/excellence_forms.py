"""Forms of the GB/T 19580 self-assessment. They check the shape; the services decide (each
category's maximum, decimals, notes, who may, the state)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region
from qualitymonth.enterprises.excellence_selectors import CATEGORIES, SHORT_LABELS
from qualitymonth.enterprises.models import EXCELLENCE_POINTS, Industry, SelfAssessment
from qualitymonth.enterprises.services import excellence as services


def _score_field(category, label) -> forms.DecimalField:
    maximum = EXCELLENCE_POINTS[category]
    return forms.DecimalField(
        label=label,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": str(maximum)}),
        help_text=_("0 to %(max)s points, one decimal at most") % {"max": maximum},
    )


class SelfAssessmentForm(Form):
    """Seven rows: a category's score (out of its points) and the evidence behind it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in CATEGORIES:
            self.fields[category.value] = _score_field(category, SHORT_LABELS[category])
            self.fields[f"{category.value}_evidence"] = forms.CharField(
                label=_("Evidence"),
                required=False,
                max_length=services.EVIDENCE_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @classmethod
    def initial_for(cls, assessment: SelfAssessment | None) -> dict:
        if assessment is None:
            return {}
        initial = {}
        for row in assessment.scores.all():
            initial[row.category] = row.score
            initial[f"{row.category}_evidence"] = row.evidence
        return initial

    def rows(self):
        """(category, points, score field, evidence field) per category, for the template."""
        return [
            (c, EXCELLENCE_POINTS[c], self[c.value], self[f"{c.value}_evidence"])
            for c in CATEGORIES
        ]

    def scores(self) -> dict:
        """category -> (score, evidence) for the categories given a score."""
        data = self.cleaned_data
        return {
            c.value: (data[c.value], data.get(f"{c.value}_evidence", ""))
            for c in CATEGORIES
            if data.get(c.value) is not None
        }


class ReviewForm(Form):
    """The expert's score per category (empty: the enterprise's stands) with the reason."""

    note = forms.CharField(
        label=_("Review note for the enterprise"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in CATEGORIES:
            field = _score_field(category, _("Expert's score"))
            field.help_text = _("Leave empty to keep the enterprise's score.")
            self.fields[f"{category.value}_adjusted"] = field
            self.fields[f"{category.value}_note"] = forms.CharField(
                label=_("Why"),
                required=False,
                max_length=services.ADJUST_NOTE_MAX,
            )

    def adjustments(self) -> dict:
        data = self.cleaned_data
        return {
            c.value: (data.get(f"{c.value}_adjusted"), data.get(f"{c.value}_note", ""))
            for c in CATEGORIES
        }

    def field_pairs(self) -> dict:
        return {c.value: (self[f"{c.value}_adjusted"], self[f"{c.value}_note"]) for c in CATEGORIES}


class ReopenForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The enterprise reads it."),
    )


class SelfAssessmentFilterForm(Form):
    q = forms.CharField(label=_("Enterprise or code"), max_length=60, required=False)
    year = forms.IntegerField(
        label=_("Year"), min_value=services.FIRST_YEAR, max_value=2100, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *SelfAssessment.Status.choices], required=False
    )
    industry = forms.ModelChoiceField(
        label=_("Industry"), queryset=Industry.objects.all(), to_field_name="code", required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Region.objects.filter(level=Region.Level.DISTRICT),
        to_field_name="code",
        required=False,
    )

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped, not turned into an error page)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
