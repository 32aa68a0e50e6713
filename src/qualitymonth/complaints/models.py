"""Complaints, reports, enquiries and suggestions from the public, and how they were handled.

The fields follow SAMR Order No. 20 (市场监督管理投诉举报处理暂行办法): a complaint names the
complainant (name, phone, address), the respondent (name, address), the request and the facts.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.complaints.taxonomy import Category, Nature
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.storage import private_storage
from qualitymonth.core.validators import mask_mobile, mask_name


def new_tracking_number() -> str:
    """Date of receipt and six random digits: short enough to read out on the phone."""
    return f"{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def mask_address(value: str) -> str:
    value = (value or "").strip()
    return value[:6] + "****" if len(value) > 6 else "****" if value else ""


class ProblemGroup(models.Model):
    """Cases about the same problem: the same respondent and nature, or near-identical text.
    The office works these as the city's "关键小事"."""

    class Action(models.TextChoices):
        NONE = "none", _("Not yet acted on")
        IN_PROGRESS = "in_progress", _("Being acted on")
        DONE = "done", _("Done")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    key = models.CharField(_("grouping key"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    public_title = models.CharField(
        _("public title"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the public board; never a person's name."),
    )
    respondent_name = models.CharField(_("respondent"), max_length=200, blank=True)
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    district = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    sample_text = models.TextField(_("sample text"), blank=True)
    case_count = models.PositiveIntegerField(_("cases"), default=0)
    first_at = models.DateTimeField(_("first case"), default=timezone.now)
    last_at = models.DateTimeField(_("latest case"), default=timezone.now, db_index=True)
    action = models.CharField(
        _("action"), max_length=12, choices=Action.choices, default=Action.NONE
    )
    action_note = models.TextField(_("what was done"), blank=True)
    action_at = models.DateTimeField(_("acted on"), null=True, blank=True)

    class Meta:
        ordering = ["-case_count", "-last_at"]
        verbose_name = _("problem group")
        verbose_name_plural = _("problem groups")
        indexes = [
            models.Index(fields=["region", "key"], name="group_key_idx"),
            models.Index(fields=["region", "-case_count", "-last_at"], name="group_rank_idx"),
            models.Index(fields=["region", "category", "-last_at"], name="group_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self.public_title or self.title


class Complaint(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        REPORT = "report", _("Report of illegal conduct")
        ENQUIRY = "enquiry", _("Enquiry")
        SUGGESTION = "suggestion", _("Suggestion")

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("complaint status", "Received")
        TRIAGED = "triaged", pgettext_lazy("complaint status", "Assigned")
        ACCEPTED = "accepted", pgettext_lazy("complaint status", "Accepted")
        NOT_ACCEPTED = "not_accepted", pgettext_lazy("complaint status", "Not accepted")
        MEDIATING = "mediating", pgettext_lazy("complaint status", "Mediating")
        MEDIATED = "mediated", pgettext_lazy("complaint status", "Mediated (agreement)")
        MEDIATION_ENDED = "mediation_ended", pgettext_lazy("complaint status", "Mediation ended")
        VERIFYING = "verifying", pgettext_lazy("complaint status", "Verifying")
        CASE_OPENED = "case_opened", pgettext_lazy("complaint status", "Case opened")
        NOT_OPENED = "not_opened", pgettext_lazy("complaint status", "No case opened")
        ANSWERED = "answered", pgettext_lazy("complaint status", "Answered")
        CLOSED = "closed", pgettext_lazy("complaint status", "Closed")

    class Channel(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("JSON API")
        OPEN311 = "open311", _("Open311")

    class NotAcceptedReason(models.TextChoices):
        # The grounds Order No. 20 gives for not accepting a complaint.
        NOT_WITHIN_DUTY = "not_within_duty", _("Not within the duties of market supervision")
        HANDLED_ELSEWHERE = (
            "handled_elsewhere",
            _("Already before a court, arbitration or another authority"),
        )
        NOT_CONSUMER_DISPUTE = "not_consumer_dispute", _("Not a consumer dispute")
        OVER_THREE_YEARS = (
            "over_three_years",
            _("More than three years since the complainant knew of the harm"),
        )
        MISSING_MATERIALS = "missing_materials", _("Required information missing and not supplied")
        OTHER_BY_LAW = "other_by_law", _("Other grounds provided by law")

    class RoutedBy(models.TextChoices):
        MODEL = "model", _("Classifier")
        OFFICE = "office", _("Campaign office")
        JOINED = "joined", _("Joined an existing case")
        TRANSFER = "transfer", _("Transfer")

    OPEN_STATUSES = (
        Status.RECEIVED,
        Status.TRIAGED,
        Status.ACCEPTED,
        Status.MEDIATING,
        Status.VERIFYING,
    )
    FINISHED_STATUSES = (
        Status.NOT_ACCEPTED,
        Status.MEDIATED,
        Status.MEDIATION_ENDED,
        Status.CASE_OPENED,
        Status.NOT_OPENED,
        Status.ANSWERED,
        Status.CLOSED,
    )

    tracking_number = models.CharField(
        _("tracking number"), max_length=20, unique=True, default=new_tracking_number
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("account"),
    )

    complainant_name = models.CharField(_("your name"), max_length=50)
    complainant_mobile = models.CharField(_("mobile number"), max_length=11)
    complainant_address = models.CharField(_("your address"), max_length=200, blank=True)
    complainant_email = models.EmailField(_("e-mail"), blank=True)

    respondent_name = models.CharField(_("business complained about"), max_length=200, blank=True)
    respondent_address = models.CharField(_("business address"), max_length=200, blank=True)
    respondent_uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    respondent_key = models.CharField(max_length=120, blank=True, editable=False)

    request = models.TextField(_("what you ask for"), blank=True)
    facts = models.TextField(_("what happened"))
    product_or_service = models.CharField(_("product or service"), max_length=120, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    purchase_date = models.DateField(_("date of purchase"), null=True, blank=True)
    district = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    location = models.CharField(_("where it happened"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    nature = models.CharField(
        _("nature"), max_length=20, choices=Nature.choices, default=Nature.OTHER
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("responsible unit"),
    )
    routed_by = models.CharField(
        _("routed by"), max_length=10, choices=RoutedBy.choices, blank=True
    )
    routing_confidence = models.FloatField(_("routing confidence"), null=True, blank=True)
    routing_suggestion = models.CharField(_("suggested unit"), max_length=40, blank=True)
    group = models.ForeignKey(
        ProblemGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("problem group"),
    )
    joined_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joined",
        verbose_name=_("joined case"),
    )

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(_("current deadline"), null=True, blank=True)
    accept_due = models.DateField(_("acceptance due"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    mediation_due = models.DateField(_("mediation due"), null=True, blank=True)
    verify_due = models.DateField(_("verification due"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    not_accepted_reason = models.CharField(
        _("reason for not accepting"),
        max_length=24,
        choices=NotAcceptedReason.choices,
        blank=True,
    )
    final_answer = models.TextField(_("final answer"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed"), null=True, blank=True
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        indexes = [
            # The lists a unit works from: its open cases by deadline, and everything by date.
            models.Index(fields=["unit", "status", "due_on"], name="complaint_unit_due_idx"),
            models.Index(fields=["unit", "-received_at"], name="complaint_unit_recv_idx"),
            # The office's lists, and the weekly trends read straight from the index (PostgreSQL
            # covering indexes; other databases get the plain index).
            models.Index(
                fields=["region", "received_at"],
                include=["category", "district", "status", "nature", "kind"],
                name="complaint_region_recv_idx",
            ),
            models.Index(
                fields=["status", "due_on"],
                include=["region", "unit"],
                name="complaint_status_due_idx",
            ),
            models.Index(fields=["respondent_key", "status"], name="complaint_respondent_idx"),
            models.Index(
                fields=["group", "received_at"],
                include=["finished_at"],
                name="complaint_group_recv_idx",
            ),
            models.Index(
                fields=["region", "received_at"],
                name="complaint_triage_idx",
                condition=Q(unit__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def masked_name(self) -> str:
        return mask_name(self.complainant_name)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.complainant_mobile)

    @property
    def masked_address(self) -> str:
        return mask_address(self.complainant_address)

    @property
    def text(self) -> str:
        """What the classifier and the grouping read."""
        return " ".join(
            part
            for part in (self.respondent_name, self.product_or_service, self.facts, self.request)
            if part
        )


class Attachment(models.Model):
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    file = models.FileField(_("file"), upload_to="complaints/%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class CaseEvent(models.Model):
    """One step in a case's history. Public events are what the complainant sees."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    step = models.CharField(_("step"), max_length=30)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    message = models.TextField(_("message to the complainant"), blank=True)
    note = models.TextField(_("internal note"), blank=True)
    is_public = models.BooleanField(_("shown to the complainant"), default=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.complaint} {self.step}"

    @property
    def step_label(self) -> str:
        from qualitymonth.complaints.services.workflow import step_label

        return step_label(self.step)


class Rerouting(models.Model):
    """A case moved to another unit by a person: kept as training data for the router."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="reroutings", verbose_name=_("case")
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("from")
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    reason = models.CharField(_("reason"), max_length=300)
    text = models.TextField(_("case text"))
    suggested_unit = models.CharField(_("classifier's unit"), max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("re-routing")
        verbose_name_plural = _("re-routings")

    def __str__(self) -> str:
        return f"{self.complaint} → {self.to_unit}"


class ResponseTemplate(models.Model):
    """A reply handlers start from and edit. {tracking_number}, {respondent} and {unit} are
    filled in."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response_templates",
        verbose_name=_("unit"),
        help_text=_("Empty: every unit may use it."),
    )
    step = models.CharField(_("step"), max_length=30)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["step", "title"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self) -> str:
        return self.title

    def render(self, complaint: Complaint) -> str:
        values = {
            "tracking_number": complaint.tracking_number,
            "respondent": complaint.respondent_name or "",
            "unit": complaint.unit.name if complaint.unit_id else "",
        }
        text = self.body
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text


class Open311Key(models.Model):
    """An API key an Open311 client posts with. Only its hash is stored."""

    name = models.CharField(_("client"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def set_key(self, key: str) -> None:
        self.key_hash = self.hash(key)
        self.key_prefix = key[:8]


class RouterModel(models.Model):
    """A trained routing model file; the active one per target classifies new cases."""

    class Target(models.TextChoices):
        UNIT = "unit", _("Responsible unit")
        NATURE = "nature", _("Nature")
        CATEGORY = "category", _("Category")

    name = models.CharField(_("name"), max_length=100)
    target = models.CharField(_("predicts"), max_length=10, choices=Target.choices)
    path = models.CharField(_("model file"), max_length=300)
    metrics = models.JSONField(_("evaluation"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("routing model")
        verbose_name_plural = _("routing models")
        constraints = [
            models.UniqueConstraint(
                fields=["target"], condition=Q(is_active=True), name="one_active_router_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_target_display()})"
