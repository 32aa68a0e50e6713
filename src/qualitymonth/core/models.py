"""Regions, units, who belongs to which unit in which role, and the audit trail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.i18n import LocalizedNameMixin, english_active


class Region(LocalizedNameMixin, models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("GB/T 2260 code"))
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        # Choice lists, `{{ region }}` and messages follow the reader's language.
        return self.localized_name

    def ancestors_and_self(self) -> list["Region"]:
        chain, region = [], self
        while region is not None:
            chain.append(region)
            region = region.parent
        return chain


class Unit(LocalizedNameMixin, models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government agency")
        MARKET_SUPERVISION = "market_supervision", _("Market-supervision office")
        ASSOCIATION = "association", _("Association")
        ENTERPRISE = "enterprise", _("Enterprise")
        NQI = "nqi", _("Quality-infrastructure institution")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="units", verbose_name=_("region")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def display_name(self) -> str:
        # The short name is Chinese shorthand (市市场监管局); an English reader gets the full name.
        if self.name_en and english_active():
            return self.name_en
        return self.short_name or self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        UNIT_STAFF = "unit_staff", _("Unit staff")
        UNIT_MANAGER = "unit_manager", _("Unit manager")
        CAMPAIGN_OFFICE = "campaign_office", _("Campaign office")
        INSPECTOR = "inspector", _("Inspector")
        EXPERT = "expert", _("Expert")
        JUDGE = "judge", _("Judge")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class AuditEvent(models.Model):
    """One row per state change (and per view of unmasked personal data), written in the same
    transaction as the change so the trail can never say something happened that did not."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        DENIED = "denied", _("Denied")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor label"), max_length=150, blank=True)
    event_type = models.CharField(_("event type"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event_type} {self.object_repr}"


class WorkdayOverride(models.Model):
    """A day the official holiday calendar gets wrong or does not know yet: the State Council
    publishes each year's holidays late in the year before, and the calendar package may lag."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("reason"), max_length=60, help_text=_("e.g. 国庆节 or 调休上班"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class JobRun(models.Model):
    """One run of a periodic job for one slot of its schedule (core/schedule.py). The unique
    (job, slot) pair is the claim: when two schedulers fire the same slot, one insert wins and
    only that one runs the job."""

    job = models.CharField(_("job"), max_length=60)
    slot = models.DateTimeField(_("scheduled for"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="job_run_once")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
