"""The one permission policy: every "may this user do X to this object" question is answered here.

Scope comes from memberships: a unit's staff act on what their unit organises; the campaign
office acts on everything in campaigns of its region or below it; a superuser acts on all.
Views and API endpoints ask the policy; services ask it again before writing, so a URL typed by
hand gets the same answer as a button.

The policy is the mechanism; the rules belong to the apps. Each app registers, in its
`AppConfig.ready()`, a rule for the action names it owns (`policy.register("contest.", rule)`),
as django-rules' per-app rules.py do, so `core` imports no app above it and a new capability
adds its roles without editing this module. An action nobody registered is an error, not a "no".
"""

from collections.abc import Callable
from enum import StrEnum

from django.db.models import Q, QuerySet

from qualitymonth.core.models import Membership, Region, Unit


class Action(StrEnum):
    """The actions of the first capabilities. Apps that come later name their own actions (any
    string under the prefix they register); these stay here so existing callers keep one import."""

    CAMPAIGN_MANAGE = "campaign.manage"
    ACTIVITY_CREATE = "activity.create"
    ACTIVITY_VIEW = "activity.view"
    ACTIVITY_EDIT = "activity.edit"
    ACTIVITY_SUBMIT = "activity.submit"
    ACTIVITY_REVIEW = "activity.review"
    ACTIVITY_PUBLISH = "activity.publish"
    ACTIVITY_CANCEL = "activity.cancel"
    ACTIVITY_MANAGE = "activity.manage"  # registrations, export, check-in, outcome report
    COMPLAINT_VIEW = "complaint.view"
    COMPLAINT_HANDLE = "complaint.handle"  # workflow steps, transfer, replies
    COMPLAINT_TRIAGE = "complaint.triage"  # the office's manual routing queue, re-routing
    COMPLAINT_PERSONAL_DATA = "complaint.personal_data"  # see name, phone, address unmasked
    HOTSPOT_MANAGE = "hotspot.manage"
    CONTEST_MANAGE = "contest.manage"  # set up, moderate, assign judges, rank, confirm awards
    CONTEST_JUDGE = "contest.judge"  # score an assignment (obj) or judge in a contest (obj)
    CONTEST_ENTRY_VIEW = "contest.entry_view"  # an entry that is not public (yet)
    WORKDAYS_MANAGE = "workdays.manage"  # the holiday calendar's overrides every deadline counts


Role = Membership.Role
UNIT_ROLES = {Role.UNIT_STAFF, Role.UNIT_MANAGER}


class PermissionDenied(Exception):
    """Raised by services when the policy says no; views turn it into a 403."""


Rule = Callable[["Policy", object, str, object], bool]


class Policy:
    def __init__(self):
        self._rules: dict[str, Rule] = {}

    def memberships(self, user) -> list[Membership]:
        if not getattr(user, "is_authenticated", False):
            return []
        cached = getattr(user, "_qm_memberships", None)
        if cached is None:
            cached = list(
                Membership.objects.filter(user=user, unit__is_active=True).select_related(
                    "unit__region"
                )
            )
            user._qm_memberships = cached
        return cached

    def unit_ids(self, user, roles=UNIT_ROLES) -> set[int]:
        return {m.unit_id for m in self.memberships(user) if m.role in roles}

    def office_region_ids(self, user) -> set[int]:
        return {m.unit.region_id for m in self.memberships(user) if m.role == Role.CAMPAIGN_OFFICE}

    def is_office(self, user) -> bool:
        return bool(getattr(user, "is_superuser", False) or self.office_region_ids(user))

    def is_staff_member(self, user) -> bool:
        """May use the back office at all."""
        return bool(getattr(user, "is_superuser", False) or self.memberships(user))

    def office_regions(self, user) -> QuerySet:
        """The regions the user's office covers — its own and every one below it — as ids to
        filter by inside another query: `Q(region__in=policy.office_regions(user))`, one
        subquery on the small region table instead of a chain of joins per row."""
        offices = self.office_region_ids(user)
        return Region.objects.filter(
            Q(pk__in=offices) | Q(parent_id__in=offices) | Q(parent__parent_id__in=offices)
        ).values("pk")

    def office_covers(self, user, region: Region) -> bool:
        if getattr(user, "is_superuser", False):
            return True
        offices = self.office_region_ids(user)
        return any(r.pk in offices for r in region.ancestors_and_self())

    # --- the rules ----------------------------------------------------------------------------
    def register(self, prefix: str, rule: "Rule") -> None:
        """Let `rule(policy, user, action, obj)` answer for every action starting with prefix
        (e.g. "contest."). Registered once per prefix, from the owning app's ready()."""
        existing = self._rules.get(prefix)
        if existing is not None and existing is not rule:
            raise ValueError(f"Actions {prefix!r} already have a rule: {existing!r}")
        self._rules[prefix] = rule

    def _rule_for(self, action: str) -> "Rule":
        matches = [prefix for prefix in self._rules if action.startswith(prefix)]
        if not matches:
            raise ValueError(f"No rule is registered for the action {action!r}")
        return self._rules[max(matches, key=len)]

    # --- the question -----------------------------------------------------------------------
    def can(self, user, action: Action | str, obj=None) -> bool:
        action = str(action)
        rule = self._rule_for(action)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        return bool(rule(self, user, action, obj))

    def require(self, user, action: Action | str, obj=None) -> None:
        if not self.can(user, action, obj):
            raise PermissionDenied(action)

    # --- scoping lists ----------------------------------------------------------------------
    def covered_units(self, user) -> QuerySet[Unit]:
        """The user's own units and, for an office, every unit in its region (active or not)."""
        if getattr(user, "is_superuser", False):
            return Unit.objects.all()
        offices = self.office_region_ids(user)
        return Unit.objects.filter(
            Q(pk__in=self.unit_ids(user))
            | Q(region_id__in=offices)
            | Q(region__parent_id__in=offices)
            | Q(region__parent__parent_id__in=offices)
        )

    def creatable_units(self, user) -> QuerySet[Unit]:
        """The units a user may write something new for."""
        return self.covered_units(user).filter(is_active=True)

    def activities_filter(self, user) -> Q:
        """The activities a user may see in the back office, as a filter on Activity."""
        if getattr(user, "is_superuser", False):
            return Q()
        offices = self.office_region_ids(user)
        return (
            Q(organiser_id__in=self.unit_ids(user))
            | Q(campaign__region_id__in=offices)
            | Q(campaign__region__parent_id__in=offices)
            | Q(campaign__region__parent__parent_id__in=offices)
        )

    def complaints_filter(self, user) -> Q:
        """The cases a user may see in the back office, as a filter on Complaint. The regions an
        office covers are resolved here (a small table) so the filter needs no join and the
        database can use the case table's indexes."""
        if getattr(user, "is_superuser", False):
            return Q()
        offices = self.office_region_ids(user)
        covered = []
        if offices:
            # Cases belong to the campaign's region, a city as a rule: the office's own regions
            # and the cities below them. One city is an equality the indexes can order by.
            covered = list(
                Region.objects.filter(
                    Q(pk__in=offices) | Q(parent_id__in=offices, level=Region.Level.CITY)
                ).values_list("pk", flat=True)
            )
        by_region = Q(region_id=covered[0]) if len(covered) == 1 else Q(region_id__in=covered)
        return Q(unit_id__in=self.unit_ids(user)) | by_region


policy = Policy()


def _workdays_rule(policy: Policy, user, action: str, obj) -> bool:
    # One calendar for the whole platform: any campaign office, no unit staff.
    return policy.is_office(user)


policy.register("workdays.", _workdays_rule)
