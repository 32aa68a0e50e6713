"""The enterprise registry: who the enterprises are, who may act for them, and the industry
classification (GB/T 4754) they are filed under."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.i18n import LocalizedNameMixin
from qualitymonth.core.models import Region
from qualitymonth.core.storage import private_storage


def normalise_name(name: str) -> str:
    """The part of a business name that says who it is: the same key complaints store for their
    respondent (place names, legal forms and branches stripped), so a complaint about "力健坊"
    finds "厦门市集美区力健坊有限公司"."""
    from qualitymonth.complaints.services.hotspots import respondent_key

    return respondent_key(name)


class Industry(LocalizedNameMixin, models.Model):
    """GB/T 4754-2017: sections (A–T) and their divisions (two digits)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    section = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="divisions"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return f"{self.code} {self.localized_name}"


class Enterprise(models.Model):
    class Size(models.TextChoices):
        LARGE = "large", _("Large")
        MEDIUM = "medium", _("Medium")
        SMALL = "small", _("Small")
        MICRO = "micro", _("Micro")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("city")
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    # A legally issued early code that fails the GB 32100 check, registered by the office.
    uscc_exception_reason = models.CharField(
        _("reason the code is accepted"), max_length=200, blank=True
    )
    name = models.CharField(_("name"), max_length=120)
    name_key = models.CharField(max_length=120, db_index=True, editable=False)
    legal_representative = models.CharField(_("legal representative"), max_length=40)
    registered_address = models.CharField(_("registered address"), max_length=200)
    operating_address = models.CharField(_("operating address"), max_length=200, blank=True)
    district = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="district_enterprises",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("industry")
    )
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    main_products = models.CharField(_("main products"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact"), max_length=40, blank=True)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, blank=True)
    is_key_industry = models.BooleanField(_("key industry"), default=False)
    is_sme = models.BooleanField(_("SME"), default=False)
    is_specialised = models.BooleanField(_("specialised and innovative (专精特新)"), default=False)
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stewarded_enterprises",
        verbose_name=_("quality steward"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [models.Index(fields=["region", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = normalise_name(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


class EnterpriseMember(models.Model):
    """A person who may act for an enterprise (after the office approved their claim)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.enterprise}"


class Claim(models.Model):
    """A person asks to act for an enterprise, with its business licence; the office decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the office")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_claims"
    )
    mobile = models.CharField(_("verified mobile"), max_length=11)
    position = models.CharField(_("position in the enterprise"), max_length=40)
    licence = models.ImageField(
        _("business licence"), upload_to="claims/%Y/%m/", storage=private_storage
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_user_and_enterprise",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} ({self.get_status_display()})"
