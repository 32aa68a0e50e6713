"""Forms of enterprise accounts and claims. What they check is the shape of the input; the
services decide (the registry, duplicates, the licence's content)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.forms import Form
from qualitymonth.enterprises.claim_selectors import STATUSES
from qualitymonth.enterprises.models import Claim
from qualitymonth.enterprises.services.accounts import username_taken
from qualitymonth.enterprises.services.claims import LICENCE_MAX_MB, POSITION_MAX, REASON_MAX


class SignupForm(Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; you log in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if username_taken(username):
            raise ValidationError(_("This username is taken."), code="duplicate")
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            # Checked against the username and name too ("zhangsan" may not be zhangsan's).
            user = get_user_model()(
                username=data.get("username", ""), first_name=data.get("name", "")
            )
            try:
                validate_password(first, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class ClaimForm(Form):
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        help_text=_("The 18 characters on the business licence."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    position = forms.CharField(
        label=_("Your position in the enterprise"),
        max_length=POSITION_MAX,
        help_text=_("For example: legal representative, quality manager, office staff."),
    )
    # A plain file field: the service reads the content (Pillow), whatever the name says.
    licence = forms.FileField(
        label=_("Business licence"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not on the class: the text follows the language of the request.
        self.fields["licence"].help_text = gettext(
            "A photo or scan (JPEG, PNG or WebP), at most %(n)s MB."
        ) % {"n": LICENCE_MAX_MB}


class ClaimFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Claim.Status.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=60)

    def values(self) -> dict:
        if not self.is_valid():
            return {"status": "", "q": ""}
        status = self.cleaned_data["status"]
        return {"status": status if status in STATUSES else "", "q": self.cleaned_data["q"]}


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("Why the claim is declined"),
        max_length=REASON_MAX,
        help_text=_("The person reads this."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
