"""A year's campaign, its activities, the people who register for them and what came of them."""

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.core.i18n import LocalizedNameMixin, english_active
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.validators import mask_mobile, mask_name, refuse_control_characters

# Crockford's base32 without the letters people misread (I, L, O, U): a ticket code is read
# aloud and typed on a phone at the door.
TICKET_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TICKET_LENGTH = 8


def new_ticket_code() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))


def new_ticket_token() -> str:
    return secrets.token_urlsafe(24)


class Campaign(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1978), MaxValueValidator(2100)]
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("region")
    )
    theme = models.CharField(_("theme"), max_length=120)
    theme_en = models.CharField(
        _("theme in English"),
        max_length=160,
        blank=True,
        help_text=_("Shown to readers who chose English; blank shows the Chinese theme."),
    )
    slogan = models.CharField(_("slogan"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="led_campaigns", verbose_name=_("lead unit")
    )
    co_organisers = models.ManyToManyField(
        Unit,
        related_name="co_organised_campaigns",
        blank=True,
        verbose_name=_("co-organising units"),
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "region__code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="campaign_one_per_region_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region} · {self.theme}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign", args=[self.slug])

    @property
    def localized_theme(self) -> str:
        return self.theme_en if self.theme_en and english_active() else self.theme


class FocusArea(LocalizedNameMixin, models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="focus_areas")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="focus_area_code_unique")
        ]

    def __str__(self) -> str:
        return self.localized_name


class Domain(LocalizedNameMixin, models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="domains")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="domain_code_unique")
        ]

    def __str__(self) -> str:
        return self.localized_name


class Activity(models.Model):
    class Kind(models.TextChoices):
        OFFLINE = "offline", _("Offline")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Online and offline")

    class Type(models.TextChoices):
        TRAINING = "training", _("Training")
        SITE_VISIT = "site_visit", _("Site visit")
        OPEN_DAY = "open_day", _("Open day")
        LECTURE = "lecture", _("Lecture")
        CONTEST = "contest", _("Contest")
        SERVICE_TOUR = "service_tour", _("Service tour")
        INSPECTION = "inspection", _("Inspection action")
        EXHIBITION = "exhibition", _("Exhibition")
        CONSULTATION = "consultation", _("Consultation")
        FORUM = "forum", _("Forum")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.COMPLETED, Status.CANCELLED)

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="activities", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="activities", verbose_name=_("organiser")
    )
    co_organisers = models.ManyToManyField(
        Unit, related_name="co_organised_activities", blank=True, verbose_name=_("co-organisers")
    )
    domains = models.ManyToManyField(Domain, related_name="activities", verbose_name=_("domains"))
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="activities", verbose_name=_("focus area")
    )
    kind = models.CharField(_("form"), max_length=10, choices=Kind.choices, default=Kind.OFFLINE)
    activity_type = models.CharField(
        _("type"), max_length=20, choices=Type.choices, default=Type.OTHER
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    district = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("district"),
    )
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats; leave empty when no registration is taken."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    # Title, summary, venue and unit names in one column so a search is one indexed-friendly scan.
    search_text = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["campaign", "status", "starts_at"], name="activity_calendar_idx"),
            models.Index(fields=["organiser", "status"], name="activity_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="activity_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:activity", args=[self.pk])

    def clean(self):
        super().clean()
        # A title is one line: calendar feeds, tickets and certificates print it as one. Checked
        # here rather than by a field validator (no migration), so the web form, the Excel
        # import, the services and the admin all refuse it.
        try:
            refuse_control_characters(self.title or "", multiline=False)
        except ValidationError as error:
            raise ValidationError({"title": error.error_list}) from error

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def takes_registration(self) -> bool:
        return self.capacity is not None

    @property
    def has_offline_part(self) -> bool:
        return self.kind in (self.Kind.OFFLINE, self.Kind.HYBRID)

    def registration_state(self, now: datetime | None = None) -> str:
        """'open', 'not_yet', 'closed' or 'none' (no registration taken)."""
        now = now or timezone.now()
        if not self.takes_registration or self.status != self.Status.PUBLISHED:
            return "none" if not self.takes_registration else "closed"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        closes = self.registration_closes_at or self.starts_at
        return "open" if now < closes else "closed"

    def phase(self, now: datetime | None = None) -> str:
        """'upcoming', 'ongoing' or 'ended' by the clock, whatever the workflow status."""
        now = now or timezone.now()
        if now < self.starts_at:
            return "upcoming"
        return "ongoing" if now <= self.ends_at else "ended"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the wait list")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITLISTED)

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("activity")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=40)
    mobile = models.CharField(_("mobile"), max_length=11)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    waitlist_position = models.PositiveIntegerField(_("wait-list position"), null=True, blank=True)
    ticket_code = models.CharField(
        _("ticket code"), max_length=TICKET_LENGTH, unique=True, default=new_ticket_code
    )
    token = models.CharField(max_length=40, unique=True, default=new_ticket_token, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration per phone number and activity; cancelled ones may repeat.
            models.UniqueConstraint(
                fields=["activity", "mobile"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="registration_one_active_per_mobile",
            ),
        ]
        indexes = [
            models.Index(
                fields=["activity", "status", "waitlist_position"], name="registration_queue_idx"
            ),
            # The dashboard rebuilds a day of registrations at a time.
            models.Index(fields=["created_at"], name="registration_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} · {self.masked_name}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:ticket", args=[self.token])

    @property
    def display_code(self) -> str:
        return f"{self.ticket_code[:4]}-{self.ticket_code[4:]}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class ActivityReport(models.Model):
    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="report", verbose_name=_("activity")
    )
    participants = models.PositiveIntegerField(_("participants"))
    enterprises_served = models.PositiveIntegerField(_("enterprises served"), default=0)
    problems_solved = models.PositiveIntegerField(_("problems solved"), default=0)
    summary = models.TextField(_("summary"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")

    def __str__(self) -> str:
        return str(self.activity)


class ReportPhoto(models.Model):
    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="reports/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


class SurveyResponse(models.Model):
    """The three-question satisfaction survey a checked-in participant answers afterwards."""

    SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="survey"
    )
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"), choices=SCORE_CHOICES)
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness of the content"), choices=SCORE_CHOICES
    )
    organisation = models.PositiveSmallIntegerField(
        _("organisation and venue"), choices=SCORE_CHOICES
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.registration} · {self.overall}/{self.usefulness}/{self.organisation}"


class Participation(models.Model):
    """An association or enterprise that applies to take part in a year's campaign ("广大行业协会、
    企业也将结合各自的实际开展'质量月'活动"). Accepted, it becomes a participating unit (a unit
    of its own kind beside the government co-organisers): its applicant manages it and plans
    activities through the same review as everyone else."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        ENTERPRISE = "enterprise", _("Enterprise")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the office")
        # A context: a complaint's "Accepted" is 已受理; an organisation is admitted (已同意).
        ACCEPTED = "accepted", pgettext_lazy("participation status", "Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    district = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    contact_name = models.CharField(_("contact"), max_length=40)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11)
    plan = models.TextField(_("what it plans for the month"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaign_participations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # One unit per organisation across the years: it joins again with the same unit.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("participating unit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "uscc"],
                condition=Q(status__in=["pending", "accepted"]),
                name="one_live_participation_per_campaign_and_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"
