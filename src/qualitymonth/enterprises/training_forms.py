"""Forms of enterprise trainings and the CQO register. The services check everything again; the
forms say it beside the field."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region
from qualitymonth.enterprises.models import ChiefQualityOfficer, Industry, Training
from qualitymonth.enterprises.services import trainings as services


class TrainingRegisterForm(Form):
    """Register someone of my enterprise: one of its CQOs (CQO training) or a named person."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    cqo = forms.ModelChoiceField(
        label=_("Chief quality officer"),
        queryset=ChiefQualityOfficer.objects.none(),
        required=False,
        empty_label=_("Someone else (give the name and mobile)"),
    )
    name = forms.CharField(label=_("Attendee's name"), max_length=services.NAME_MAX, required=False)
    mobile = forms.CharField(label=_("Attendee's mobile"), max_length=20, required=False)

    def __init__(self, *args, enterprises, cqos, training: Training, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        if len(enterprises) == 1:
            self.fields["enterprise"].initial = enterprises[0].pk
            self.fields["enterprise"].widget = forms.HiddenInput()
        if training.kind == Training.Kind.CQO:
            self.fields["cqo"].queryset = cqos
            self.fields["cqo"].label_from_instance = lambda c: f"{c.name} · {c.position}"
        else:
            del self.fields["cqo"]

    def clean(self):
        cleaned = super().clean()
        cqo, enterprise = cleaned.get("cqo"), cleaned.get("enterprise")
        if cqo is not None and enterprise is not None and cqo.enterprise_id != enterprise.pk:
            self.add_error("cqo", _("Choose a serving CQO of this enterprise."))
        if cqo is None:
            for field in ("name", "mobile"):
                if not cleaned.get(field) and field not in self.errors:
                    self.add_error(field, _("This field is required."))
        return cleaned


class CqoForm(Form):
    name = forms.CharField(label=_("Name"), max_length=services.NAME_MAX)
    mobile = forms.CharField(label=_("Mobile"), max_length=20)
    position = forms.CharField(label=_("Position"), max_length=services.POSITION_MAX)
    appointed_on = forms.DateField(
        label=_("Appointed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    appointment_letter = forms.FileField(
        label=_("Letter of appointment"),
        required=False,
        help_text=format_lazy(
            _("Signed by the legal representative: a PDF or a picture of at most {n} MB."),
            n=services.LETTER_MAX_MB,
        ),
    )


class TrainingMarkForm(Form):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of training"), choices=Training.Kind.choices)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda a: (
            f"{a.starts_at:%Y-%m-%d} {a.title} · {a.organiser.short_name or a.organiser.name}"
        )


class CqoRegisterFilterForm(Form):
    q = forms.CharField(label=_("Enterprise"), max_length=60, required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Region.objects.none(), to_field_name="code", required=False
    )
    section = forms.ModelChoiceField(
        label=_("Industry section"),
        queryset=Industry.objects.filter(section__isnull=True),
        to_field_name="code",
        required=False,
    )
    division = forms.ModelChoiceField(
        label=_("Industry division"),
        queryset=Industry.objects.filter(section__isnull=False),
        to_field_name="code",
        required=False,
    )
    serving = forms.ChoiceField(
        label=_("Appointment"),
        choices=[("", _("Any")), ("1", _("Still serving"))],
        required=False,
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Region.objects.filter(
            parent__in=regions, level=Region.Level.DISTRICT
        )

    def filters(self) -> dict:
        """The valid filters; one bad value is ignored rather than emptying the list."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
