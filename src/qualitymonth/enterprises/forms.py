"""Forms of the enterprise registry. The web pages, the API and the Excel import all read an
enterprise through `EnterpriseForm`, so a field is checked the same way whichever way it came."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.forms import Form, ModelForm
from qualitymonth.core.models import Region
from qualitymonth.core.validators import normalize_mobile, validate_mobile, validate_xlsx_upload
from qualitymonth.enterprises.models import Enterprise, Industry
from qualitymonth.enterprises.services.registry import FIELDS, checked_uscc, normalise_uscc


class UsccField(forms.CharField):
    """The code as people copy it from a licence, with spaces and in small letters."""

    def to_python(self, value):
        return normalise_uscc(super().to_python(value))


class EnterpriseForm(ModelForm):
    uscc = UsccField(label=_("unified social credit code"), max_length=18)
    # Typed as people write numbers ("139 0000 2222", "+86 …"); stored as the 11 digits.
    contact_mobile = forms.CharField(label=_("contact mobile"), max_length=20, required=False)

    class Meta:
        model = Enterprise
        fields = list(FIELDS)
        widgets = {"main_products": forms.TextInput()}
        help_texts = {
            "uscc_exception_reason": _(
                "Only for a legally issued code that fails the check: say why it is accepted "
                "(e.g. the issuing authority's confirmation). Recorded in the audit trail."
            ),
        }

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Region.objects.filter(
            parent__in=regions, level=Region.Level.DISTRICT
        )
        self.fields["district"].to_field_name = "code"
        self.fields["industry"].queryset = Industry.objects.select_related("section")
        self.fields["industry"].to_field_name = "code"

    def clean_contact_mobile(self):
        value = normalize_mobile(self.cleaned_data["contact_mobile"])
        if value:
            validate_mobile(value)
        return value

    def clean(self):
        # The service checks the code again; here it is said beside the field, and the import
        # reports it with the row's other problems.
        cleaned = super().clean()
        if cleaned.get("uscc"):
            try:
                cleaned["uscc"], cleaned["uscc_exception_reason"] = checked_uscc(
                    cleaned["uscc"], exception_reason=cleaned.get("uscc_exception_reason", "")
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def validate_unique(self):
        # The service refuses a duplicate code naming the enterprise that holds it, which
        # Django's "already exists" would not.
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in FIELDS if name in self.cleaned_data}


class RegionChoiceForm(Form):
    """Which city an enterprise is filed in, for an office that covers more than one."""

    region = forms.ModelChoiceField(label=_("City"), queryset=Region.objects.none())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self._only = regions[0] if len(regions) == 1 else None
        if self._only is not None:
            # Nothing to choose: not asked, and not refused when a client leaves it out.
            self.fields["region"].required = False
            self.fields["region"].widget = forms.HiddenInput()

    def clean_region(self):
        return self.cleaned_data.get("region") or self._only


class StewardForm(Form):
    steward = forms.ModelChoiceField(
        label=_("Quality steward"), queryset=None, required=False, empty_label=_("No steward")
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steward"].queryset = candidates


ORDERINGS = {
    "name": ("name", "id"),
    "-updated": ("-updated_at", "-id"),
    "-created": ("-created_at", "-id"),
    "uscc": ("uscc",),
}
FLAGS = {
    "key_industry": "is_key_industry",
    "sme": "is_sme",
    "specialised": "is_specialised",
}


class EnterpriseFilterForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Region.objects.none(), to_field_name="code", required=False
    )
    section = forms.ModelChoiceField(
        label=_("Industry section"),
        queryset=Industry.objects.filter(section__isnull=True),
        to_field_name="code",
        required=False,
    )
    size = forms.ChoiceField(
        label=_("Size"), choices=[("", _("Any size")), *Enterprise.Size.choices], required=False
    )
    flag = forms.ChoiceField(
        label=_("Flag"),
        choices=[
            ("", _("Any")),
            ("key_industry", _("Key industry")),
            ("sme", _("SME")),
            ("specialised", _("Specialised and innovative (专精特新)")),
        ],
        required=False,
    )
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("name", _("Name")),
            ("-updated", _("Recently changed")),
            ("-created", _("Recently added")),
            ("uscc", _("Code")),
        ],
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


class EnterpriseImportForm(RegionChoiceForm):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_xlsx_upload(upload, max_mb=5)
        return upload
