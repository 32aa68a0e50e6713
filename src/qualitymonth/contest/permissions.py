"""Who may run, judge and see the micro-video contest (registered with the core policy when the
app is ready)."""

from qualitymonth.contest.models import Assignment, Contest, Entry
from qualitymonth.core.permissions import Action, Policy, policy


def contest_rule(policy: Policy, user, action: str, obj) -> bool:
    contest = obj if isinstance(obj, Contest) else getattr(obj, "contest", None)
    if isinstance(obj, Assignment):
        contest = obj.entry.contest
    manages = (
        policy.office_covers(user, contest.campaign.region) if contest else policy.is_office(user)
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


def register() -> None:
    policy.register("contest.", contest_rule)
