"""Who may do what with GB/T 19580 self-assessments (registered with the core policy when the app
is ready). The enterprise's members write and submit their own; the office of its region, its
steward and the experts of its region read them; experts and the office review; the office
reopens. The object is a SelfAssessment, or an Enterprise for "one of this enterprise's"."""

from enum import StrEnum

from qualitymonth.core.models import Membership
from qualitymonth.core.permissions import Policy, policy


class ExcellenceAction(StrEnum):
    EDIT = "excellence.edit"  # write the scores and evidence, submit (members, while a draft)
    VIEW = "excellence.view"
    REVIEW = "excellence.review"  # adjust the scores with notes (experts of the region, office)
    REOPEN = "excellence.reopen"  # send a submitted or reviewed one back to draft (office)


def _split(obj):
    """(enterprise, assessment) from a SelfAssessment or an Enterprise."""
    enterprise = getattr(obj, "enterprise", None)
    if enterprise is not None:
        return enterprise, obj
    return obj, None


def expert_region_ids(user) -> set[int]:
    """The regions where the user is a quality expert: an expert provider's region, or a unit
    where the user holds the expert role. Asked once per request (cached on the user)."""
    cached = getattr(user, "_qm_expert_regions", None)
    if cached is not None:
        return cached
    from qualitymonth.enterprises.models import Provider

    regions = {
        m.unit.region_id for m in policy.memberships(user) if m.role == Membership.Role.EXPERT
    }
    regions |= set(
        Provider.objects.filter(user=user, kind=Provider.Kind.EXPERT, is_active=True).values_list(
            "region_id", flat=True
        )
    )
    user._qm_expert_regions = regions
    return regions


def is_expert_for(user, enterprise) -> bool:
    regions = expert_region_ids(user)
    return bool(regions) and any(r.pk in regions for r in enterprise.region.ancestors_and_self())


def excellence_rule(policy: Policy, user, action: str, obj) -> bool:
    if obj is None:  # "any at all": the office's list is for the office and the experts
        return action in (ExcellenceAction.VIEW, ExcellenceAction.REVIEW) and (
            policy.is_office(user) or bool(expert_region_ids(user))
        )
    enterprise, assessment = _split(obj)
    draft = assessment is None or assessment.status == assessment.Status.DRAFT
    if action == ExcellenceAction.EDIT:
        return draft and enterprise.members.filter(user=user).exists()
    office = policy.office_covers(user, enterprise.region)
    if action == ExcellenceAction.REOPEN:
        return office
    if action == ExcellenceAction.REVIEW:
        return office or is_expert_for(user, enterprise)
    # VIEW: an expert reads what was handed in, not the enterprise's working draft.
    return (
        office
        or enterprise.members.filter(user=user).exists()
        or enterprise.steward_id == user.pk
        or (not draft and is_expert_for(user, enterprise))
    )


def register() -> None:
    """Register this topic's rules (and anything else it adds when the app is ready)."""
    policy.register("excellence.", excellence_rule)
