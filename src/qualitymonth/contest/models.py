"""The micro-video contest (微视频大赛): phases, entries, judging by rubric, public votes, awards."""

import datetime as dt
from decimal import Decimal
from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.core.i18n import LocalizedNameMixin
from qualitymonth.core.models import Unit
from qualitymonth.core.storage import private_storage
from qualitymonth.core.validators import mask_numbers_in_text


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    SUBMISSION = "submission", _("Submission")
    # Its own context: the quiz's "Review" (looking back at one's answers) is another word.
    REVIEW = "review", pgettext_lazy("contest phase", "Review")
    JUDGING = "judging", _("Judging")
    VOTING = "voting", _("Public voting")
    RESULTS = "results", _("Results")


class Contest(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="contests",
        verbose_name=_("campaign"),
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=120)
    theme = models.CharField(_("theme"), max_length=120)
    rules = models.TextField(_("rules"), help_text=_("Plain text; blank lines start paragraphs."))
    # The phases, in order. Judging and public voting may run side by side.
    submission_opens = models.DateTimeField(_("submission opens"))
    submission_closes = models.DateTimeField(_("submission closes"))
    review_closes = models.DateTimeField(_("review closes"))
    judging_closes = models.DateTimeField(_("judging closes"))
    voting_opens = models.DateTimeField(_("voting opens"))
    voting_closes = models.DateTimeField(_("voting closes"))
    results_at = models.DateTimeField(_("results announced"))
    # File limits, checked on upload.
    max_file_mb = models.PositiveIntegerField(_("largest file (MB)"), default=300)
    min_seconds = models.PositiveIntegerField(_("shortest video (s)"), default=1)
    max_seconds = models.PositiveIntegerField(_("longest video (s)"), default=300)
    max_height = models.PositiveIntegerField(
        _("highest resolution (lines)"), default=2160, help_text=_("1080 for Full HD, 2160 for 4K.")
    )
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"), default=3, validators=[MinValueValidator(1)]
    )
    vote_weight = models.DecimalField(
        _("weight of the public vote"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.20"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of the final score from public votes, 0 to 1; judges have the rest."),
    )
    votes_per_day = models.PositiveSmallIntegerField(
        _("votes per person per day"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Across all entries; one vote per entry per day in any case."),
    )
    results_confirmed_at = models.DateTimeField(_("awards confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-submission_opens"]
        verbose_name = _("micro-video contest")
        verbose_name_plural = _("micro-video contests")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contest:detail", args=[self.slug])

    # Paths of the back office that sit beside /office/contest/<slug>/.
    RESERVED_SLUGS = frozenset({"new", "judging", "entries"})

    def clean(self) -> None:
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("This address is taken by the platform; choose another.")}
            )
        if self.min_seconds and self.max_seconds and self.max_seconds < self.min_seconds:
            raise ValidationError(
                {"max_seconds": _("The longest video must not be shorter than the shortest.")}
            )
        order = [
            ("submission_opens", self.submission_opens),
            ("submission_closes", self.submission_closes),
            ("review_closes", self.review_closes),
            ("judging_closes", self.judging_closes),
            ("results_at", self.results_at),
        ]
        for (_name, earlier), (later_name, later) in pairwise(order):
            if earlier and later and later < earlier:
                raise ValidationError(
                    {later_name: _("The phases must follow one another in time.")}
                )
        if self.voting_opens and self.voting_closes and self.voting_closes <= self.voting_opens:
            raise ValidationError({"voting_closes": _("Voting must close after it opens.")})
        if self.voting_opens and self.review_closes and self.voting_opens < self.review_closes:
            raise ValidationError(
                {"voting_opens": _("Voting opens after review, when the entries are known.")}
            )
        if self.voting_closes and self.results_at and self.results_at < self.voting_closes:
            raise ValidationError({"results_at": _("Results come after voting closes.")})

    def phase(self, now: dt.datetime | None = None) -> str:
        """Where the contest is; voting may run beside judging, and then it is what the public sees."""
        now = now or timezone.now()
        if now < self.submission_opens:
            return Phase.UPCOMING
        if self.voting_open(now):
            return Phase.VOTING
        if now < self.submission_closes:
            return Phase.SUBMISSION
        if now < self.review_closes:
            return Phase.REVIEW
        if now < self.results_at:
            return Phase.JUDGING
        return Phase.RESULTS

    def phase_label(self) -> str:
        return Phase(self.phase()).label

    def submission_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.submission_opens <= now < self.submission_closes

    def voting_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.voting_opens <= now < self.voting_closes

    def judging_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.submission_closes <= now < self.judging_closes

    def results_public(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(self.results_confirmed_at) and now >= self.results_at

    def timeline(self) -> list[tuple[str, dt.datetime, dt.datetime]]:
        return [
            (Phase.SUBMISSION.label, self.submission_opens, self.submission_closes),
            (Phase.REVIEW.label, self.submission_closes, self.review_closes),
            (Phase.JUDGING.label, self.review_closes, self.judging_closes),
            (Phase.VOTING.label, self.voting_opens, self.voting_closes),
            (Phase.RESULTS.label, self.results_at, self.results_at),
        ]


class Category(LocalizedNameMixin, models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = pgettext_lazy("contest", "category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="contest_category_code")
        ]

    def __str__(self) -> str:
        return self.localized_name


class Criterion(models.Model):
    """One line of the judges' rubric, scored 0 to max_score and weighted."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("what the judge looks at"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class AwardLevel(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    EXCELLENCE = "excellence", _("Excellence award")


AWARD_ORDER = [AwardLevel.FIRST, AwardLevel.SECOND, AwardLevel.THIRD, AwardLevel.EXCELLENCE]


class AwardRule(models.Model):
    """How many prizes of a level each category gives (or one category, when set)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="award_rules")
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=pgettext_lazy("contest", "category"),
        help_text=_("Empty: the same count in every category."),
    )
    level = models.CharField(_("award"), max_length=12, choices=AwardLevel.choices)
    count = models.PositiveSmallIntegerField(_("how many"), default=1)

    class Meta:
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")

    def __str__(self) -> str:
        return f"{self.get_level_display()} × {self.count}"


class Judge(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contest_judgeships",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("unit"),
        help_text=_("Entries from this unit are never given to this judge."),
    )

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="contest_judge_unique")
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


def entry_upload_to(instance, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:6]
    return f"contest/{instance.contest_id}/{uuid.uuid4().hex}{suffix}"


class Entry(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        CHANGES = "changes", _("Changes asked")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=pgettext_lazy("contest", "category"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contest_entries",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author's name"), max_length=60)
    team = models.CharField(
        _("team members"), max_length=300, blank=True, help_text=_("Names, separated by commas.")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contest_entries",
        verbose_name=_("organisation"),
        help_text=_("The unit the entry comes from, if any."),
    )
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(pgettext_lazy("contest", "description"), max_length=2000)
    # Videos live in the private storage: nobody reaches an entry that is not approved by
    # guessing its address. The contest's own view streams them, with Range.
    video = models.FileField(_("video"), upload_to=entry_upload_to, storage=private_storage)
    cover = models.ImageField(_("cover image"), upload_to=entry_upload_to, storage=private_storage)
    video_format = models.CharField(max_length=8, blank=True, editable=False)
    duration_seconds = models.FloatField(null=True, blank=True, editable=False)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    codec = models.CharField(max_length=20, blank=True, editable=False)
    originality_declared = models.BooleanField(_("declaration of originality"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderation_note = models.CharField(_("note from the review"), max_length=500, blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    judge_score = models.FloatField(_("judges' score"), null=True, blank=True, editable=False)
    final_score = models.FloatField(_("final score"), null=True, blank=True, editable=False)
    rank = models.PositiveIntegerField(_("rank in category"), null=True, blank=True)
    award = models.CharField(_("award"), max_length=12, choices=AwardLevel.choices, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        indexes = [
            models.Index(fields=["contest", "status", "-approved_at"], name="entry_gallery_idx"),
            models.Index(fields=["contest", "status", "-vote_count"], name="entry_votes_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contest:entry", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED


class Assignment(models.Model):
    """One judge's review of one entry: a score per criterion and a comment."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="assignments")
    scores = models.JSONField(_("scores"), default=dict, help_text=_("criterion id → score"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    total = models.FloatField(_("weighted total (0–100)"), null=True, blank=True)
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = _("judging assignment")
        verbose_name_plural = _("judging assignments")
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.judge}"


class Vote(models.Model):
    """One person's vote for one entry on one day. The unique constraint is what makes a repeated
    or concurrent vote count once."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=40, help_text=_("u:<account> or m:<mobile>"))
    day = models.DateField()
    # Kept for the fraud checks only: a hash of the address and of the browser, never the values.
    ip_hash = models.CharField(max_length=16, db_index=True)
    device_hash = models.CharField(max_length=16)
    flagged = models.CharField(_("why flagged"), max_length=120, blank=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["entry", "voter", "day"], name="vote_once_a_day")
        ]
        indexes = [
            models.Index(fields=["entry"], condition=~Q(flagged=""), name="vote_flagged_idx")
        ]

    def __str__(self) -> str:
        # A voter without an account is "m:<mobile>": masked, as this text reaches the admin.
        return f"{self.entry_id}:{mask_numbers_in_text(self.voter)}:{self.day}"
