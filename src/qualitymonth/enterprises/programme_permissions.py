"""Who may do what with programmes (registered with the core policy when the app is ready).

The campaign office covering a programme's region runs it (creates it, builds its target list,
plans its visits); the staff of the unit organising its activity may follow it."""

from enum import StrEnum

from qualitymonth.core.permissions import Policy, policy


class ProgrammeAction(StrEnum):
    MANAGE = "programme.manage"  # obj: a Programme, or the Activity a new one is for
    VIEW = "programme.view"  # obj: a Programme (None: "some programme at all")


def _region_and_organiser(obj):
    """The region that scopes obj and the unit organising its activity."""
    activity = getattr(obj, "activity", obj)  # a Programme, or the Activity itself
    region = getattr(obj, "region", None) if hasattr(obj, "activity") else None
    if region is None:
        region = activity.campaign.region
    return region, activity.organiser_id


def programme_rule(policy: Policy, user, action: str, obj) -> bool:
    if obj is None:
        if action == ProgrammeAction.MANAGE:
            return policy.is_office(user)
        return policy.is_office(user) or bool(policy.unit_ids(user))
    region, organiser_id = _region_and_organiser(obj)
    if policy.office_covers(user, region):
        return True
    if action == ProgrammeAction.VIEW:
        return organiser_id in policy.unit_ids(user)
    return False


def register() -> None:
    """Register this topic's rules (and anything else it adds when the app is ready)."""
    from qualitymonth.campaigns import panels

    policy.register("programme.", programme_rule)
    panels.register(
        "programmes",
        template="enterprises/programmes/_public_panel.html",
        context=_public_panel,
        order=60,
    )


def _public_panel(campaign) -> dict | None:
    # Imported when a campaign page asks, not when the app loads.
    from qualitymonth.enterprises.programme_selectors import public_panel

    return public_panel(campaign)
