"""Forms: parsing and validating input; the writing is done by services."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualitymonth.campaigns.models import (
    TICKET_ALPHABET,
    TICKET_LENGTH,
    Activity,
    Campaign,
    SurveyResponse,
)
from qualitymonth.core.forms import Form, ModelForm
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.validators import normalize_mobile, validate_mobile, validate_xlsx_upload

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class ActivityForm(ModelForm):
    """One activity plan; used by the web form, the API and every row of an Excel import."""

    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https")

    class Meta:
        model = Activity
        fields = [
            "title",
            "summary",
            "description",
            "organiser",
            "co_organisers",
            "focus_area",
            "domains",
            "kind",
            "activity_type",
            "starts_at",
            "ends_at",
            "district",
            "venue",
            "online_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "registration_opens_at": DateTimeLocalInput(),
            "registration_closes_at": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "domains": forms.CheckboxSelectMultiple,
            "co_organisers": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, campaign: Campaign, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = [
                DATETIME_LOCAL,
                "%Y-%m-%d %H:%M",
                "%Y-%m-%d %H:%M:%S",
            ]
        self.fields["organiser"].queryset = organisers
        if self.instance.pk:
            # The organiser of an existing plan does not change; it decides who may touch it.
            self.fields["organiser"].disabled = True
        self.fields["co_organisers"].queryset = Unit.objects.filter(is_active=True)
        self.fields["co_organisers"].required = False
        self.fields["focus_area"].queryset = campaign.focus_areas.all()
        self.fields["domains"].queryset = campaign.domains.all()
        self.fields["district"].queryset = Region.objects.filter(parent=campaign.region)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end must not be before the start."))
        campaign = self.campaign
        if (
            starts
            and ends
            and (
                timezone.localtime(starts).date() > campaign.ends_on
                or timezone.localtime(ends).date() < campaign.starts_on
            )
        ):
            self.add_error(
                "starts_at",
                _("The activity must take place during the campaign (%(start)s – %(end)s).")
                % {"start": campaign.starts_on, "end": campaign.ends_on},
            )
        kind = data.get("kind")
        if kind in (Activity.Kind.OFFLINE, Activity.Kind.HYBRID):
            if not data.get("district"):
                self.add_error("district", _("An offline activity needs its district."))
            if not data.get("venue"):
                self.add_error("venue", _("An offline activity needs its venue."))
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if closes and ends and closes > ends:
            self.add_error(
                "registration_closes_at", _("Registration cannot close after the activity ends.")
            )
        if (opens or closes) and data.get("capacity") is None:
            self.add_error("capacity", _("Give the number of seats when registration is taken."))
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "organiser"}


class RegistrationForm(Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "13800138000"}
        ),
    )

    def clean_mobile(self):
        value = normalize_mobile(self.cleaned_data["mobile"])
        validate_mobile(value)
        return value

    def clean_name(self):
        value = self.cleaned_data["name"].strip()
        if not value:
            raise ValidationError(_("Enter your name."))
        return value


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class CheckInForm(Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "placeholder": "ABCD-2345",
            }
        ),
    )

    def clean_code(self):
        return normalize_ticket_code(self.cleaned_data["code"])


def normalize_ticket_code(raw: str) -> str:
    """Accept what a person types or a scanner reads: dashes, spaces, lower case, O for 0, a whole
    check-in URL."""
    value = (raw or "").strip()
    if "/" in value:
        value = value.rstrip("/").rsplit("/", 1)[-1]
    value = value.upper().replace("-", "").replace(" ", "")
    value = value.translate(str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"}))
    if len(value) != TICKET_LENGTH or any(ch not in TICKET_ALPHABET for ch in value):
        raise ValidationError(
            _("A ticket code has 8 letters and digits, like ABCD-2345."), code="invalid_code"
        )
    return value


def _score_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=SurveyResponse.SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )


class SurveyForm(Form):
    """Three questions, 1 (poor) to 5 (excellent), and an optional comment."""

    overall = _score_field(_("Overall satisfaction"))
    usefulness = _score_field(_("Usefulness of the content"))
    organisation = _score_field(_("Organisation and venue"))
    comment = forms.CharField(
        label=_("Comment"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    widget = MultipleImageInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        if len(files) > 9:
            raise ValidationError(_("Attach at most 9 photos."))
        return [super(MultipleImageField, self).clean(item, initial) for item in files]


# A report's photos: up to 9 (MultipleImageField) of 5 MB each (clean_photos), in one request.
REPORT_PHOTOS_MAX_MB = 9 * 5


class ReportForm(Form):
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=1_000_000)
    enterprises_served = forms.IntegerField(
        label=_("Enterprises served"), min_value=0, max_value=100_000, initial=0
    )
    problems_solved = forms.IntegerField(
        label=_("Problems solved"), min_value=0, max_value=100_000, initial=0
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    photos = MultipleImageField(
        label=_("Photos"), required=False, help_text=_("JPEG or PNG, up to 9, 5 MB each.")
    )

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        for photo in photos:
            if photo.size > 5 * 1024 * 1024:
                raise ValidationError(_("Each photo must be at most 5 MB."))
        return photos


class ImportForm(Form):
    organiser = forms.ModelChoiceField(label=_("Organising unit"), queryset=Unit.objects.none())
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        if organisers.count() == 1:
            self.fields["organiser"].initial = organisers.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_xlsx_upload(upload, max_mb=5)
        return upload


class CampaignForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=1978, max_value=2100)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.exclude(level=Region.Level.DISTRICT)
    )
    theme = forms.CharField(label=_("Theme"), max_length=120)
    theme_en = forms.CharField(label=_("Theme in English"), max_length=160, required=False)
    slogan = forms.CharField(label=_("Slogan"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.filter(is_active=True)
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organising units"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    focus_areas = forms.CharField(
        label=_("Focus areas"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, in order; the English name after a bar: 农业 | Agriculture."),
    )
    domains = forms.CharField(
        label=_("Domains"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, in order; the English name after a bar: 农业 | Agriculture."),
    )

    def clean(self):
        data = super().clean()
        starts, ends, year = data.get("starts_on"), data.get("ends_on"), data.get("year")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end must not be before the start."))
        for name in ("starts_on", "ends_on"):
            if year and data.get(name) and data[name].year != year:
                self.add_error(
                    name, _("The campaign's dates must fall in %(year)s.") % {"year": year}
                )
        return data

    @staticmethod
    def _lines(value: str, *, limit: int, empty_message) -> list[str]:
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        if not lines:
            raise ValidationError(empty_message)
        too_long = [line for line in lines if len(line) > limit]
        if too_long:
            raise ValidationError(
                _("Each line may have at most %(n)s characters: “%(line)s” is longer.")
                % {"n": limit, "line": too_long[0]}
            )
        return lines

    @staticmethod
    def _named_lines(value: str, *, limit: int, empty_message) -> list[tuple]:
        """(None, name, English name) per line ("农业 | Agriculture"); the service gives codes."""
        named = []
        for line in value.splitlines():
            name, _bar, name_en = (part.strip() for part in line.partition("|"))
            if name:
                named.append((None, name, name_en))
        if not named:
            raise ValidationError(empty_message)
        for _code, name, name_en in named:
            for text, most in ((name, limit), (name_en, 100)):
                if len(text) > most:
                    raise ValidationError(
                        _("Each line may have at most %(n)s characters: “%(line)s” is longer.")
                        % {"n": most, "line": text}
                    )
        return named

    @staticmethod
    def named_lines_initial(rows) -> str:
        return "\n".join(f"{r.name} | {r.name_en}" if r.name_en else r.name for r in rows)

    def clean_focus_areas(self):
        return self._named_lines(
            self.cleaned_data["focus_areas"],
            limit=60,
            empty_message=_("Give at least one focus area."),
        )

    def clean_domains(self):
        return self._named_lines(
            self.cleaned_data["domains"], limit=30, empty_message=_("Give at least one domain.")
        )


CALENDAR_FIRST = dt.date(1978, 1, 1)  # the first Quality Month
CALENDAR_LAST = dt.date(2100, 12, 31)


def check_calendar_range(day: dt.date | None) -> dt.date | None:
    if day is not None and not CALENDAR_FIRST <= day <= CALENDAR_LAST:
        raise ValidationError(_("Give a date between 1978 and 2100."))
    return day


class CalendarFilterForm(Form):
    """The public calendar's filters; every field optional, bad values are ignored with a note."""

    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    domain = forms.CharField(required=False)
    focus = forms.CharField(required=False)
    unit = forms.CharField(required=False)
    kind = forms.ChoiceField(
        label=_("Form"), required=False, choices=[("", _("Any form")), *Activity.Kind.choices]
    )
    district = forms.CharField(required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    month = forms.CharField(required=False)

    def clean_month(self) -> dt.date | None:
        value = self.cleaned_data.get("month")
        if not value:
            return None
        try:
            month = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise ValidationError(_("Give the month as YYYY-MM.")) from None
        return check_calendar_range(month)

    def clean_date_from(self):
        return check_calendar_range(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return check_calendar_range(self.cleaned_data.get("date_to"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
