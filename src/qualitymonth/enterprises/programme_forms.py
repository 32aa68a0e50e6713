"""Forms of the campaign programmes. They check the shape of the input; the services decide
(who may, which activity, which enterprises, which day)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region
from qualitymonth.enterprises import need_selectors
from qualitymonth.enterprises.models import Enterprise, Industry, ServiceType
from qualitymonth.enterprises.services import programmes as services


class ProgrammeForm(Form):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=None)
    service_type = forms.ModelChoiceField(
        label=_("Service its visits give"), queryset=ServiceType.objects.filter(is_active=True)
    )
    goal_enterprises = forms.IntegerField(
        label=_("Enterprises to reach"), min_value=0, max_value=services.GOAL_MAX, initial=0
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda a: f"{a.campaign.year} · {a.title}"
        self.fields["service_type"].choices = [
            ("", "---------"),
            *[
                (str(label), [(t.pk, t.localized_name) for t in types])
                for label, types in need_selectors.catalogue()
            ],
        ]


class TargetFilterForm(Form):
    """The filters a target list is built from; `filters()` gives the service's dict."""

    district = forms.ModelChoiceField(
        label=_("District"), queryset=Region.objects.none(), to_field_name="code", required=False
    )
    industry = forms.ModelChoiceField(
        label=_("Industry"),
        queryset=Industry.objects.all(),
        to_field_name="code",
        required=False,
        help_text=_("A section (letter) or a division (two digits) of GB/T 4754."),
    )
    size = forms.ChoiceField(
        label=_("Size"), choices=[("", _("Any size")), *Enterprise.Size.choices], required=False
    )
    is_sme = forms.BooleanField(label=_("SMEs only"), required=False)
    is_key_industry = forms.BooleanField(label=_("Key industries only"), required=False)
    is_specialised = forms.BooleanField(
        label=_("Specialised and innovative (专精特新) only"), required=False
    )
    min_complaints = forms.IntegerField(
        label=_("At least this many complaints"),
        min_value=0,
        max_value=services.COMPLAINTS_MAX,
        required=False,
    )
    min_problems = forms.IntegerField(
        label=_("At least this many quality problems"),
        help_text=_("Complaints, inspections finding hazards, failed spot checks and cases."),
        min_value=0,
        max_value=services.COMPLAINTS_MAX,
        required=False,
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Region.objects.filter(
            parent=region, level=Region.Level.DISTRICT
        ).order_by("code")
        self.fields["industry"].label_from_instance = lambda i: (
            f"{i.code} {i.localized_name}" if i.section_id is None else f"　{i}"
        )

    def filters(self) -> dict:
        data = self.cleaned_data
        found = {
            "district": data["district"].code if data.get("district") else "",
            "industry": data["industry"].code if data.get("industry") else "",
            "size": data.get("size") or "",
            "min_complaints": data.get("min_complaints") or "",
            "min_problems": data.get("min_problems") or "",
        }
        for flag in services.FLAG_FILTERS:
            found[flag] = bool(data.get(flag))
        return {k: v for k, v in found.items() if v}


class PlanVisitsForm(Form):
    enterprises = forms.TypedMultipleChoiceField(
        label=_("Enterprises"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    planned_on = forms.DateField(
        label=_("Planned on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].choices = [(t.enterprise_id, t.enterprise.name) for t in targets]


class SearchForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)


def describe_target_filter(target_filter: dict, *, region) -> list[str]:
    """The stored filters in the office's words: "District: 湖里区", "SMEs only"…"""
    form = TargetFilterForm(region=region)
    parts = []
    for name, value in (target_filter or {}).items():
        field = form.fields.get(name)
        if field is None or value in (None, "", False):
            continue
        label = str(field.label)
        if isinstance(field, forms.BooleanField):
            parts.append(label)
            continue
        shown = str(value)
        if name == "district":
            found = Region.objects.filter(code=value).first()
            shown = found.localized_name if found else shown
        elif name == "industry":
            found = Industry.objects.filter(code=value).first()
            shown = str(found) if found else shown
        elif name == "size":
            shown = str(dict(Enterprise.Size.choices).get(value, value))
        parts.append(f"{label}: {shown}")
    return parts
