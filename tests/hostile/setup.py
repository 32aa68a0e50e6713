"""What the hostile API suite needs to know of an operation beyond its document."""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.hostile.conftest import World


@dataclass
class Setup:
    """What an operation needs beyond its document: who sends it, which objects its path names,
    the values its document cannot know, how to undo what one request changed, and where what
    it stores can be read back."""

    who: str = "anonymous"
    path: Callable[[World], dict] = lambda w: {}
    base: Callable[[World, int], dict] = lambda w, n: {}
    reset: Callable[[World], None] = lambda w: None
    stored: dict[str, Callable[[World], str]] = field(default_factory=dict)
    # Fields that name something (a case, a code, a slug): "no such thing" is a fair answer.
    lookups: frozenset = frozenset()
    # Fields that only make sense together: a refusal may name the one left out.
    pairs: dict = field(default_factory=dict)


def _latest(model_path: str, attribute: str):
    def read(w):
        from django.apps import apps

        model = apps.get_model(model_path)
        return getattr(model.objects.order_by("-pk").first(), attribute)

    return read


def _fresh(obj, attribute: str):
    def read(w):
        item = getattr(w, obj)
        item.refresh_from_db()
        return getattr(item, attribute)

    return read


@dataclass(frozen=True)
class StepForm:
    """A web form for the hostile suite: who sends it, the page that shows it, the address it is
    posted to (the page when None), the context key the form is under on both, a valid base,
    how to undo what one accepted post changed, and, for a form that always answers with a
    redirect and a page message, the fields to send."""

    who: str
    page: Callable[[World], str]
    base: Callable[[World], dict]
    post: Callable[[World], str] | None = None
    key: str = "form"
    reset: Callable[[World], None] = lambda w: None
    redirecting: tuple[str, ...] = ()
