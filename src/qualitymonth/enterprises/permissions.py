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


class NeedAction(StrEnum):
    CATALOGUE_MANAGE = "need.catalogue"  # service types, providers, time limits
    FILE = "need.file"  # obj: the Enterprise the need is for (its members, steward, office)
    VIEW = "need.view"
    DISPATCH = "need.dispatch"  # accept, decline, dispatch to a provider, close
    SERVE = "need.serve"  # start, log visits, upload deliverables, deliver
    RATE = "need.rate"


def serves(policy: Policy, user, provider) -> bool:
    """Whether the user works for the provider: its expert, or staff of its institution."""
    if provider is None:
        return False
    if provider.user_id is not None:
        return provider.user_id == user.pk
    return provider.unit_id in {m.unit_id for m in policy.memberships(user)}


def need_rule(policy: Policy, user, action: str, obj) -> bool:
    if action == NeedAction.CATALOGUE_MANAGE:
        return policy.office_covers(user, obj.region) if obj is not None else policy.is_office(user)
    if action == NeedAction.FILE:
        # Its own people; its quality steward on its behalf; the office (a phone call).
        return obj is not None and (
            obj.steward_id == user.pk
            or policy.office_covers(user, obj.region)
            or obj.members.filter(user=user).exists()
        )
    if obj is None:  # "any need at all": the office lists, providers their own
        return policy.is_office(user) or bool(policy.memberships(user))
    need = obj
    office = policy.office_covers(user, need.region)
    if action == NeedAction.DISPATCH:
        return office
    if action == NeedAction.SERVE:
        return serves(policy, user, need.provider)
    member = need.enterprise.members.filter(user=user).exists()
    if action == NeedAction.RATE:
        return member
    return (
        office
        or member
        or serves(policy, user, need.provider)
        or need.enterprise.steward_id == user.pk
    )


def register() -> None:
    policy.register("enterprise.", enterprise_rule)
    policy.register("need.", need_rule)
