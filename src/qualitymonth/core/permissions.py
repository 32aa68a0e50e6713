"""The one permission policy: every "may this user do X to this object" question is answered here.

Scope comes from memberships: a unit's staff act on what their unit organises; the campaign
office acts on everything in campaigns of its region or below it; a superuser acts on all.
Views and API endpoints ask the policy; services ask it again before writing, so a URL typed by
hand gets the same answer as a button.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from qualitymonth.core.models import Membership, Region, Unit


class Action(StrEnum):
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
_UNIT_ACTIONS = {
    Action.ACTIVITY_CREATE,
    Action.ACTIVITY_VIEW,
    Action.ACTIVITY_EDIT,
    Action.ACTIVITY_SUBMIT,
    Action.ACTIVITY_PUBLISH,
    Action.ACTIVITY_MANAGE,
}
_MANAGER_ONLY = {Action.ACTIVITY_CANCEL}


class PermissionDenied(Exception):
    """Raised by services when the policy says no; views turn it into a 403."""


class Policy:
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

    def office_covers(self, user, region: Region) -> bool:
        if getattr(user, "is_superuser", False):
            return True
        offices = self.office_region_ids(user)
        return any(r.pk in offices for r in region.ancestors_and_self())

    # --- the question -----------------------------------------------------------------------
    def can(self, user, action: Action | str, obj=None) -> bool:
        action = Action(action)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        if action == Action.CAMPAIGN_MANAGE:
            return (obj is None and self.is_office(user)) or (
                obj is not None and self.office_covers(user, obj.region)
            )
        if action == Action.WORKDAYS_MANAGE:
            # One calendar for the whole platform: any campaign office, no unit staff.
            return self.is_office(user)
        if action == Action.ACTIVITY_CREATE:
            # obj is the organiser unit (or None: "may create anything at all")
            if obj is None:
                return bool(self.unit_ids(user)) or self.is_office(user)
            return obj.pk in self.unit_ids(user) or self.office_covers(user, obj.region)
        if action.value.startswith(("complaint.", "hotspot.")):
            return self._can_complaint(user, action, obj)
        if action.value.startswith("contest."):
            return self._can_contest(user, action, obj)
        activity = obj
        if self.office_covers(user, activity.campaign.region):
            return True
        if action == Action.ACTIVITY_REVIEW:
            return False
        roles = {m.role for m in self.memberships(user) if m.unit_id == activity.organiser_id}
        if action in _MANAGER_ONLY:
            return Role.UNIT_MANAGER in roles
        return action in _UNIT_ACTIONS and bool(roles & UNIT_ROLES)

    def _can_complaint(self, user, action: Action, obj) -> bool:
        # obj is a Complaint (or a ProblemGroup for hotspots, or None: "any at all").
        if action in (Action.COMPLAINT_TRIAGE, Action.HOTSPOT_MANAGE):
            region = getattr(obj, "region", None)
            return self.office_covers(user, region) if region else self.is_office(user)
        if obj is None:
            return self.is_office(user) or bool(self.unit_ids(user))
        if self.office_covers(user, obj.region):
            return True
        # The handlers of a case are the staff of the unit it is assigned to, and no one else.
        return obj.unit_id is not None and obj.unit_id in self.unit_ids(user)

    def _can_contest(self, user, action: Action, obj) -> bool:
        from qualitymonth.contest.models import Assignment, Contest, Entry

        contest = obj if isinstance(obj, Contest) else getattr(obj, "contest", None)
        if isinstance(obj, Assignment):
            contest = obj.entry.contest
        manages = (
            self.office_covers(user, contest.campaign.region) if contest else self.is_office(user)
        )
        if action == Action.CONTEST_MANAGE or manages:
            return manages
        if action == Action.CONTEST_JUDGE:
            if isinstance(obj, Assignment):
                return obj.judge.user_id == user.pk
            return contest is not None and contest.judges.filter(user=user).exists()
        # An entry that is not public: its author, the office and the judges it is assigned to.
        entry = obj
        return isinstance(entry, Entry) and (
            entry.author_id == user.pk or entry.assignments.filter(judge__user=user).exists()
        )

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
