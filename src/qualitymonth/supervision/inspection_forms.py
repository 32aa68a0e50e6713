"""Forms of the checklists and inspections. They check the shape of the input; the services
decide (who may, which item, whether the inspection is still open)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region, Unit
from qualitymonth.supervision.models import (
    Answer,
    Inspection,
    Result,
    SubjectKind,
)
from qualitymonth.supervision.services import checklists as checklist_services
from qualitymonth.supervision.services import inspections as services


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class InspectionFilterForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Inspection.Status.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind of subject"),
        choices=[("", _("Any kind")), *SubjectKind.choices],
        required=False,
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Region.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    result = forms.ChoiceField(
        label=pgettext_lazy("inspection", "Result"),
        choices=[("", _("Any result")), *Result.choices],
        required=False,
    )
    date_from = forms.DateField(label=_("Inspected from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Inspected until"), required=False, widget=DateInput())

    def __init__(self, *args, districts, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["unit"].queryset = units

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["query"] = data.pop("q", "")
        return data


class AnswerForm(Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Answer.Verdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=pgettext_lazy("inspection", "Note"),
        max_length=services.NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HazardForm(Form):
    description = forms.CharField(
        label=_("Hazard found"),
        max_length=services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    order_text = forms.CharField(
        label=_("Rectification order"),
        max_length=services.ORDER_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deadline = forms.DateField(label=_("Rectify by"), widget=DateInput())


class PhotoForm(Form):
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class RepresentativeForm(Form):
    name = forms.CharField(
        label=_("Representative's name"), max_length=services.NAME_MAX, required=False
    )
    refused = forms.BooleanField(label=_("The representative refused to sign"), required=False)
    refusal_note = forms.CharField(
        label=_("Refusal recorded (what happened, who witnessed it)"),
        max_length=services.REFUSAL_MAX,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("refused") and not data.get("name") and "name" not in self.errors:
            self.add_error("name", _("Write the representative's name, or record the refusal."))
        if (
            data.get("refused")
            and not data.get("refusal_note")
            and "refusal_note" not in self.errors
        ):
            self.add_error("refusal_note", _("Say how the refusal happened."))
        return data


class CancelForm(Form):
    reason = forms.CharField(
        label=_("Why the inspection is cancelled"),
        max_length=services.CANCEL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubjectSearchForm(Form):
    q = forms.CharField(label=_("Subject name or address"), max_length=60, required=False)


class ChecklistForm(Form):
    title = forms.CharField(label=_("Title"), max_length=checklist_services.TITLE_MAX)


class ChecklistItemForm(Form):
    order = forms.IntegerField(
        label=_("Position in the list"), min_value=1, max_value=999, required=False
    )
    section = forms.CharField(
        label=_("Section of the checklist"),
        max_length=checklist_services.SECTION_MAX,
        required=False,
    )
    text = forms.CharField(
        label=_("Checklist item"), max_length=checklist_services.TEXT_MAX, required=False
    )
    guidance = forms.CharField(
        label=_("How to check"),
        max_length=checklist_services.GUIDANCE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo_required = forms.BooleanField(
        label=_("Photo required when not compliant"), required=False
    )
    remove = forms.BooleanField(label=_("Remove"), required=False)


ChecklistItemFormSet = forms.formset_factory(
    ChecklistItemForm, extra=3, max_num=checklist_services.ITEMS_MAX + 3, absolute_max=100
)


def items_from(formset) -> list[dict]:
    """The items a valid formset keeps, in the order given (ties keep the page's order);
    blank rows and removed ones are left out."""
    kept = []
    for position, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("remove") or not (data.get("text") or "").strip():
            continue
        kept.append((data.get("order") or 999, position, data))
    kept.sort(key=lambda row: (row[0], row[1]))
    return [
        {
            "section": data.get("section", ""),
            "text": data.get("text", ""),
            "guidance": data.get("guidance", ""),
            "photo_required": bool(data.get("photo_required")),
        }
        for _order, _position, data in kept
    ]
