"""Sections other apps add to a campaign's public page (a programme's progress, …), registered in
their `AppConfig.ready()`: the campaign page shows them without importing the apps above it.

A panel is a function `(campaign) -> dict | None`: a context for its template, or None when it
has nothing to show for that campaign. It must carry no personal data: the page is public."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[object], dict | None]
    order: int = 100


_panels: dict[str, Panel] = {}


def register(name: str, *, template: str, context: Callable, order: int = 100) -> None:
    _panels[name] = Panel(name, template, context, order)


def _rendered(panels: dict[str, Panel], subject) -> list[dict]:
    """The panels with something to show, in order, as {"template", "context"}."""
    shown = []
    for panel in sorted(panels.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(subject)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown


def rendered_for(campaign) -> list[dict]:
    return _rendered(_panels, campaign)


# The back office's home: sections other apps add for the person signed in (a quality steward's
# enterprises, …). A function `(user) -> dict | None`.
_office_panels: dict[str, Panel] = {}


def register_office(name: str, *, template: str, context: Callable, order: int = 100) -> None:
    _office_panels[name] = Panel(name, template, context, order)


def office_rendered_for(user) -> list[dict]:
    return _rendered(_office_panels, user)
