"""The quiz certificate: offered from the quiz's pass mark, in the name the person gives for it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.validators import refuse_control_characters
from qualitymonth.quiz.models import CERTIFICATE_NAME_MAX_LENGTH, Attempt


def certificate_name_clean(value: str) -> str:
    """The name as it will be printed: one line, no invisible characters, not empty."""
    name = (value or "").strip()
    if not name:
        raise ValidationError(_("Enter the name to print on the certificate."), code="required")
    refuse_control_characters(name, multiline=False)
    if len(name) > CERTIFICATE_NAME_MAX_LENGTH:
        raise ValidationError(
            _("The name is too long for the certificate: at most %(n)s characters.")
            % {"n": CERTIFICATE_NAME_MAX_LENGTH},
            code="max_length",
        )
    return name


def certificate_refusal(attempt: Attempt) -> str | None:
    """Why this attempt has no certificate, or None when it has one to offer."""
    if not attempt.is_finished:
        return _("The certificate is offered once the quiz is submitted.")
    if not attempt.passed:
        return _(
            "A certificate is offered from %(score)s points (%(percent)s %% of the maximum)."
        ) % {"score": attempt.quiz.pass_score, "percent": attempt.quiz.pass_percent}
    return None


@transaction.atomic
def attempt_certificate_name_set(*, attempt: Attempt, name: str, acting_user=None) -> Attempt:
    """Print this name on the attempt's certificate; set once, so one attempt is one person's."""
    attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    refusal = certificate_refusal(attempt)
    if refusal:
        raise ValidationError(refusal, code="no_certificate")
    name = certificate_name_clean(name)
    if attempt.certificate_name == name:
        return attempt  # the same form sent twice
    if attempt.certificate_name:
        raise ValidationError(
            _("This certificate already carries a name, which cannot be changed."),
            code="already_named",
        )
    attempt.certificate_name = name
    attempt.save(update_fields=["certificate_name"])
    # The name itself stays out of the audit row: it is personal data, kept on the attempt only.
    audit_record(
        actor=acting_user or attempt.user,
        actor_label=attempt.masked_name,
        event_type="quiz.certificate_name",
        target=attempt,
    )
    return attempt
