"""Question bank, quizzes, attempts and the leaderboard's source of truth."""

import secrets
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.validators import mask_mobile, mask_name, mask_numbers_in_text


class QuestionDomain(models.TextChoices):
    METROLOGY = "metrology", _("Metrology")
    STANDARDS = "standards", _("Standards")
    CERTIFICATION = "certification", _("Certification and accreditation")
    PRODUCT_LAW = "product_law", _("Product quality law")
    CONSUMER = "consumer", _("Consumer rights")
    FOOD_SAFETY = "food_safety", _("Food safety")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment")
    QUALITY_MONTH = "quality_month", _("Quality Month and quality development")
    EXCELLENCE = "excellence", _("Performance excellence and quality management")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "truefalse", _("True or false")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    domain = models.CharField(
        _("domain"), max_length=20, choices=QuestionDomain.choices, db_index=True
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), validators=[MinValueValidator(1), MaxValueValidator(3)], default=1
    )
    stem = models.TextField(_("question"))
    options = models.JSONField(_("options"), help_text=_("The options, in their original order."))
    answer = models.JSONField(
        _("correct options"), help_text=_("0-based indices of the correct options.")
    )
    explanation = models.TextField(_("explanation"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain", "difficulty", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["is_active", "domain", "difficulty"], name="question_draw_idx")
        ]

    def __str__(self) -> str:
        return self.stem[:60]

    def clean(self) -> None:
        options, answer = self.options, self.answer
        if not isinstance(options, list) or not all(
            isinstance(o, str) and o.strip() for o in options
        ):
            raise ValidationError({"options": _("Options must be a list of non-empty texts.")})
        if len(set(options)) != len(options):
            raise ValidationError({"options": _("Two options have the same text.")})
        if not isinstance(answer, list) or not all(
            isinstance(i, int) and 0 <= i < len(options) for i in answer
        ):
            raise ValidationError(
                {"answer": _("Each correct answer must point at one of the options.")}
            )
        if len(set(answer)) != len(answer):
            raise ValidationError({"answer": _("A correct option is listed twice.")})
        if self.kind == self.Kind.TRUE_FALSE and (len(options) != 2 or len(answer) != 1):
            raise ValidationError(
                {"options": _("A true-or-false question has two options and one answer.")}
            )
        if self.kind == self.Kind.SINGLE and (len(options) < 2 or len(answer) != 1):
            raise ValidationError(
                {"answer": _("A single-choice question has exactly one correct option.")}
            )
        if self.kind == self.Kind.MULTIPLE and (len(answer) < 2 or len(answer) >= len(options)):
            raise ValidationError(
                {
                    "answer": _(
                        "A multiple-choice question has at least two correct options and at least one wrong one."
                    )
                }
            )


class Quiz(models.Model):
    class Identity(models.TextChoices):
        LOGIN = "login", _("Logged-in account")
        MOBILE = "mobile", _("Verified mobile number")
        EITHER = "either", _("Account or verified mobile number")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="quizzes",
        verbose_name=_("campaign"),
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("rules"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_limit_seconds = models.PositiveIntegerField(
        _("time limit (seconds)"),
        default=600,
        validators=[MinValueValidator(30), MaxValueValidator(4 * 3600)],
    )
    attempts_per_day = models.PositiveSmallIntegerField(
        _("attempts per person per day"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    identity = models.CharField(
        _("who may take it"), max_length=10, choices=Identity.choices, default=Identity.EITHER
    )
    points_per_question = models.PositiveSmallIntegerField(_("points per question"), default=5)
    partial_credit = models.BooleanField(
        _("partial credit for multiple choice"),
        default=True,
        help_text=_(
            "Some correct options and no wrong one earn a share of the points; any wrong option earns none."
        ),
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (percent of the maximum score)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A certificate is offered from this share of the maximum score upwards."),
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="quiz_window_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quiz:quiz", args=[self.slug])

    @property
    def question_count(self) -> int:
        return sum(rule.count for rule in self.rules.all())

    @property
    def max_score(self) -> int:
        return self.question_count * self.points_per_question

    @property
    def pass_score(self) -> Decimal:
        """The lowest score that earns a certificate, rounded up to the score's one decimal."""
        exact = Decimal(self.max_score * self.pass_percent) / 100
        return exact.quantize(Decimal("0.1"), rounding=ROUND_CEILING)


class DrawRule(models.Model):
    """How many questions of a domain and difficulty a paper gets; empty means any."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="rules")
    domain = models.CharField(
        _("domain"), max_length=20, choices=QuestionDomain.choices, blank=True
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    count = models.PositiveSmallIntegerField(
        _("questions"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("draw rule")
        verbose_name_plural = _("draw rules")

    def __str__(self) -> str:
        return f"{self.get_domain_display() or '*'} / {self.difficulty or '*'} × {self.count}"


def new_attempt_token() -> str:
    return secrets.token_urlsafe(18)


CERTIFICATE_NAME_MAX_LENGTH = 30


def new_certificate_code() -> str:
    return secrets.token_hex(6).upper()


class Attempt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Closed at the time limit")

    FINISHED = (Status.SUBMITTED, Status.EXPIRED)

    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("quiz")
    )
    token = models.CharField(max_length=32, unique=True, default=new_attempt_token, editable=False)
    participant = models.CharField(_("participant"), max_length=40, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quiz_attempts",
    )
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    display_name = models.CharField(_("name"), max_length=40)
    day = models.DateField(_("day"), db_index=True)
    # Chosen (optionally) when starting: one of the campaign's city districts, so the dashboard
    # can count participation by district.
    district = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=1, default=0)
    correct_count = models.PositiveSmallIntegerField(_("correct answers"), default=0)
    duration_ms = models.PositiveIntegerField(_("time used (ms)"), null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=40, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    excluded = models.BooleanField(_("excluded from the leaderboard"), default=False)
    excluded_reason = models.CharField(_("reason for exclusion"), max_length=200, blank=True)
    certificate_code = models.CharField(
        max_length=12, unique=True, default=new_certificate_code, editable=False
    )
    # Typed by the person for the certificate: the display name may be their masked mobile.
    certificate_name = models.CharField(
        _("name on the certificate"), max_length=CERTIFICATE_NAME_MAX_LENGTH, blank=True
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # At most one attempt in progress per person and quiz, whatever races happen.
            models.UniqueConstraint(
                fields=["quiz", "participant"],
                condition=Q(status="open"),
                name="attempt_one_open_per_participant",
            ),
        ]
        indexes = [
            models.Index(fields=["quiz", "participant", "day"], name="attempt_daily_idx"),
            models.Index(fields=["quiz", "status", "deadline"], name="attempt_expiry_idx"),
        ]

    def __str__(self) -> str:
        # The display name is the participant's mobile when they gave no name: masked here,
        # because this text ends up in the admin and the audit trail.
        return f"{self.quiz} · {self.masked_name} · {self.score}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def passed(self) -> bool:
        """Finished at or above the quiz's pass mark (never with no points at all)."""
        return self.is_finished and self.score > 0 and self.score >= self.quiz.pass_score

    @property
    def duration_s(self) -> float:
        return round((self.duration_ms or 0) / 1000, 1)

    @property
    def masked_name(self) -> str:
        return (
            mask_mobile(self.display_name)
            if self.display_name.isdigit()
            else mask_name(self.display_name)
        )


class AttemptQuestion(models.Model):
    """One question of one paper: its place, the shuffled option order, and the answer given."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_items")
    position = models.PositiveSmallIntegerField()
    option_order = models.JSONField(
        help_text="original option index shown at each display position"
    )
    chosen = models.JSONField(null=True, blank=True, help_text="original option indices chosen")
    answered_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="attempt_question_unique"),
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


class LeaderboardEntry(models.Model):
    """Each person's best finished attempt, overall (day empty) and per day: the database's copy
    of the leaderboard, from which the Redis sorted sets are (re)built."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(null=True, blank=True)
    participant = models.CharField(max_length=40)
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+")
    display_name = models.CharField(max_length=40)
    score = models.DecimalField(max_digits=7, decimal_places=1)
    duration_ms = models.PositiveIntegerField()
    finished_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "day", "participant"], name="leaderboard_one_per_day"
            ),
            models.UniqueConstraint(
                fields=["quiz", "participant"],
                condition=Q(day__isnull=True),
                name="leaderboard_one_overall",
            ),
        ]
        indexes = [
            models.Index(
                fields=["quiz", "day", "-score", "duration_ms", "finished_at"],
                name="leaderboard_rank_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{mask_numbers_in_text(self.display_name)} {self.score}"
