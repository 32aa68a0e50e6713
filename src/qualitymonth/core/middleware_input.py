from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """PostgreSQL cannot store a NUL character in text; one in a URL, a form or a JSON body is
    never legitimate input, so it is refused with a 400 before it reaches a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._in_params(request.GET):
            return self._refuse()
        if request.method in {"POST", "PUT", "PATCH"} and self._in_body(request):
            return self._refuse()
        return self.get_response(request)

    def _in_body(self, request) -> bool:
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/json"):
            return b"\x00" in request.body or b"\\u0000" in request.body
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            return self._in_params(request.POST)
        return False

    @staticmethod
    def _in_params(params) -> bool:
        return any(
            "\x00" in key or any("\x00" in value for value in params.getlist(key)) for key in params
        )

    @staticmethod
    def _refuse():
        return HttpResponseBadRequest(
            _("The request contains an invalid character (NUL)."),
            content_type="text/plain; charset=utf-8",
        )
