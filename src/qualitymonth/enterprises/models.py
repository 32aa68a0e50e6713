"""The enterprise registry: who the enterprises are, who may act for them, and the industry
classification (GB/T 4754) they are filed under."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
        indexes = [
            models.Index(fields=["region", "name"]),
            # The office's list is in name order: read in index order, no sort of the registry.
            models.Index(fields=["name", "id"], name="enterprise_name_order"),
        ]

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


# --- the one-stop quality-infrastructure service (质量基础设施"一站式"服务) ------------------------
class Provider(LocalizedNameMixin, models.Model):
    """Who serves a need: a technical institution (its staff are the members of its unit) or an
    individual expert (one account)."""

    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("Technical institution")
        EXPERT = "expert", _("Quality expert")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="providers")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    unit = models.OneToOneField(
        "core.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provider",
        verbose_name=_("unit (institutions)"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_provider",
        verbose_name=_("account (experts)"),
    )
    specialties = models.CharField(_("specialties"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="institution", unit__isnull=False, user__isnull=True)
                    | models.Q(kind="expert", user__isnull=False, unit__isnull=True)
                ),
                name="provider_is_a_unit_or_an_expert",
            )
        ]

    def __str__(self) -> str:
        return self.localized_name


class ServiceType(LocalizedNameMixin, models.Model):
    """One entry of the catalogue, with its own time limits: no national limit exists, so each
    service type sets how many working days a response and the service may take."""

    class Category(models.TextChoices):
        METROLOGY = "metrology", _("Metrology")
        STANDARDS = "standards", _("Standards")
        CERTIFICATION = "certification", _("Certification and accreditation")
        TESTING = "testing", _("Inspection and testing")
        QUALITY = "quality", _("Quality management")
        IP = "ip", _("Intellectual property")
        BRAND = "brand", _("Brand building")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    description = models.TextField(_("what the enterprise gets"), blank=True)
    is_charged = models.BooleanField(
        _("charged by the institution"),
        default=False,
        help_text=_("Look-ups, advice and the station's own work are free."),
    )
    response_workdays = models.PositiveSmallIntegerField(_("respond within (working days)"))
    completion_workdays = models.PositiveSmallIntegerField(_("complete within (working days)"))
    providers = models.ManyToManyField(Provider, related_name="service_types", blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return self.localized_name


class Need(models.Model):
    """An enterprise's need, from filing to rating: 需求收集 → 受理/派单 → 服务 → 反馈/评价."""

    class Status(models.TextChoices):
        # A context: the quiz's "Submitted" is an answer sheet handed in (已交卷).
        SUBMITTED = "submitted", pgettext_lazy("need status", "Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DISPATCHED = "dispatched", _("Dispatched to a provider")
        IN_SERVICE = "in_service", _("In service")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")

    class Relief(models.TextChoices):
        NONE = "", _("None")
        REDUCED = "reduced", _("Fee reduced (减收)")
        WAIVED = "waived", _("Fee waived (免收)")
        DEFERRED = "deferred", _("Fee deferred (缓收)")

    OPEN_STATUSES = (
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.IN_SERVICE,
        Status.DELIVERED,
    )

    number = models.CharField(_("number"), max_length=16, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="needs")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="needs")
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="needs", verbose_name=_("service")
    )
    description = models.TextField(_("what is needed"))
    products = models.CharField(_("products or instruments concerned"), max_length=200, blank=True)
    wished_from = models.DateField(_("wished from"), null=True, blank=True)
    wished_until = models.DateField(_("wished until"), null=True, blank=True)
    # A visit a campaign programme planned (the office files it for a target enterprise).
    programme = models.ForeignKey(
        "Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("programme"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="needs"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    respond_by = models.DateField(_("respond by"))
    complete_by = models.DateField(_("complete by"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # What the service would have cost at the institution's standard fee, what was charged,
    # and how: the difference is the money the campaign saved the enterprise.
    fee_standard = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fee_charged = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    relief = models.CharField(max_length=10, choices=Relief.choices, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=500, blank=True)
    public_consent = models.BooleanField(
        _("the enterprise may be named in public results"), default=False
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("service need")
        verbose_name_plural = _("service needs")
        indexes = [
            models.Index(fields=["region", "status", "respond_by"]),
            models.Index(fields=["region", "status", "complete_by"]),
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["enterprise", "-submitted_at"]),
            # The office's list, newest first, without sorting every need.
            models.Index(fields=["-submitted_at", "-id"], name="need_newest_first"),
            # The due-soon and overdue lists, nearest deadline first, over the needs whose clock
            # runs (need_selectors.RESPONDING + COMPLETING).
            models.Index(
                models.functions.Coalesce("complete_by", "respond_by"),
                "id",
                name="need_clock_order",
                condition=models.Q(
                    status__in=["submitted", "accepted", "dispatched", "in_service"]
                ),
            ),
            # A provider's average rating for the dispatch suggestion, from the index alone.
            models.Index(
                fields=["provider", "rating"],
                name="need_provider_rating",
                condition=models.Q(rating__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.service_type_id}"

    @property
    def money_saved(self):
        if self.fee_standard is None or self.fee_charged is None:
            return None
        return max(self.fee_standard - self.fee_charged, 0)


class Visit(models.Model):
    """A provider's visit to the enterprise for a need (or a programme)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    notes = models.TextField(_("what was done"))
    problems_found = models.PositiveSmallIntegerField(_("problems found"), default=0)
    problems_solved = models.PositiveSmallIntegerField(_("problems solved"), default=0)
    photo = models.ImageField(
        _("photo"), upload_to="needs/%Y/%m/", storage=private_storage, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.need_id} {self.visited_on}"


class Deliverable(models.Model):
    """A report, certificate or result the provider hands over."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(_("file"), upload_to="needs/%Y/%m/", storage=private_storage)
    original_name = models.CharField(max_length=160)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


# --- campaign programmes (计量服务中小企业行, 工业企业质量诊断帮扶行动, 质量专家企业行 …) ---------------
class Programme(models.Model):
    """A campaign activity that serves a list of target enterprises. Its planned visits are needs
    the office files for the targets (`Need.programme`), so they run through the one-stop flow
    and its clocks; its progress is counted from them."""

    activity = models.OneToOneField(
        "campaigns.Activity",
        on_delete=models.PROTECT,
        related_name="programme",
        verbose_name=_("activity"),
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="programmes")
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("service its visits give"),
    )
    # The filters the target list was last built from (district, industry, size, flags, complaints).
    target_filter = models.JSONField(default=dict, blank=True)
    goal_enterprises = models.PositiveIntegerField(_("enterprises to reach"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.activity.title


class ProgrammeTarget(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="programme_targets"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "enterprise"], name="one_target_per_programme_and_enterprise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} → {self.enterprise_id}"


# --- trainings (首席质量官, 卓越绩效) and the CQO register ------------------------------------------
class Training(models.Model):
    """A campaign activity that trains enterprises: its registrations are made by an enterprise's
    users for the enterprise (TrainingAttendance), and a CQO training certifies CQOs."""

    class Kind(models.TextChoices):
        CQO = "cqo", _("Chief quality officer (首席质量官) training")
        EXCELLENCE = "excellence", _("Performance excellence (卓越绩效) training")
        OTHER = "other", _("Other enterprise training")

    activity = models.OneToOneField(
        "campaigns.Activity",
        on_delete=models.PROTECT,
        related_name="training",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise training")
        verbose_name_plural = _("enterprise trainings")

    def __str__(self) -> str:
        return f"{self.activity.title} ({self.get_kind_display()})"


class ChiefQualityOfficer(models.Model):
    """A CQO (首席质量官) the enterprise's legal representative appointed; certified once they
    attended a CQO training and were checked in."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="cqos")
    name = models.CharField(_("name"), max_length=40)
    mobile = models.CharField(_("mobile"), max_length=11)
    position = models.CharField(_("position"), max_length=40)
    appointed_on = models.DateField(_("appointed on"))
    appointment_letter = models.FileField(
        _("letter of appointment"),
        upload_to="cqos/%Y/%m/",
        storage=private_storage,
        blank=True,
    )
    ended_on = models.DateField(_("appointment ended on"), null=True, blank=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=20, unique=True, null=True, blank=True
    )
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)
    certified_by_training = models.ForeignKey(
        Training, on_delete=models.SET_NULL, null=True, blank=True, related_name="certified_cqos"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-appointed_on", "pk"]
        verbose_name = _("chief quality officer")
        verbose_name_plural = _("chief quality officers")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.pk}"


class TrainingAttendance(models.Model):
    """Which enterprise (and which of its CQOs) a training registration is for."""

    registration = models.OneToOneField(
        "campaigns.Registration", on_delete=models.CASCADE, related_name="training_attendance"
    )
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendances")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="training_attendances"
    )
    cqo = models.ForeignKey(
        ChiefQualityOfficer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["enterprise", "training"])]

    def __str__(self) -> str:
        return f"{self.training_id} · {self.enterprise_id}"


# --- GB/T 19580-2012 self-assessment (卓越绩效评价准则) ------------------------------------------
class ExcellenceCategory(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership (领导)")
    STRATEGY = "strategy", _("Strategy (战略)")
    CUSTOMERS = "customers", _("Customers and markets (顾客与市场)")
    RESOURCES = "resources", _("Resources (资源)")
    PROCESSES = "processes", _("Process management (过程管理)")
    MEASUREMENT = "measurement", _("Measurement, analysis and improvement (测量、分析与改进)")
    RESULTS = "results", _("Results (结果)")


# GB/T 19580-2012: the seven categories' points, 1,000 in all.
EXCELLENCE_POINTS = {
    ExcellenceCategory.LEADERSHIP: 110,
    ExcellenceCategory.STRATEGY: 90,
    ExcellenceCategory.CUSTOMERS: 90,
    ExcellenceCategory.RESOURCES: 130,
    ExcellenceCategory.PROCESSES: 100,
    ExcellenceCategory.MEASUREMENT: 80,
    ExcellenceCategory.RESULTS: 400,
}


class SelfAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        REVIEWED = "reviewed", _("Reviewed by an expert")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="self_assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("expert's note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="one_self_assessment_per_enterprise_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class SelfAssessmentScore(models.Model):
    """One category: the enterprise's score with its evidence, and the expert's adjustment."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    category = models.CharField(_("category"), max_length=12, choices=ExcellenceCategory.choices)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    evidence = models.TextField(_("evidence"), blank=True)
    adjusted_score = models.DecimalField(
        _("expert's score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    adjust_note = models.CharField(_("why the expert changed it"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "category"], name="one_score_per_assessment_and_category"
            ),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.category}"

    @property
    def final_score(self):
        return self.score if self.adjusted_score is None else self.adjusted_score
