"""Forms of the hazards' pages. They check the shape of the input; the services decide (who
may, which dates, whether a note is needed)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.core.forms import Form
from qualitymonth.core.models import Region, Unit
from qualitymonth.supervision import hazard_selectors as selectors
from qualitymonth.supervision.models import SubjectKind
from qualitymonth.supervision.services import hazards as services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HazardFilterForm(Form):
    """The list's search and filters; a value that is not a choice is left out, not refused."""

    q = forms.CharField(
        label=_("Subject or inspection number"), max_length=60, required=False, strip=True
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All districts"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of subject"),
        choices=[("", _("All kinds")), *SubjectKind.choices],
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = selectors.district_choices(user)
        self.fields["unit"].queryset = selectors.unit_choices(user)

    def filters(self, tab: str) -> selectors.Filters:
        data = {}
        if self.is_bound:
            # One bad value must not hide the list: the fields that are valid still filter.
            self.is_valid()
            data = self.cleaned_data
        district = data.get("district")
        unit = data.get("unit")
        return selectors.Filters(
            tab=tab,
            query=data.get("q") or "",
            district=district.code if district else "",
            kind=data.get("kind") or "",
            unit=unit.pk if unit else None,
        )


class ReplyForm(Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was corrected, and how it is kept right from now on."),
    )
    photo = forms.FileField(
        label=_("Photo of the rectification"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "A JPEG, PNG or WebP picture of at most %(n)s MB; place and camera data are removed."
        )
        % {"n": services.PHOTO_MAX_MB},
    )


class ReinspectionForm(Form):
    reinspected_on = forms.DateField(label=_("Re-inspected on"), widget=DATE)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("close", pgettext_lazy("hazard outcome", "Rectified: close the order")),
            ("escalate", _("Not rectified: open an enforcement case")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Re-inspection note"),
        max_length=services.NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when escalating, and when closing an order the subject never answered."
        ),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis (when escalating)"),
        max_length=services.LEGAL_BASIS_MAX,
        required=False,
    )


class ExtendForm(Form):
    deadline = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=services.REASON_MAX,
        help_text=_("The deadline can be extended once."),
    )


class MineFilterForm(Form):
    status = forms.ChoiceField(
        choices=[
            ("open", pgettext_lazy("hazards", "Open")),
            ("done", pgettext_lazy("hazards", "Finished")),
            ("all", _("All")),
        ],
        required=False,
    )
