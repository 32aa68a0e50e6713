"""Forms of the complaints pages. They carry what was typed back to the page; the checking
itself is the intake service's, so the web, the API and Open311 refuse the same things."""

from django import forms
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qualitymonth.complaints.models import Complaint, ProblemGroup
from qualitymonth.complaints.services.intake import (
    MAX_ATTACHMENTS,
    REQUIRED_FIELDS,
    CaseInput,
    required_messages,
)
from qualitymonth.complaints.taxonomy import Category, Nature
from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.validators import EMAIL_MAX_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [file for file in data if file]
        return [data] if data else []


def _text(label, *, max_length, required=False, textarea=False, **attrs):
    widget = forms.Textarea(attrs={"rows": 4, **attrs}) if textarea else forms.TextInput(attrs)
    # max_length is left to the service (it says how long is too long); maxlength in the HTML
    # keeps phones from accepting more than will be saved.
    widget.attrs["maxlength"] = max_length
    return forms.CharField(label=label, required=required, widget=widget, strip=True)


class ComplaintForm(Form):
    kind = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=Complaint.Kind.choices,
        initial=Complaint.Kind.COMPLAINT,
        widget=forms.RadioSelect,
    )
    complainant_name = _text(_("Your name"), max_length=50, autocomplete="name")
    complainant_mobile = _text(
        _("Mobile number"), max_length=20, autocomplete="tel", inputmode="tel"
    )
    complainant_address = _text(_("Your address"), max_length=200, autocomplete="street-address")
    complainant_email = forms.CharField(
        label=_("E-mail (optional, for updates)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": EMAIL_MAX_LENGTH}),
    )
    respondent_name = _text(
        _("Business complained about"),
        max_length=200,
        placeholder=_("Shop or company name"),
        **{
            "hx-trigger": "keyup changed delay:500ms, change",
            "hx-target": "#similar",
            "hx-include": "[name=respondent_name]",
        },
    )
    respondent_address = _text(_("Business address"), max_length=200)
    respondent_uscc = _text(
        _("Unified social credit code (optional)"), max_length=18, autocapitalize="characters"
    )
    product_or_service = _text(_("Product or service"), max_length=120)
    # Text, not a number input: the intake reads "1,299.50" and refuses "1,5" or "0.001" with a
    # message, where a browser's number input would round or drop them without a word.
    amount = forms.CharField(
        label=_("Amount (yuan)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 20}),
    )
    purchase_date = forms.CharField(
        label=_("Date of purchase"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    facts = _text(_("What happened"), max_length=5000, textarea=True)
    request = _text(_("What you ask for"), max_length=2000, textarea=True, rows=2)
    district = forms.ChoiceField(label=_("District"), required=False)
    location = _text(_("Where it happened"), max_length=200)
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    # Lazy all the way: `%` on a lazy string translates at import, in whatever language is
    # active then, and the label stayed Chinese for everyone.
    attachments = MultipleFileField(
        label=lazy(
            lambda: gettext("Photos or PDF files (up to %(n)s)") % {"n": MAX_ATTACHMENTS}, str
        )(),
        required=False,
    )
    join = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        # Mark what the chosen kind needs (the asterisk, aria-required); the messages are the
        # intake service's, so a browser with or without this form hears the same thing.
        kind = (self.data.get("kind") if self.is_bound else None) or self.initial.get("kind")
        messages = required_messages()
        for name in (
            *REQUIRED_FIELDS.get(kind, REQUIRED_FIELDS[Complaint.Kind.COMPLAINT]),
            "complainant_mobile",
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = messages[name]
        self.fields["respondent_name"].widget.attrs["hx-get"] = reverse("complaints:similar")
        districts = Region.objects.filter(parent=region, level=Region.Level.DISTRICT)
        self.fields["district"].choices = [("", _("— choose —"))] + [
            (d.code, d.localized_name) for d in districts
        ]

    def case_input(self) -> CaseInput:
        data = self.cleaned_data
        return CaseInput(
            **{
                name: data.get(name) or ""
                for name in CaseInput.__dataclass_fields__
                if name != "attachments"
            },
            attachments=data.get("attachments") or [],
        )


class TrackForm(Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    mobile_last4 = forms.CharField(
        label=_("Last four digits of your mobile"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RatingForm(Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the handling?"),
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "stars"}),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StepForm(Form):
    step = forms.CharField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the complainant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 3000}),
    )
    reason = forms.ChoiceField(
        label=_("Ground for not accepting"),
        required=False,
        choices=[("", "—"), *Complaint.NotAcceptedReason.choices],
    )
    note = forms.CharField(
        label=_("Internal note (not shown to the complainant)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
    )


class MoveForm(Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.filter(is_active=True).order_by("name")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    nature = forms.ChoiceField(
        label=_("Nature"), required=False, choices=[("", "—"), *Nature.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", "—"), *Category.choices]
    )

    @staticmethod
    def initial_for(case: Complaint) -> dict:
        """The classifier's suggestion for a case waiting for triage; the nature and category it
        gave (or the office set) for any case."""
        initial = {"nature": case.nature, "category": case.category}
        if case.unit_id is None and case.routing_suggestion:
            initial["unit"] = (
                Unit.objects.filter(code=case.routing_suggestion, is_active=True)
                .values_list("pk", flat=True)
                .first()
            )
        return initial


class GroupActionForm(Form):
    action = forms.ChoiceField(label=_("State"), choices=ProblemGroup.Action.choices)
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )
    public_title = forms.CharField(
        label=_("Public title"),
        required=False,
        max_length=200,
        help_text=_("Shown on the public board; never a person's name."),
    )


class CaseFilterForm(Form):
    q = forms.CharField(label=_("Tracking number or business"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        # The two groups first, then each status once, under its own heading: "answered" is a
        # status of its own (enquiries), so the group of finished cases must not be called so.
        choices=[
            ("", _("All")),
            ("open", _("Open, any stage")),
            ("finished", _("Finished, any outcome")),
            (_("One status"), Complaint.Status.choices),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Complaint.Kind.choices]
    )
    nature = forms.ChoiceField(
        label=_("Nature"), required=False, choices=[("", _("All")), *Nature.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("All")), ("soon", _("Due soon")), ("overdue", _("Overdue"))],
    )

    def __init__(self, *args, districts, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("All"))] + [
            (d.code, d.localized_name) for d in districts
        ]
        self.fields["unit"].choices = [("", _("All"))] + [(u.code, u.display_name) for u in units]
