"""Who may do what in supervision (registered with the core policy when the app is ready).

- The campaign office of a city keeps its directories (subjects, inspectors and their declared
  links, check items, product categories, checklists, the city's rules), makes the plans and the
  draws, and may do everything its units may.
- A market-supervision unit's staff, managers and inspectors work on their unit's tasks,
  inspections, hazards, spot checks and cases; an inspector drawn for a subject inspects it,
  whatever their unit. Managers (and the office) publish results and approve typical cases —
  never their own write-up.
- An enterprise's approved users see and answer the rectification orders and spot-check results
  of their own enterprise, and nothing else here.
"""

from enum import StrEnum

from qualitymonth.core.models import Membership, Unit
from qualitymonth.core.permissions import Policy, policy

Role = Membership.Role
WORK_ROLES = {Role.UNIT_STAFF, Role.UNIT_MANAGER, Role.INSPECTOR}
MANAGER_ROLES = {Role.UNIT_MANAGER}
# Supervision is the market regulator's: the other co-organising agencies' staff (police,
# culture and tourism …) have no part in it, unless the office lists them as inspectors and a
# draw sends them somewhere.
SUPERVISING_KINDS = {Unit.Kind.MARKET_SUPERVISION}


def is_inspector(user) -> bool:
    """Whether the user is in the inspectors' directory (active): asked once per request."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_sv_inspector", None)
    if cached is None:
        from qualitymonth.supervision.models import Inspector

        cached = Inspector.objects.filter(user_id=user.pk, is_active=True).exists()
        user._sv_inspector = cached
    return cached


def work_unit_ids(user, roles=WORK_ROLES) -> set[int]:
    """The supervising units in which the user holds one of the roles."""
    return {
        m.unit_id
        for m in policy.memberships(user)
        if m.role in roles and m.unit.kind in SUPERVISING_KINDS
    }


class SupervisionAction(StrEnum):
    # obj: anything with a region (Subject, Inspector's unit, CheckItem, Checklist, Plan, Rules),
    # or None for "some city at all".
    DIRECTORY = "supervision.directory"
    # The directories and lists of a city (office, or work roles of a unit in it). obj: Region.
    VIEW = "supervision.view"
    DRAW = "supervision.draw"  # obj: Plan or Task
    # obj: Task / DrawnSubject / Inspection / Hazard / SpotCheckPlan / Sample / Case
    WORK = "supervision.work"
    INSPECT = "supervision.inspect"  # obj: DrawnSubject (drawn inspectors) or Inspection
    PUBLISH = "supervision.publish"  # results, notices, publicity: obj as WORK
    APPROVE = "supervision.approve"  # a TypicalCase (not by its writer)
    RESPOND = "supervision.respond"  # obj: Hazard or Sample, for the enterprise's users


def scope(obj):
    """(region, unit id) of any supervision object: the city it belongs to and the unit that
    owns the work (None for directory entries)."""
    from qualitymonth.supervision import models as m

    if isinstance(obj, m.TypicalCase):
        obj = obj.case
    if isinstance(obj, m.Sample):
        obj = obj.plan
    if isinstance(obj, m.Hazard | m.Inspection | m.Case | m.SpotCheckPlan | m.Task):
        region = obj.plan.region if isinstance(obj, m.Task) else _region_of(obj)
        return region, obj.unit_id
    if isinstance(obj, m.DrawnSubject):
        return obj.task.plan.region, obj.task.unit_id
    if isinstance(obj, m.Inspector):
        return obj.unit.region, obj.unit_id
    return _region_of(obj), None


def _region_of(obj):
    from qualitymonth.core.models import Region

    if isinstance(obj, Region):
        return obj
    if hasattr(obj, "region"):
        return obj.region
    if hasattr(obj, "subject"):
        return obj.subject.region
    return obj.unit.region


def _drawn_inspector(user, drawn) -> bool:
    return drawn.inspectors.filter(is_active=True, inspector__user=user).exists()


def _drawn_of(obj):
    """The drawn subject behind a drawn subject, an inspection or a hazard (None otherwise)."""
    from qualitymonth.supervision import models as m

    if isinstance(obj, m.DrawnSubject):
        return obj
    if isinstance(obj, m.Inspection):
        return obj.drawn
    if isinstance(obj, m.Hazard):
        return obj.inspection.drawn
    return None


def _enterprise_member(user, enterprise_id) -> bool:
    from qualitymonth.enterprises.models import EnterpriseMember

    return (
        enterprise_id is not None
        and EnterpriseMember.objects.filter(enterprise_id=enterprise_id, user=user).exists()
    )


def supervision_rule(policy: Policy, user, action: str, obj) -> bool:
    from qualitymonth.supervision import models as m

    if obj is None:
        if action in (SupervisionAction.DIRECTORY, SupervisionAction.DRAW):
            return policy.is_office(user)
        return policy.is_office(user) or bool(work_unit_ids(user))
    if action == SupervisionAction.RESPOND:
        enterprise_id = (
            obj.subject.enterprise_id if isinstance(obj, m.Hazard) else obj.enterprise_id
        )
        return _enterprise_member(user, enterprise_id)
    region, unit_id = scope(obj)
    if policy.office_covers(user, region):
        if action == SupervisionAction.APPROVE:
            return obj.written_by_id != user.pk
        return True
    if action in (SupervisionAction.DIRECTORY, SupervisionAction.DRAW):
        return False
    if action == SupervisionAction.VIEW:
        # A unit of the city, of one of its districts, or above it (a provincial unit).
        units = [
            m.unit.region
            for m in policy.memberships(user)
            if m.role in WORK_ROLES and m.unit.kind in SUPERVISING_KINDS
        ]
        return any(
            region.pk in {r.pk for r in own.ancestors_and_self()}
            or own.pk in {r.pk for r in region.ancestors_and_self()}
            for own in units
        )
    if action == SupervisionAction.INSPECT:
        drawn = _drawn_of(obj)
        if drawn is not None and _drawn_inspector(user, drawn):
            return True
        return isinstance(obj, m.Inspection) and unit_id in work_unit_ids(user)
    if action == SupervisionAction.WORK:
        if unit_id in work_unit_ids(user):
            return True
        # Drawn inspectors of another unit work on what their draw led to.
        drawn = _drawn_of(obj)
        return drawn is not None and _drawn_inspector(user, drawn)
    if action == SupervisionAction.PUBLISH:
        return unit_id in work_unit_ids(user, MANAGER_ROLES)
    if action == SupervisionAction.APPROVE:
        return unit_id in work_unit_ids(user, MANAGER_ROLES) and obj.written_by_id != user.pk
    return False


def register() -> None:
    policy.register("supervision.", supervision_rule)
