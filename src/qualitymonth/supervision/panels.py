"""Supervision on the back office's home (campaigns.panels): the way into the supervision hub,
and for an inspector the subjects drawn for them and their inspections in progress; for anyone
who works on hazards, how many are overdue. Registered when the app is ready."""

from django.utils import timezone

from qualitymonth.core.permissions import policy
from qualitymonth.supervision.permissions import SupervisionAction, is_inspector


def office_overview(user) -> dict | None:
    from qualitymonth.supervision import hazard_selectors, inspection_selectors

    inspector = is_inspector(user)
    works = policy.can(user, SupervisionAction.VIEW, None)
    if not (inspector or works):
        return None
    overview = {"hub": works, "inspector": inspector}
    if inspector:
        overview["drawn"] = inspection_selectors.drawn_for(user).count()
        overview["in_progress"] = inspection_selectors.inspections_in_progress(user).count()
    counts = hazard_selectors.tab_counts(user, today=timezone.localdate())
    overview["overdue"], overview["due_soon"] = counts["overdue"], counts["due_soon"]
    return overview


def register() -> None:
    from qualitymonth.campaigns import panels

    panels.register_office(
        "supervision",
        template="supervision/_office_panel.html",
        context=office_overview,
        order=20,
    )
