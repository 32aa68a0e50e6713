"""Reads for claims and memberships: a person's own, and the office's queue."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from qualitymonth.core.permissions import policy
from qualitymonth.enterprises.models import Claim, EnterpriseMember

STATUSES = {value for value, _label in Claim.Status.choices}


def own_claims(user) -> QuerySet[Claim]:
    return Claim.objects.filter(user=user).select_related("enterprise").order_by("-created_at")


def own_claim(user, pk: int) -> Claim | None:
    return own_claims(user).filter(pk=pk).first()


def my_enterprises(user) -> QuerySet[EnterpriseMember]:
    return (
        EnterpriseMember.objects.filter(user=user)
        .select_related("enterprise__district", "enterprise__industry")
        .order_by("enterprise__name")
    )


def _office_scope(user) -> Q:
    """The claims whose enterprise lies in a region the user's office covers (as the policy's
    CLAIM_DECIDE rule answers for one enterprise)."""
    if getattr(user, "is_superuser", False):
        return Q()
    offices = policy.office_region_ids(user)
    if not offices:
        return Q(pk__in=[])
    return (
        Q(enterprise__region_id__in=offices)
        | Q(enterprise__region__parent_id__in=offices)
        | Q(enterprise__region__parent__parent_id__in=offices)
    )


def office_claims(user, *, status: str = "", q: str = "") -> QuerySet[Claim]:
    """The claims this office may decide: waiting ones first, then the newest."""
    qs = Claim.objects.filter(_office_scope(user))
    if status in STATUSES:
        qs = qs.filter(status=status)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(enterprise__name__icontains=q)
            | Q(enterprise__uscc__iexact=q)
            | Q(user__username__icontains=q)
            | Q(user__first_name__icontains=q)
        )
    waiting_first = Case(
        When(status=Claim.Status.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.select_related("enterprise", "user").order_by(waiting_first, "-created_at", "-pk")


def office_claim(user, pk: int) -> Claim | None:
    return office_claims(user).filter(pk=pk).first()
