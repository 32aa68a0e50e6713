"""Reads of the enforcement cases: the register a user may see, the publicity lists by clock,
typical cases, the public penalty and typical-case pages (no personal data but a masked party),
and what other pages show of cases (an enterprise's count and timeline, a complaint's cases)."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.campaigns.selectors import search_terms
from qualitymonth.core.permissions import policy
from qualitymonth.enterprises.timeline import Entry
from qualitymonth.supervision.models import Case, Publicity, TypicalCase
from qualitymonth.supervision.permissions import SupervisionAction, work_unit_ids

TIMELINE_LIMIT = 50
PUBLICITY_TABS = ("due", "overdue", "published", "withdraw")
CASE_NUMBER_MAX = 24


# --- what a user may see -------------------------------------------------------------------------
def _scope(user, prefix: str = "") -> Q:
    """Cases of the user's own units, and of every unit in the regions their office covers."""
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(**{f"{prefix}unit_id__in": work_unit_ids(user)}) | Q(
        **{f"{prefix}region_id__in": policy.office_regions(user)}
    )


def cases_for(user) -> QuerySet[Case]:
    return Case.objects.filter(_scope(user)).select_related("unit", "enterprise")


def case_list(
    user,
    *,
    query: str = "",
    status: str = "",
    source: str = "",
    procedure: str = "",
    unit=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Case]:
    """The register, searched by number or party, filtered; newest first."""
    qs = cases_for(user)
    for term in search_terms((query or "").strip()[:60]):
        qs = qs.filter(Q(number__icontains=term) | Q(party_name__icontains=term))
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs.order_by("-created_at", "-pk")


def case_for(user, number) -> Case | None:
    """One case by its number, if the user may see it (else None: "not found")."""
    if not isinstance(number, str) or not 0 < len(number) <= CASE_NUMBER_MAX:
        return None
    found = (
        Case.objects.select_related(
            "unit", "region", "enterprise", "complaint", "hazard", "sample", "inspection"
        )
        .filter(number=number)
        .first()
    )
    if found is None or not policy.can(user, SupervisionAction.WORK, found):
        return None
    return found


def publicity_of(case: Case) -> Publicity | None:
    return Publicity.objects.filter(case=case).first()


def typical_of(case: Case) -> TypicalCase | None:
    return TypicalCase.objects.filter(case=case).first()


# --- publicity clocks ----------------------------------------------------------------------------
def publicity_list(user, *, tab: str = "due", today: dt.date | None = None, query: str = ""):
    """due: waiting, not late; overdue: waiting past 20 working days; published: on the site;
    withdraw: published with a changed decision (the late ones first)."""
    today = today or timezone.localdate()
    qs = Publicity.objects.filter(_scope(user, "case__")).select_related("case__unit")
    for term in search_terms((query or "").strip()[:60]):
        qs = qs.filter(Q(case__number__icontains=term) | Q(case__party_name__icontains=term))
    if tab == "overdue":
        return qs.filter(status=Publicity.Status.DUE, due_on__lt=today).order_by("due_on", "pk")
    if tab == "published":
        return qs.filter(status=Publicity.Status.PUBLISHED).order_by("-published_at", "-pk")
    if tab == "withdraw":
        return qs.filter(status=Publicity.Status.PUBLISHED, withdraw_due__isnull=False).order_by(
            "withdraw_due", "pk"
        )
    return qs.filter(status=Publicity.Status.DUE, due_on__gte=today).order_by("due_on", "pk")


def publicity_counts(user, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    row = Publicity.objects.filter(_scope(user, "case__")).aggregate(
        due=Count("pk", filter=Q(status="due", due_on__gte=today)),
        overdue=Count("pk", filter=Q(status="due", due_on__lt=today)),
        published=Count("pk", filter=Q(status="published")),
        withdraw=Count("pk", filter=Q(status="published", withdraw_due__isnull=False)),
        withdraw_late=Count("pk", filter=Q(status="published", withdraw_due__lt=today)),
    )
    return row


# --- typical cases -------------------------------------------------------------------------------
def typical_list(user, *, status: str = "", query: str = "") -> QuerySet[TypicalCase]:
    qs = TypicalCase.objects.filter(_scope(user, "case__")).select_related(
        "case__unit", "domain", "campaign", "written_by"
    )
    if status:
        qs = qs.filter(status=status)
    for term in search_terms((query or "").strip()[:60]):
        qs = qs.filter(Q(title__icontains=term) | Q(case__number__icontains=term))
    return qs.order_by("-created_at", "-pk")


def typical_for(user, pk) -> TypicalCase | None:
    if not isinstance(pk, int) or not 0 < pk < 2**63:
        return None
    found = (
        TypicalCase.objects.select_related(
            "case__unit", "case__region", "case__publicity", "domain", "campaign", "written_by"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not policy.can(user, SupervisionAction.WORK, found.case):
        return None
    return found


def writable_cases(user) -> QuerySet[Case]:
    """Cases with their publicity on the site and no write-up yet."""
    today = timezone.localdate()
    return (
        cases_for(user)
        .filter(
            publicity__status=Publicity.Status.PUBLISHED,
            publicity__visible_until__gte=today,
            typical__isnull=True,
        )
        .order_by("-decided_on", "-pk")
    )


# --- public --------------------------------------------------------------------------------------
def _visible(today: dt.date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status": Publicity.Status.PUBLISHED,
            f"{prefix}visible_until__gte": today,
        }
    )


def public_penalties(*, query: str = "", today: dt.date | None = None) -> QuerySet[Publicity]:
    """Published records still in their period; searched by words of the text (which names
    the party masked when a person) or the decision number."""
    today = today or timezone.localdate()
    qs = Publicity.objects.filter(_visible(today)).select_related("case__unit")
    for term in search_terms((query or "").strip()[:60]):
        qs = qs.filter(Q(text__icontains=term) | Q(case__decision_number__icontains=term))
    return qs.order_by("-published_at", "-pk")


def public_typical(
    *, campaign=None, domain: str = "", today: dt.date | None = None
) -> QuerySet[TypicalCase]:
    """Published typical cases whose case's publicity is still visible."""
    today = today or timezone.localdate()
    qs = TypicalCase.objects.filter(
        _visible(today, "case__publicity__"), status=TypicalCase.Status.PUBLISHED
    ).select_related("domain", "campaign", "case__unit", "case__publicity")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if domain:
        qs = qs.filter(domain__code=domain[:40])
    return qs.order_by("-published_at", "-pk")


def public_typical_one(pk, *, today: dt.date | None = None) -> TypicalCase | None:
    if not isinstance(pk, int) or not 0 < pk < 2**63:
        return None
    return public_typical(today=today).filter(pk=pk).first()


def public_domains(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The domains (code, name) that have a visible typical case, for the filter."""
    seen: dict[str, str] = {}
    for typical in public_typical(today=today).exclude(domain=None).order_by("domain__order"):
        seen.setdefault(typical.domain.code, typical.domain.localized_name)
    return list(seen.items())


def public_panel(campaign) -> dict | None:
    """The campaign page's panel: its latest typical cases, None when it has none."""
    cases = list(public_typical(campaign=campaign)[:5])
    if not cases:
        return None
    return {"cases": cases, "count": public_typical(campaign=campaign).count()}


def register_panels() -> None:
    """The lead calls this from the app's ready()."""
    from qualitymonth.campaigns import panels

    panels.register(
        "typical_cases",
        template="supervision/cases/_public_panel.html",
        context=public_panel,
        order=70,
    )


# --- other pages ---------------------------------------------------------------------------------
def timeline_entries(enterprise) -> list[Entry]:
    """The enterprise's cases, newest first (one query)."""
    rows = (
        Case.objects.filter(enterprise=enterprise)
        .only("number", "status", "source", "created_at")
        .order_by("-created_at", "-pk")[:TIMELINE_LIMIT]
    )
    return [
        Entry(
            when=case.created_at,
            kind=_("Enforcement case"),
            title=f"{case.number} · {case.get_source_display()}",
            status=str(case.get_status_display()),
            url=reverse("sv_case:detail", args=[case.number]),
        )
        for case in rows
    ]


def cases_for_complaint(complaint) -> list[Case]:
    if complaint is None or complaint.pk is None:
        return []
    return list(
        Case.objects.filter(complaint=complaint).select_related("unit").order_by("created_at")
    )


# --- what a new case may start from --------------------------------------------------------------
def linkable_complaint(user, tracking_number: str):
    from qualitymonth.complaints.models import Complaint
    from qualitymonth.core.permissions import Action

    if not tracking_number or len(tracking_number) > 20:
        return None
    found = Complaint.objects.filter(tracking_number=tracking_number).first()
    if found is None or not policy.can(user, Action.COMPLAINT_VIEW, found):
        return None
    return found


def _linkable(user, model, pk):
    if not isinstance(pk, int) or not 0 < pk < 2**63:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None or not policy.can(user, SupervisionAction.WORK, found):
        return None
    return found


def linkable_hazard(user, pk):
    from qualitymonth.supervision.models import Hazard

    return _linkable(user, Hazard, pk)


def linkable_sample(user, pk):
    from qualitymonth.supervision.models import Sample

    return _linkable(user, Sample, pk)


def prefill(*, complaint=None, hazard=None, sample=None) -> dict:
    """What the register form starts with when a case is opened from something."""
    from qualitymonth.enterprises.models import Enterprise

    if complaint is not None:
        enterprise = (
            Enterprise.objects.filter(uscc=complaint.respondent_uscc).first()
            if complaint.respondent_uscc
            else None
        )
        return {
            "source": Case.Source.COMPLAINT,
            "complaint": complaint.tracking_number,
            "party_kind": Case.PartyKind.ENTERPRISE,
            "enterprise": enterprise.uscc if enterprise else "",
            "party_name": complaint.respondent_name,
            "facts": complaint.facts,
            "unit": complaint.unit_id,
        }
    if hazard is not None:
        enterprise = hazard.subject.enterprise
        return {
            "source": Case.Source.INSPECTION,
            "hazard": hazard.pk,
            "party_kind": Case.PartyKind.ENTERPRISE,
            "enterprise": enterprise.uscc if enterprise else "",
            "party_name": enterprise.name if enterprise else hazard.subject.name,
            "facts": f"{hazard.description}\n{hazard.order_text}",
            "unit": hazard.unit_id,
        }
    if sample is not None:
        return {
            "source": Case.Source.SPOT_CHECK,
            "sample": sample.pk,
            "party_kind": Case.PartyKind.ENTERPRISE,
            "enterprise": sample.enterprise.uscc,
            "party_name": sample.enterprise.name,
            "facts": f"{sample.number} {sample.product} {sample.failed_items}".strip(),
            "unit": sample.plan.unit_id,
        }
    return {}


def working_units(user):
    """The units a user may register a case for: their own (inspectors included) and, for an
    office, every active unit it covers."""
    from qualitymonth.core.models import Unit

    return Unit.objects.filter(
        Q(pk__in=work_unit_ids(user)) | Q(pk__in=policy.creatable_units(user))
    ).filter(is_active=True)
