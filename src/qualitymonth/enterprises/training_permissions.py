"""Who may do what with trainings and the CQO register (registered with the core policy when the
app is ready). The office of the activity's region and the staff of its organiser run a training;
an enterprise's own users register it and record its CQOs; the office of its region and its
quality steward see them; the office keeps the register of trained CQOs."""

from enum import StrEnum

from qualitymonth.core.permissions import UNIT_ROLES, Policy, policy


class TrainingAction(StrEnum):
    MANAGE = "training.manage"  # obj: the Activity (mark it, see attendance, issue certificates)
    ATTEND = "training.attend"  # obj: the Enterprise a registration is made for


class CqoAction(StrEnum):
    RECORD = "cqo.record"  # obj: the Enterprise (record a CQO, end an appointment)
    VIEW = "cqo.view"  # obj: the Enterprise (its CQOs, their letters and certificates)
    REGISTER = "cqo.register"  # obj: a Region or None (the register of trained CQOs)


def _is_member(user, enterprise) -> bool:
    return enterprise is not None and enterprise.members.filter(user=user).exists()


def training_rule(policy: Policy, user, action: str, obj) -> bool:
    if action == TrainingAction.ATTEND:
        return _is_member(user, obj)
    if obj is None:  # "any training at all": the office, or staff of some unit
        return policy.is_office(user) or bool(policy.unit_ids(user))
    activity = getattr(obj, "activity", obj)  # a Training or its Activity
    if policy.office_covers(user, activity.campaign.region):
        return True
    return any(
        m.unit_id == activity.organiser_id and m.role in UNIT_ROLES
        for m in policy.memberships(user)
    )


def cqo_rule(policy: Policy, user, action: str, obj) -> bool:
    if action == CqoAction.REGISTER:
        return policy.office_covers(user, obj) if obj is not None else policy.is_office(user)
    if obj is None:
        return False
    if action == CqoAction.RECORD:
        return _is_member(user, obj)
    return (
        policy.office_covers(user, obj.region) or obj.steward_id == user.pk or _is_member(user, obj)
    )


def register() -> None:
    """Register this topic's rules (and anything else it adds when the app is ready)."""
    policy.register("training.", training_rule)
    policy.register("cqo.", cqo_rule)
