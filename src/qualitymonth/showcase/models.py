"""Science articles (质量科普): short, sourced pieces that explain quality to the public."""

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.models import Unit


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class Article(models.Model):
    class Category(models.TextChoices):
        METROLOGY = "metrology", _("Weights and measures")
        STANDARDS = "standards", _("Standards")
        CERTIFICATION = "certification", _("Certification")
        PRODUCT_SAFETY = "product_safety", _("Product safety")
        FOOD_SAFETY = "food_safety", _("Food safety")
        SPECIAL_EQUIPMENT = "special_equipment", _("Elevators and special equipment")
        CONSUMER = "consumer", _("Consumer rights")
        QUALITY_MANAGEMENT = "quality_management", _("Quality management")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"), help_text=_("HTML; anything that could run is removed."))
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("Separated by commas.")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    cover = models.ImageField(
        _("cover image"),
        upload_to="articles/%Y/",
        blank=True,
        help_text=_("JPEG, PNG or WebP, up to 5 MB; 16:9 looks best."),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="articles", verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    weekly_pick = models.DateField(
        _("weekly pick (week of)"),
        null=True,
        blank=True,
        help_text=_("The Monday of the week it is featured on the campaign home."),
    )
    read_count = models.PositiveIntegerField(_("reads"), default=0)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("science article")
        verbose_name_plural = _("science articles")
        indexes = [models.Index(fields=["status", "-published_at"], name="article_public_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showcase:article", args=[self.slug])

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace("，", ",").split(",") if t.strip()]

    @property
    def safe_body(self) -> str:
        """The body as HTML, sanitised again on the way out: a row written around the service
        (a shell, an import) cannot carry a script to a reader."""
        from django.utils.safestring import mark_safe

        from qualitymonth.showcase.services import sanitize

        return mark_safe(sanitize(self.body))

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and bool(
            self.published_at and self.published_at <= timezone.now()
        )


class BrandStory(models.Model):
    """A local quality brand told in words, pictures or a short video (品牌故事“云展播”)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Waiting for review")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="brand_stories",
        verbose_name=_("campaign"),
    )
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    enterprise = models.CharField(_("enterprise"), max_length=120)
    domain = models.ForeignKey(
        "campaigns.Domain",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("domain"),
    )
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"), help_text=_("HTML; anything that could run is removed."))
    cover = models.ImageField(_("cover image"), upload_to="stories/%Y/", blank=True)
    video = models.FileField(_("video (MP4 or WebM)"), upload_to="stories/%Y/", blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="brand_stories", verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    like_count = models.PositiveIntegerField(_("likes"), default=0)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("brand story")
        verbose_name_plural = _("brand stories")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showcase:story", args=[self.slug])

    @property
    def safe_body(self) -> str:
        from django.utils.safestring import mark_safe

        from qualitymonth.showcase.services import sanitize

        return mark_safe(sanitize(self.body))
