"""Pre-aggregated figures (facts), the partitions waiting to be rebuilt, and report jobs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualitymonth.campaigns.models import Campaign
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.storage import private_storage


class Fact(models.Model):
    """One pre-aggregated row: what a provider's `rebuild` returned for (campaign, source, day).
    See core.figures.FactRow for what count, hits and total hold."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=30)
    day = models.DateField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+")
    key = models.CharField(max_length=60, blank=True)
    subkey = models.CharField(max_length=60, blank=True)
    count = models.BigIntegerField(default=0)
    hits = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["campaign", "source", "day"],
                include=["unit", "district", "key", "subkey", "count", "hits", "total"],
                name="fact_partition_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.day} {self.key}/{self.subkey}: {self.count}"


class Stale(models.Model):
    """A partition of facts that no longer matches the raw rows: rebuilt by the next refresh (the
    worker's periodic job, or the dashboard itself before it reads)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=30)
    day = models.DateField()
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "source", "day"], name="stale_one_per_partition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.day}"


class ReportJob(models.Model):
    """The end-of-campaign Word report, written by a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    # The report holds every unit's figures: the office's only, never under public MEDIA.
    file = models.FileField(
        _("file"), upload_to="reports/campaign/", storage=private_storage, blank=True
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("campaign report")
        verbose_name_plural = _("campaign reports")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_status_display()}"
