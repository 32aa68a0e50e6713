"""Helpers every app's views use: access decorators, error mapping, pagination."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import render

from qualitymonth.core.pagination import paginate  # noqa: F401 (views import it from here)
from qualitymonth.core.permissions import PermissionDenied, policy


def office_required(view):
    """The back office: signed in and a member of some unit (or a superuser)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.is_staff_member(request.user):
            raise DjangoPermissionDenied
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            raise DjangoPermissionDenied from denied

    return wrapper


def require(user, action, obj=None) -> None:
    """Ask the policy; a no becomes Django's 403."""
    if not policy.can(user, action, obj):
        raise DjangoPermissionDenied


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else str(item))
    else:
        for message in error.messages:
            form.add_error(None, message)


def render_partial(request, template: str, partial: str, context: dict, **kwargs):
    """One view, one template: htmx asks for the named partial, a plain request for the page."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        template = f"{template}#{partial}"
    return render(request, template, context, **kwargs)
