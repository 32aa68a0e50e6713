"""Who sees which figures: the campaign office sees its whole campaign, a unit's staff see their
own unit(s) only; the report is the office's. Registered with the core policy when ready."""

from enum import StrEnum

from qualitymonth.core.permissions import Policy, policy


class DashboardAction(StrEnum):
    VIEW = "dashboard.view"  # obj: a campaign, or None (may see any dashboard at all)
    REPORT = "dashboard.report"  # obj: a campaign, or None; the Word report


def dashboard_rule(policy: Policy, user, action: str, obj) -> bool:
    if obj is None:
        return policy.is_office(user) or (
            action == DashboardAction.VIEW and bool(policy.unit_ids(user))
        )
    if policy.office_covers(user, obj.region):
        return True
    return action == DashboardAction.VIEW and bool(policy.unit_ids(user))


def scope_for(user, campaign) -> frozenset[int] | None:
    """The unit ids whose figures `user` may see in `campaign`: None for all (the office).
    Callers check DashboardAction.VIEW first."""
    if policy.office_covers(user, campaign.region):
        return None
    return frozenset(policy.unit_ids(user))


def register() -> None:
    policy.register("dashboard.", dashboard_rule)
