"""Supervision (M8): the directories of subjects and inspectors, check items, "双随机、一公开"
plans, tasks and their verifiable draws, checklists on a phone, inspections, hazards and their
rectification, product spot checks, enforcement cases, penalty publicity and typical cases.

The rules the models keep are in DESIGN.md §6 "Supervision"; the figures a city may set
(sample grams, maintenance interval, emergency number, the "lower fine" threshold) live in
`Rules`, one row per city, with the national defaults when a city has none."""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.core.i18n import LocalizedNameMixin
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.storage import private_storage

User = settings.AUTH_USER_MODEL


# --- a city's figures ----------------------------------------------------------------------------
class Rules(models.Model):
    """What a city sets for its supervision; `Rules.for_region` gives the defaults if it has
    set nothing."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="supervision_rules", verbose_name=_("city")
    )
    canteen_sample_grams = models.PositiveSmallIntegerField(
        _("food sample per dish (g)"), default=125
    )
    canteen_sample_hours = models.PositiveSmallIntegerField(
        _("food samples kept at least (hours)"), default=48
    )
    elevator_maintenance_days = models.PositiveSmallIntegerField(
        _("elevator maintenance at least every (days)"), default=15
    )
    emergency_number = models.CharField(
        _("elevator emergency number"), max_length=12, default="96333"
    )
    # Penalty publicity: a fine up to these amounts counts as "lower" (3 months' publicity).
    lower_fine_person = models.DecimalField(
        _("lower fine for a person, up to (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("10000"),
    )
    lower_fine_organisation = models.DecimalField(
        _("lower fine for an organisation, up to (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("100000"),
    )
    retest_days = models.PositiveSmallIntegerField(
        _("days to ask for a re-test after the result is received"), default=15
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supervision rules")
        verbose_name_plural = _("supervision rules")

    def __str__(self) -> str:
        return str(self.region)

    @classmethod
    def for_region(cls, region: Region) -> "Rules":
        """The rules of the region's city (or of the nearest region above that set any); the
        defaults, unsaved, when none did."""
        chain = region.ancestors_and_self()
        found = {r.region_id: r for r in cls.objects.filter(region__in=chain)}
        for candidate in chain:  # the region itself first, then upwards
            if candidate.pk in found:
                return found[candidate.pk]
        return cls(region=region)


# --- directories ---------------------------------------------------------------------------------
class SubjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    CANTEEN = "canteen", _("School canteen")
    ELEVATOR = "elevator", _("Elevator")


class RiskGrade(models.TextChoices):
    A = "A", _("A (low risk)")
    B = "B", _("B")
    C = "C", _("C")
    D = "D", _("D (high risk)")


class Subject(models.Model):
    """One entry of the directory of subjects (检查对象名录库): an enterprise, a school canteen or
    an elevator. Canteens and elevators keep their own details in `Canteen` / `Elevator`."""

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="supervision_subjects",
        verbose_name=_("city"),
    )
    district = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="district_supervision_subjects",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SubjectKind.choices)
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The enterprise that runs it (the enterprise itself, a canteen's operator, an elevator's
    # user unit when it is registered): its accounts answer rectification orders.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_subjects",
        verbose_name=_("enterprise"),
    )
    # The unit that supervises it day to day: its inspectors step aside where a check item says so.
    supervising_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_subjects",
        verbose_name=_("supervising unit"),
    )
    industry = models.ForeignKey(
        "enterprises.Industry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("industry"),
    )
    risk_grade = models.CharField(
        _("risk grade"), max_length=1, choices=RiskGrade.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(_("why it closed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        indexes = [
            models.Index(fields=["region", "kind", "is_active", "id"], name="subject_draw_pool"),
            models.Index(fields=["name", "id"], name="subject_name_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Canteen(models.Model):
    class SchoolKind(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        PRIMARY = "primary", _("Primary school")
        SECONDARY = "secondary", _("Secondary school")
        UNIVERSITY = "university", _("University")

    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, primary_key=True, related_name="canteen"
    )
    school = models.CharField(_("school"), max_length=120)
    school_kind = models.CharField(_("kind of school"), max_length=12, choices=SchoolKind.choices)
    canteen = models.CharField(_("canteen"), max_length=60, blank=True)
    licence_number = models.CharField(_("food business licence number"), max_length=20)

    class Meta:
        verbose_name = _("school canteen")
        verbose_name_plural = _("school canteens")

    def __str__(self) -> str:
        return f"{self.school} {self.canteen}".strip()


class Elevator(models.Model):
    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, primary_key=True, related_name="elevator"
    )
    registration_code = models.CharField(_("registration code"), max_length=30, unique=True)
    building = models.CharField(_("building"), max_length=120)
    user_unit = models.CharField(_("user unit"), max_length=120)
    maintenance_company = models.CharField(_("maintenance company"), max_length=120)
    last_maintained_on = models.DateField(_("last maintained on"), null=True, blank=True)
    certificate_number = models.CharField(
        _("periodic inspection certificate"), max_length=40, blank=True
    )
    certificate_expires_on = models.DateField(_("certificate expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("elevator")
        verbose_name_plural = _("elevators")

    def __str__(self) -> str:
        return self.registration_code


class ProductCategory(LocalizedNameMixin, models.Model):
    """A product category for spot checks (e.g. children's clothing, electric kettles)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="product_categories", verbose_name=_("city")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    standard = models.CharField(_("standards tested against"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="product_category_code_unique")
        ]

    def __str__(self) -> str:
        return self.localized_name


class Inspector(models.Model):
    """An entry of the directory of inspectors (执法检查人员名录库): a person of a unit, with
    the qualification to inspect, the kinds of subject and the districts they may inspect."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="inspector", verbose_name=_("account")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="inspectors", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=40)
    certificate_number = models.CharField(_("enforcement certificate number"), max_length=30)
    qualifications = models.CharField(_("qualifications"), max_length=200, blank=True)
    # The kinds of subject (SubjectKind values) this inspector may inspect.
    kinds = models.JSONField(_("kinds of subject"), default=list)
    # The districts they may inspect; none named: anywhere in the city.
    districts = models.ManyToManyField(
        Region, related_name="+", blank=True, verbose_name=_("districts")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "name", "id"]
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")

    def __str__(self) -> str:
        return self.name


class ConflictLink(models.Model):
    """A link an inspector declared to a subject: the draw never sends them there (回避)."""

    class Reason(models.TextChoices):
        RELATIVE = "relative", _("A close relative works there")
        FORMER_EMPLOYEE = "former_employee", _("Worked there")
        CONSULTANT = "consultant", _("Advised or inspected it as a consultant")
        OTHER = "other", _("Other interest")

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="links")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="links")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("declared link")
        verbose_name_plural = _("declared links")
        constraints = [
            models.UniqueConstraint(fields=["inspector", "subject"], name="conflict_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.inspector_id}→{self.subject_id}"


class CheckItem(models.Model):
    """An item of the list of check items (抽查事项清单). Ordinary items cap the share of
    subjects that may be drawn; key items have no cap."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary item")
        KEY = "key", _("Key item")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="check_items", verbose_name=_("city")
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=120)
    subject_kind = models.CharField(
        _("kind of subject"), max_length=12, choices=SubjectKind.choices
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ORDINARY)
    max_share = models.DecimalField(
        _("highest share drawn (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    publication_workdays = models.PositiveSmallIntegerField(
        _("results published within (working days)"), default=20
    )
    # Inspectors of the subject's own supervising unit step aside.
    exclude_own_unit = models.BooleanField(
        _("inspectors of the supervising unit step aside"), default=False
    )
    checklist_code = models.SlugField(_("checklist"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["subject_kind", "code"]
        verbose_name = _("check item")
        verbose_name_plural = _("check items")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="check_item_code_unique"),
            models.CheckConstraint(
                condition=models.Q(kind="key", max_share__isnull=True)
                | models.Q(kind="ordinary", max_share__gt=0, max_share__lte=100),
                name="check_item_share_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- "双随机、一公开" ------------------------------------------------------------------------------
class Plan(models.Model):
    """A yearly plan of random inspections of one city."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="inspection_plans", verbose_name=_("city")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection_plans",
        verbose_name=_("campaign"),
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "title"], name="plan_title_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class Task(models.Model):
    """A task of a plan: check items, a filter of subjects and a share or number to draw. Its
    seed is fixed and its digest shown when it is created; the seed is revealed after the draw,
    and the stored population lets anyone rerun the draw (`qualitymonth supervision
    verify-draw`)."""

    class Status(models.TextChoices):
        CREATED = "created", _("Created, not drawn")
        DRAWN = "drawn", pgettext_lazy("inspection task", "Drawn")
        DONE = "done", pgettext_lazy("inspection task", "Done")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    number = models.CharField(_("number"), max_length=24, unique=True)
    title = models.CharField(_("title"), max_length=120)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
        verbose_name=_("organising unit"),
    )
    subject_kind = models.CharField(
        _("kind of subject"), max_length=12, choices=SubjectKind.choices
    )
    check_items = models.ManyToManyField(
        CheckItem, related_name="tasks", verbose_name=_("check items")
    )
    # {"districts": [region ids], "industries": [section/division codes], "risk_grades": ["A", …]}
    subject_filter = models.JSONField(_("subjects drawn from"), default=dict)
    share = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    count = models.PositiveIntegerField(_("number of subjects"), null=True, blank=True)
    inspectors_per_subject = models.PositiveSmallIntegerField(
        _("inspectors per subject"), default=2
    )
    starts_on = models.DateField(_("inspections from"))
    ends_on = models.DateField(_("inspections until"))
    seed = models.CharField(max_length=64, editable=False)
    seed_digest = models.CharField(_("seed digest (SHA-256)"), max_length=64, editable=False)
    # What the draw was made from, published with it: {"subjects": [ids in id order],
    # "inspectors": [ids], "conflicts": [[inspector id, subject id], …], "excluded_units": {…}}.
    population = models.JSONField(default=dict, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CREATED
    )
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inspectors_per_subject__gte=2), name="task_two_inspectors"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @staticmethod
    def digest_of(seed: str) -> str:
        return hashlib.sha256(seed.encode("ascii")).hexdigest()

    @property
    def seed_revealed(self) -> str:
        """The seed, once the draw is made; nothing before."""
        return self.seed if self.drawn_at else ""


class Result(models.TextChoices):
    """What an inspection of a drawn subject found (published as the random-inspection result)."""

    NO_PROBLEM = "no_problem", _("No problem found")
    RECTIFY = "rectify", _("Problems found, rectification ordered")
    NOT_FOUND = "not_found", _("Not at the registered address")
    CLOSED = "closed", _("Closed down")
    REFUSED = "refused", _("Refused to cooperate")
    CASE = "case", _("Problems found, case opened")


class DrawnSubject(models.Model):
    """A subject a task drew (or drew in place of another, with the reason)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="drawn")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="draws")
    position = models.PositiveIntegerField()
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    replacement_reason = models.CharField(
        _("reason for the replacement"), max_length=200, blank=True
    )
    is_active = models.BooleanField(default=True)  # False once replaced
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    result_note = models.CharField(_("result note"), max_length=300, blank=True)
    result_on = models.DateField(_("result on"), null=True, blank=True)
    publish_due = models.DateField(_("publish by"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["task", "position"]
        verbose_name = _("drawn subject")
        verbose_name_plural = _("drawn subjects")
        constraints = [
            models.UniqueConstraint(fields=["task", "subject"], name="drawn_subject_once"),
        ]
        indexes = [models.Index(fields=["publish_due", "published_at"], name="drawn_publish_clock")]

    def __str__(self) -> str:
        return f"{self.task_id}#{self.position} {self.subject_id}"


class DrawnInspector(models.Model):
    drawn = models.ForeignKey(DrawnSubject, on_delete=models.CASCADE, related_name="inspectors")
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="draws")
    position = models.PositiveSmallIntegerField()
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    replacement_reason = models.CharField(
        _("reason for the replacement"), max_length=200, blank=True
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["drawn", "position"]
        constraints = [
            models.UniqueConstraint(fields=["drawn", "inspector"], name="drawn_inspector_once"),
        ]

    def __str__(self) -> str:
        return f"{self.drawn_id}:{self.inspector_id}"


# --- checklists and inspections ------------------------------------------------------------------
class Checklist(models.Model):
    """One version of a checklist (canteen, elevator, product sampling …). Editing makes a new
    version; an inspection keeps the version it was started with."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="checklists")
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=120)
    subject_kind = models.CharField(
        _("kind of subject"), max_length=12, choices=SubjectKind.choices
    )
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code", "version"], name="checklist_version_unique"
            ),
            models.UniqueConstraint(
                fields=["region", "code"],
                condition=models.Q(is_current=True),
                name="checklist_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    section = models.CharField(_("section"), max_length=60, blank=True)
    text = models.CharField(_("item"), max_length=300)
    guidance = models.CharField(_("how to check"), max_length=500, blank=True)
    # A "not compliant" answer needs at least one photo.
    photo_required = models.BooleanField(_("photo required when not compliant"), default=True)

    class Meta:
        ordering = ["checklist", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "order"], name="checklist_item_order_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Inspection(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("inspection", "In progress")
        SIGNED = "signed", _("Signed")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=24, unique=True)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="inspections")
    drawn = models.OneToOneField(
        DrawnSubject, on_delete=models.PROTECT, null=True, blank=True, related_name="inspection"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="inspections")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    inspected_on = models.DateField(_("inspected on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    representative_name = models.CharField(_("representative"), max_length=40, blank=True)
    representative_signed_at = models.DateTimeField(null=True, blank=True)
    representative_refused = models.BooleanField(_("representative refused to sign"), default=False)
    refusal_note = models.CharField(_("refusal recorded"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [
            models.Index(fields=["unit", "-inspected_on", "-id"], name="inspection_unit_order"),
            models.Index(fields=["-inspected_on", "-id"], name="inspection_order"),
        ]

    def __str__(self) -> str:
        return self.number


class Answer(models.Model):
    class Verdict(models.TextChoices):
        COMPLIANT = "compliant", _("Compliant")
        NOT_COMPLIANT = "not_compliant", _("Not compliant")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # A not-compliant item's hazard as the inspector writes it: a draft until the inspection is
    # signed, when it becomes a Hazard (which the subject sees).
    hazard_description = models.CharField(_("hazard"), max_length=500, blank=True)
    hazard_order = models.CharField(_("rectification order"), max_length=500, blank=True)
    hazard_deadline = models.DateField(_("rectify by"), null=True, blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["inspection", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="answer_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.item_id} {self.verdict}"


class Photo(models.Model):
    """A photo taken during an inspection (shrunk; its location kept only for the office)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    image = models.ImageField(upload_to="inspections/%Y/%m/", storage=private_storage)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.pk}"


class Signature(models.Model):
    """An inspector's signature on a finished inspection (name and time)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=40)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="signature_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.signed_at:%Y-%m-%d %H:%M}"


class Hazard(models.Model):
    """A non-compliant item: a rectification order with a deadline, the subject's answer, and
    the re-inspection that closes it or escalates it to an enforcement case."""

    class Status(models.TextChoices):
        OPEN = "open", _("Rectification ordered")
        ANSWERED = "answered", _("Rectification reported")
        CLOSED = "closed", _("Rectified")
        ESCALATED = "escalated", _("Escalated to a case")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="hazards")
    answer = models.OneToOneField(
        Answer, on_delete=models.PROTECT, null=True, blank=True, related_name="hazard"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="hazards")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="hazards")
    description = models.CharField(_("hazard"), max_length=500)
    order_text = models.CharField(_("rectification order"), max_length=500)
    deadline = models.DateField(_("rectify by"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # The one extension a unit may give: the deadline before it, and why.
    original_deadline = models.DateField(_("deadline before the extension"), null=True, blank=True)
    extension_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)
    reinspected_on = models.DateField(_("re-inspected on"), null=True, blank=True)
    reinspection_note = models.CharField(_("re-inspection"), max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        indexes = [
            models.Index(fields=["unit", "status", "deadline", "id"], name="hazard_unit_clock"),
            models.Index(fields=["status", "deadline", "id"], name="hazard_clock"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def extended(self) -> bool:
        """The deadline was extended (once is all a unit may)."""
        return self.original_deadline is not None


class HazardReply(models.Model):
    """The subject's answer to a rectification order (its account, or recorded by an inspector)."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="replies")
    note = models.CharField(_("what was done"), max_length=500)
    photo = models.ImageField(upload_to="hazards/%Y/%m/", storage=private_storage, blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hazard", "created_at"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.created_at:%Y-%m-%d}"


# --- product spot checks -------------------------------------------------------------------------
class SpotCheckPlan(models.Model):
    class Status(models.TextChoices):
        SAMPLING = "sampling", _("Sampling")
        TESTING = "testing", _("Testing")
        PUBLISHED = "published", _("Results published")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="spot_check_plans")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="spot_check_plans")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    categories = models.ManyToManyField(
        ProductCategory, related_name="plans", verbose_name=_("product categories")
    )
    laboratory = models.CharField(_("laboratory"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SAMPLING
    )
    notice = models.TextField(_("results notice"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("spot-check plan")
        verbose_name_plural = _("spot-check plans")

    def __str__(self) -> str:
        return self.title


class Sample(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting the laboratory")
        PASS = "pass", pgettext_lazy("spot check result", "Passed")
        FAIL = "fail", pgettext_lazy("spot check result", "Failed")

    plan = models.ForeignKey(SpotCheckPlan, on_delete=models.CASCADE, related_name="samples")
    number = models.CharField(_("sample number"), max_length=24, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="samples"
    )
    district = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, related_name="samples")
    product = models.CharField(_("product"), max_length=120)
    brand = models.CharField(_("brand"), max_length=60, blank=True)
    model_spec = models.CharField(_("model / specification"), max_length=60, blank=True)
    batch = models.CharField(_("batch or production date"), max_length=40, blank=True)
    quantity = models.CharField(_("quantity sampled"), max_length=40)
    seal_number = models.CharField(_("seal number"), max_length=30)
    sampled_on = models.DateField(_("sampled on"))
    sampled_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    outcome = models.CharField(
        _("result"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING
    )
    failed_items = models.CharField(_("failed items"), max_length=500, blank=True)
    result_on = models.DateField(_("result on"), null=True, blank=True)
    received_on = models.DateField(_("result received by the enterprise on"), null=True, blank=True)
    retest_requested_on = models.DateField(_("re-test requested on"), null=True, blank=True)
    retest_outcome = models.CharField(
        _("re-test result"), max_length=8, choices=Outcome.choices, blank=True
    )
    retest_on = models.DateField(_("re-tested on"), null=True, blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    recheck_outcome = models.CharField(
        _("re-check result"), max_length=8, choices=Outcome.choices, blank=True
    )
    recheck_on = models.DateField(_("re-checked on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("sample")
        verbose_name_plural = _("samples")

    def __str__(self) -> str:
        return self.number

    @property
    def final_outcome(self) -> str:
        """A re-test, when there was one, replaces the first result."""
        return self.retest_outcome or self.outcome


# --- enforcement cases, publicity, typical cases -------------------------------------------------
class Case(models.Model):
    class Source(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint or report")
        INSPECTION = "inspection", _("Inspection")
        SPOT_CHECK = "spot_check", _("Spot check")
        REFERRAL = "referral", _("Referral")
        OTHER = "other", _("Other")

    class PartyKind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise or organisation")
        PERSON = "person", _("Natural person")

    class Procedure(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary procedure")
        SIMPLIFIED = "simplified", _("Simplified procedure")

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", _("Under investigation")
        DECIDED = "decided", pgettext_lazy("case", "Decided")
        REVISED = "revised", _("Decision revised")
        REVOKED = "revoked", _("Decision revoked")
        CLOSED = "closed", pgettext_lazy("case", "Closed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="enforcement_cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enforcement_cases")
    number = models.CharField(_("case number"), max_length=24, unique=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enforcement_cases",
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    hazard = models.ForeignKey(
        Hazard, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    sample = models.ForeignKey(
        Sample, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    party_kind = models.CharField(_("party"), max_length=12, choices=PartyKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_cases",
    )
    party_name = models.CharField(_("party name"), max_length=120)
    party_is_minor = models.BooleanField(_("the party is a minor"), default=False)
    facts = models.TextField(_("facts"))
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    procedure = models.CharField(_("procedure"), max_length=12, choices=Procedure.choices)
    # Decision kinds (services.cases.DECISIONS keys): warning, fine, confiscation, stop_order …
    decisions = models.JSONField(_("decision"), default=list, blank=True)
    fine_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decision_text = models.TextField(_("decision"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    changed_on = models.DateField(_("revised or revoked on"), null=True, blank=True)
    change_reason = models.CharField(_("why revised or revoked"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.INVESTIGATING
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")

    def __str__(self) -> str:
        return self.number


class Publicity(models.Model):
    """The penalty publicity record of a case (行政处罚信息公示), by the 2021 rules."""

    class Status(models.TextChoices):
        DUE = "due", _("To be published")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Publicity period over")
        REMOVED_EARLY = "removed_early", _("Removed early on application")

    class Period(models.TextChoices):
        SHORT = "3m", _("3 months")
        LONG = "3y", _("3 years")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="publicity")
    text = models.TextField(_("published text"))
    period = models.CharField(_("publicity period"), max_length=2, choices=Period.choices)
    due_on = models.DateField(_("publish by"))
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.DUE
    )
    published_at = models.DateTimeField(null=True, blank=True)
    visible_until = models.DateField(_("visible until"), null=True, blank=True)
    withdraw_due = models.DateField(_("withdraw by"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("penalty publicity")
        verbose_name_plural = _("penalty publicity")
        indexes = [models.Index(fields=["status", "visible_until"], name="publicity_clock")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class TypicalCase(models.Model):
    """A decided, publishable case written up for the campaign (曝光典型案件)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="typical")
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="typical_cases",
    )
    domain = models.ForeignKey(
        "campaigns.Domain",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="typical_cases",
    )
    title = models.CharField(_("title"), max_length=120)
    facts = models.TextField(_("facts"))
    actions = models.TextField(_("what was done"))
    warning = models.TextField(_("the warning to others"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.CharField(_("reason returned"), max_length=300, blank=True)
    written_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    approved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")

    def __str__(self) -> str:
        return self.title
