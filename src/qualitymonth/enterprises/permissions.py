"""Who may do what in the enterprise registry (registered with the core policy when the app is
ready). The campaign office keeps the registry of its region and decides claims; a person
approved for an enterprise acts for it; its quality steward sees it."""

from enum import StrEnum

from qualitymonth.core.permissions import Policy, policy


class Action(StrEnum):
    MANAGE = "enterprise.manage"  # the registry: add, change, import, export, exceptions
    VIEW = "enterprise.view"  # one enterprise's page and timeline
    ACT = "enterprise.act"  # act for the enterprise (its own users)
    CLAIM_DECIDE = "enterprise.claim_decide"


def enterprise_rule(policy: Policy, user, action: str, obj) -> bool:
    # obj is an Enterprise (or None: "any at all").
    region = getattr(obj, "region", None)
    office = policy.office_covers(user, region) if region else policy.is_office(user)
    if action in (Action.MANAGE, Action.CLAIM_DECIDE):
        return office
    if obj is None:
        return office
    members = obj.members.filter(user=user).exists()
    if action == Action.ACT:
        return members
    return office or members or obj.steward_id == user.pk


def register() -> None:
    policy.register("enterprise.", enterprise_rule)
