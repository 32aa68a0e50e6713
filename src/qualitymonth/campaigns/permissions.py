"""Who may do what to campaigns and activities (registered with the core policy when the app is
ready)."""

from enum import StrEnum

from qualitymonth.core.permissions import UNIT_ROLES, Action, Policy, Role, policy

_UNIT_ACTIONS = {
    Action.ACTIVITY_CREATE,
    Action.ACTIVITY_VIEW,
    Action.ACTIVITY_EDIT,
    Action.ACTIVITY_SUBMIT,
    Action.ACTIVITY_PUBLISH,
    Action.ACTIVITY_MANAGE,
}
_MANAGER_ONLY = {Action.ACTIVITY_CANCEL}


def campaign_rule(policy: Policy, user, action: str, obj) -> bool:
    # obj is a Campaign, or None: "may set up campaigns at all".
    if obj is None:
        return policy.is_office(user)
    return policy.office_covers(user, obj.region)


def activity_rule(policy: Policy, user, action: str, obj) -> bool:
    if action == Action.ACTIVITY_CREATE:
        # obj is the organiser unit (or None: "may create anything at all")
        if obj is None:
            return bool(policy.unit_ids(user)) or policy.is_office(user)
        return obj.pk in policy.unit_ids(user) or policy.office_covers(user, obj.region)
    activity = obj
    if policy.office_covers(user, activity.campaign.region):
        return True
    if action == Action.ACTIVITY_REVIEW:
        return False
    roles = {m.role for m in policy.memberships(user) if m.unit_id == activity.organiser_id}
    if action in _MANAGER_ONLY:
        return Role.UNIT_MANAGER in roles
    return action in _UNIT_ACTIONS and bool(roles & UNIT_ROLES)


class ParticipationAction(StrEnum):
    """Associations and enterprises that join a campaign (services/participation.py)."""

    APPLY = "participation.apply"  # obj: the campaign; anyone signed in
    VIEW = "participation.view"  # obj: an application; its applicant or the office
    WITHDRAW = "participation.withdraw"  # obj: an application; its applicant
    DECIDE = "participation.decide"  # obj: an application, a campaign, or None (any at all)


def participation_rule(policy: Policy, user, action: str, obj) -> bool:
    # Accepted organisations plan activities as their unit's members: activity_rule already
    # lets a unit's staff create and submit for their own unit in any campaign, and the office
    # reviews them like any other plan, so nothing more is needed there.
    if action == ParticipationAction.APPLY:
        return True
    if action == ParticipationAction.DECIDE:
        if obj is None:
            return policy.is_office(user)
        region = obj.region if hasattr(obj, "region") else obj.campaign.region
        return policy.office_covers(user, region)
    if action == ParticipationAction.WITHDRAW:
        return obj.applicant_id == user.pk
    if action == ParticipationAction.VIEW:
        return obj.applicant_id == user.pk or policy.office_covers(user, obj.campaign.region)
    return False


def register() -> None:
    policy.register("campaign.", campaign_rule)
    policy.register("activity.", activity_rule)
    policy.register("participation.", participation_rule)
