"""Who may see and handle complaints and problem groups (registered with the core policy when the
app is ready)."""

from qualitymonth.core.permissions import Action, Policy, policy


def complaint_rule(policy: Policy, user, action: str, obj) -> bool:
    # obj is a Complaint (or a ProblemGroup for hotspots, or None: "any at all").
    if action in (Action.COMPLAINT_TRIAGE, Action.HOTSPOT_MANAGE):
        region = getattr(obj, "region", None)
        return policy.office_covers(user, region) if region else policy.is_office(user)
    if obj is None:
        return policy.is_office(user) or bool(policy.unit_ids(user))
    if policy.office_covers(user, obj.region):
        return True
    # The handlers of a case are the staff of the unit it is assigned to, and no one else.
    return obj.unit_id is not None and obj.unit_id in policy.unit_ids(user)


def register() -> None:
    policy.register("complaint.", complaint_rule)
    policy.register("hotspot.", complaint_rule)
