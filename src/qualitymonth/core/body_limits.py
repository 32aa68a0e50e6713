"""How large a request body each address accepts.

Every address takes QM_REQUEST_BODY_MAX_MB; a view that takes larger files says so with
`@body_limit(...)`, in MB of files (a number, or a callable given the request and the URL's
arguments, returning None when it cannot tell). The middleware reads the ceiling from the
resolved view before anything reads the body (core/middleware_input.py).
"""

from collections.abc import Callable

from django.conf import settings
from django.urls import Resolver404, resolve
from ninja.operation import PathView

# The text fields and the multipart framing beside the files.
FORM_MARGIN_MB = 1

MB = 1024 * 1024

Ceiling = int | Callable[..., int | None]


def body_limit(files_mb: Ceiling):
    """Declare the largest files (in MB, all together) the decorated view accepts."""

    def decorate(view):
        view.body_limit = files_mb
        return view

    return decorate


def _api_operations(match) -> list:
    """django-ninja routes a path to one view function for the operations of every method; it
    wraps the PathView that holds them (ninja 1.7: a closure over it; earlier: its method).
    tests/core/test_body_limits.py fails if a new version hides it elsewhere."""
    func = match.func
    owner = getattr(func, "__self__", None)
    if owner is None:
        cells = getattr(func, "__closure__", None) or ()
        owner = next(
            (c.cell_contents for c in cells if isinstance(c.cell_contents, PathView)), None
        )
    return owner.operations if isinstance(owner, PathView) else []


def body_ceiling(request) -> int:
    """The largest body, in bytes, this request may carry."""
    default = settings.QM_REQUEST_BODY_MAX_MB * MB
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return default
    operations = _api_operations(match)
    view = next((op.view_func for op in operations if request.method in op.methods), match.func)
    declared = getattr(view, "body_limit", None)
    if callable(declared):
        declared = declared(request, *match.args, **match.kwargs)
    if declared is None:
        return default
    return max(default, (declared + FORM_MARGIN_MB) * MB)
