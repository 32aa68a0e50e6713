"""Forms of the supervision directories. They check the shape of the input; the services decide
(which city, which codes, which district)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region
from qualitymonth.core.validators import validate_xlsx_upload
from qualitymonth.supervision import directory_selectors as selectors
from qualitymonth.supervision.models import (
    Canteen,
    CheckItem,
    ConflictLink,
    RiskGrade,
    SubjectKind,
)
from qualitymonth.supervision.services import directories as services

DATE = {"type": "date"}
ACTIVE_CHOICES = [("", _("Active or not")), ("yes", _("Active")), ("no", _("Inactive"))]


def _district_field(required=False):
    return forms.ModelChoiceField(
        label=_("District"), queryset=Region.objects.none(), required=required
    )


# --- subjects ------------------------------------------------------------------------------------
class SubjectFilterForm(Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=60,
        required=False,
        help_text=_("A name, a licence number or a registration code"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *SubjectKind.choices], required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Any district"),
    )
    risk_grade = forms.ChoiceField(
        label=_("Risk grade"), choices=[("", _("Any grade")), *RiskGrade.choices], required=False
    )
    active = forms.ChoiceField(label=_("Active"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = selectors.districts_of(city)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["district"] = data["district"].code if data.get("district") else ""
        return data


class SubjectForm(Form):
    """The fields every kind of subject has; `KIND_FORMS` adds each kind's own."""

    kind = SubjectKind.ENTERPRISE
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    district = _district_field()
    supervising_unit = forms.ModelChoiceField(
        label=_("Supervising unit"),
        queryset=None,
        required=False,
        help_text=_("Its inspectors step aside where a check item says so."),
    )
    risk_grade = forms.ChoiceField(
        label=_("Risk grade"), choices=[("", "—"), *RiskGrade.choices], required=False
    )
    enterprise = forms.CharField(
        label=_("Enterprise (unified social credit code)"),
        max_length=18,
        required=False,
        help_text=_("The enterprise that runs it, from the registry; empty if none."),
    )

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.fields["district"].queryset = selectors.districts_of(city)
        self.fields["supervising_unit"].queryset = selectors.unit_choices(city)
        self.fields["supervising_unit"].label_from_instance = lambda u: u.display_name
        self.order_fields(self.FIELD_ORDER)

    FIELD_ORDER: list[str] = []

    def clean_enterprise(self):
        from qualitymonth.enterprises.models import Enterprise

        code = (self.cleaned_data.get("enterprise") or "").strip().upper()
        if not code:
            return None
        found = (
            Enterprise.objects.select_related("region", "district", "industry")
            .filter(Q(region=self.city) | Q(region__parent=self.city), uscc=code)
            .first()
        )
        if found is None:
            raise forms.ValidationError(_("No enterprise of the city's registry has this code."))
        return found

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class EnterpriseSubjectForm(SubjectForm):
    kind = SubjectKind.ENTERPRISE
    FIELD_ORDER = ["enterprise", "name", "district", "address", "risk_grade", "supervising_unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].required = True
        self.fields["enterprise"].label = _("Enterprise (unified social credit code)")
        self.fields["enterprise"].help_text = _(
            "Name, district and industry are copied from the registry."
        )
        self.fields["name"].help_text = _("Empty: the registry's name.")


class CanteenSubjectForm(SubjectForm):
    kind = SubjectKind.CANTEEN
    FIELD_ORDER = [
        "school",
        "school_kind",
        "canteen",
        "licence_number",
        "name",
        "district",
        "address",
        "risk_grade",
        "enterprise",
        "supervising_unit",
    ]
    school = forms.CharField(label=_("School"), max_length=120)
    school_kind = forms.ChoiceField(label=_("Kind of school"), choices=Canteen.SchoolKind.choices)
    canteen = forms.CharField(label=_("Canteen"), max_length=60, required=False)
    licence_number = forms.CharField(
        label=_("Food business licence number"),
        max_length=20,
        help_text=_("JY followed by 14 digits."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("Empty: the school's name and the canteen's.")
        self.fields["enterprise"].label = _("Operator (unified social credit code)")


class ElevatorSubjectForm(SubjectForm):
    kind = SubjectKind.ELEVATOR
    FIELD_ORDER = [
        "registration_code",
        "building",
        "user_unit",
        "maintenance_company",
        "last_maintained_on",
        "certificate_number",
        "certificate_expires_on",
        "name",
        "district",
        "address",
        "risk_grade",
        "enterprise",
        "supervising_unit",
    ]
    registration_code = forms.CharField(label=_("Registration code"), max_length=30)
    building = forms.CharField(label=_("Building"), max_length=120)
    user_unit = forms.CharField(label=_("User unit"), max_length=120)
    maintenance_company = forms.CharField(label=_("Maintenance company"), max_length=120)
    last_maintained_on = forms.DateField(
        label=_("Last maintained on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    certificate_number = forms.CharField(
        label=_("Periodic inspection certificate"), max_length=40, required=False
    )
    certificate_expires_on = forms.DateField(
        label=_("Certificate expires on"), required=False, widget=forms.DateInput(attrs=DATE)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("Empty: the building and the registration code.")
        self.fields["enterprise"].label = _(
            "User unit in the registry (unified social credit code)"
        )


KIND_FORMS = {
    SubjectKind.ENTERPRISE: EnterpriseSubjectForm,
    SubjectKind.CANTEEN: CanteenSubjectForm,
    SubjectKind.ELEVATOR: ElevatorSubjectForm,
}


def subject_initial(subject) -> dict:
    data = services.subject_data(subject)
    data["enterprise"] = subject.enterprise.uscc if subject.enterprise_id else ""
    return data


class CloseForm(Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=forms.DateInput(attrs=DATE))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the business closed, moved out of the city, the lift was removed."),
    )


class ImportForm(Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_xlsx_upload(upload, max_mb=5)
        return upload


# --- inspectors ----------------------------------------------------------------------------------
class InspectorFilterForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("Any unit")
    )
    kind = forms.ChoiceField(
        label=_("Kind of subject"),
        choices=[("", _("Any kind")), *SubjectKind.choices],
        required=False,
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Any district"),
    )
    active = forms.ChoiceField(label=_("Active"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.unit_choices(city)
        self.fields["unit"].label_from_instance = lambda u: u.display_name
        self.fields["district"].queryset = selectors.districts_of(city)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["district"] = data["district"].code if data.get("district") else ""
        data["unit"] = data["unit"].pk if data.get("unit") else ""
        return data


class InspectorForm(Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    certificate_number = forms.CharField(label=_("Enforcement certificate number"), max_length=30)
    qualifications = forms.CharField(label=_("Qualifications"), max_length=200, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of subject"),
        choices=SubjectKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The districts the inspector may be drawn for; none: the whole city."),
    )

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = selectors.districts_of(city)


class InspectorNewForm(InspectorForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    username = forms.CharField(
        label=_("Username of the account"),
        max_length=150,
        help_text=_("An existing account; it gets the unit's inspector role."),
    )

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, city=city, **kwargs)
        self.fields["unit"].queryset = selectors.unit_choices(city)
        self.fields["unit"].label_from_instance = lambda u: u.display_name
        self.order_fields(["unit", "username"])


class LinkForm(Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=30,
        help_text=_(
            "The subject's number in the directory, its licence number, registration code or "
            "unified social credit code."
        ),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=ConflictLink.Reason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city

    def clean_subject(self):
        found = selectors.subject_by_code(self.city, self.cleaned_data.get("subject"))
        if found is None:
            raise forms.ValidationError(_("No subject of the city's directory has this code."))
        return found


# --- check items and categories ------------------------------------------------------------------
class CheckItemFilterForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    subject_kind = forms.ChoiceField(
        label=_("Kind of subject"),
        choices=[("", _("Any kind")), *SubjectKind.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *CheckItem.Kind.choices], required=False
    )
    active = forms.ChoiceField(label=_("Active"), choices=ACTIVE_CHOICES, required=False)

    def filters(self) -> dict:
        return dict(self.cleaned_data) if self.is_bound and self.is_valid() else {}


class CheckItemForm(Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=120)
    subject_kind = forms.ChoiceField(label=_("Kind of subject"), choices=SubjectKind.choices)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CheckItem.Kind.choices,
        help_text=_("Ordinary items cap the share of subjects drawn; key items have no cap."),
    )
    max_share = forms.DecimalField(
        label=_("Highest share drawn (%)"),
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("Ordinary items only: from 0.01 to 100."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=300, required=False, widget=forms.Textarea({"rows": 2})
    )
    publication_workdays = forms.IntegerField(
        label=_("Results published within (working days)"),
        min_value=1,
        max_value=services.PUBLICATION_MAX,
        initial=20,
    )
    exclude_own_unit = forms.BooleanField(
        label=_("Inspectors of the supervising unit step aside"), required=False
    )
    checklist_code = forms.ChoiceField(label=_("Checklist"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist_code"].choices = [
            ("", "—"),
            *[(code, code) for code in services.checklist_codes(city)],
        ]

    def clean(self):
        data = super().clean()
        kind, share = data.get("kind"), data.get("max_share")
        if kind == CheckItem.Kind.KEY and share is not None:
            self.add_error(
                "max_share", _("A key item has no cap on the share drawn: leave it empty.")
            )
        elif kind == CheckItem.Kind.ORDINARY and share is None and "max_share" not in self.errors:
            self.add_error(
                "max_share",
                _("An ordinary item caps the share drawn: give it, from 0.01 to 100 %."),
            )
        return data


class CategoryForm(Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=60)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    standard = forms.CharField(
        label=_("Standards tested against"),
        max_length=200,
        required=False,
        help_text=_("E.g. GB 31701-2015; leave empty if unsure."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SearchForm(Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)


# --- the city's rules ----------------------------------------------------------------------------
def _bounded(name, label, help_text=""):
    low, high = services.RULE_BOUNDS[name]
    return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=help_text)


class RulesForm(Form):
    canteen_sample_grams = _bounded(
        "canteen_sample_grams",
        _("Food sample per dish (g)"),
        _("At least 125 g by the national rule; some cities require 200 g."),
    )
    canteen_sample_hours = _bounded(
        "canteen_sample_hours", _("Food samples kept at least (hours)"), _("At least 48 hours.")
    )
    elevator_maintenance_days = _bounded(
        "elevator_maintenance_days",
        _("Elevator maintenance at least every (days)"),
        _("15 days by the national rule; cities piloting maintenance on demand may set more."),
    )
    emergency_number = forms.CharField(label=_("Elevator emergency number"), max_length=12)
    lower_fine_person = forms.DecimalField(
        label=_("Lower fine for a person, up to (yuan)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Penalty publicity: a lower fine is published for 3 months, not 3 years."),
    )
    lower_fine_organisation = forms.DecimalField(
        label=_("Lower fine for an organisation, up to (yuan)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    retest_days = _bounded(
        "retest_days",
        _("Days to ask for a re-test after the result is received"),
        _("At least 15 days (Product Quality Law, art. 15)."),
    )
