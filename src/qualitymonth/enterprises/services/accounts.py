"""Accounts of enterprise users: a person signs up before proving a mobile and claiming."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record


def username_taken(username: str) -> bool:
    # Case-insensitively: "Zhang" and "zhang" would be two accounts one person cannot tell apart.
    return get_user_model().objects.filter(username__iexact=username).exists()


def account_register(*, username: str, password: str, name: str):
    """A new account (no role: it acts for an enterprise only once a claim is approved)."""
    User = get_user_model()
    username, name = username.strip(), name.strip()
    user = User(username=username, first_name=name)
    validate_password(password, user)  # the form checked it too; a service stands on its own
    if username_taken(username):
        raise ValidationError(
            {"username": ValidationError(_("This username is taken."), code="duplicate")}
        )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save(force_insert=True)
            audit_record(actor=user, event_type="enterprise.account_registered", target=user)
    except IntegrityError:
        raise ValidationError(
            {"username": ValidationError(_("This username is taken."), code="duplicate")}
        ) from None
    return user
