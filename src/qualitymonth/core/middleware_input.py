"""Checks on a request before any view runs. None of them reads the body: a body is read only by
the view it was sent to, after its address is known and within that address's ceiling."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParser
from django.urls import reverse
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _

from qualitymonth.core.body_limits import MB, body_ceiling


class RejectNulBytesMiddleware:
    """PostgreSQL cannot store a NUL character in text; one in the path or the query string is
    never legitimate, so it is refused with a 400 before it reaches a query. Bodies are checked
    by the forms and the API schemas (core/forms.py, core/schemas.py), field by field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._in_params(request.GET):
            if request.path_info.startswith(reverse("api:api-root")):
                return _answer(request, 400, _("The request contains an invalid character (NUL)."))
            return self._refuse()
        return self.get_response(request)

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


class BodyLimitMiddleware:
    """Refuse a body larger than its address accepts (413) from its announced length, before a
    byte of it is read; and bodies that cannot be measured or parsed (no length, a multipart
    body without a boundary) with a plain answer instead of a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        return refusal or self.get_response(request)

    def _refusal(self, request) -> HttpResponse | None:
        meta = request.META
        if request.method == "POST" and not _multipart_is_parseable(meta.get("CONTENT_TYPE", "")):
            return _answer(request, 400, _("The form data could not be read."))
        raw_length = meta.get("CONTENT_LENGTH") or ""
        if not raw_length:
            # Without a length Django reads the body as empty: a chunked upload would silently
            # lose its content. Clients that send a body send its length.
            if meta.get("HTTP_TRANSFER_ENCODING", "identity").lower() != "identity":
                return _answer(request, 411, _("Send the request with its length."))
            return None
        try:
            length = int(raw_length)
        except ValueError:
            length = -1
        if length < 0:
            return _answer(request, 400, _("The request's length is not valid."))
        # Every address takes the default; only a longer body needs its address resolved (the
        # quiz's answers and the votes are small and frequent).
        if length <= settings.QM_REQUEST_BODY_MAX_MB * MB:
            return None
        if length > (ceiling := body_ceiling(request)):
            message = _(
                "The request is too large: this page accepts up to %(n)s MB. Send smaller files."
            ) % {"n": ceiling // MB}
            return _answer(request, 413, message)
        return None


def _multipart_is_parseable(content_type: str) -> bool:
    """What MultiPartParser checks before it reads (an ASCII header with a valid boundary): a
    failure there would reach Django's handler and be logged with a traceback."""
    try:
        main_type, params = parse_header_parameters(content_type)
    except ValueError:
        return False
    if main_type != "multipart/form-data":
        return True
    if not content_type.startswith("multipart/") or not content_type.isascii():
        return False
    boundary = params.get("boundary")
    return bool(boundary) and MultiPartParser.boundary_re.fullmatch(boundary) is not None


def _answer(request, status: int, message: str) -> HttpResponse:
    # API clients read errors as JSON, in the API's shape; everyone else gets a line of text.
    if request.path_info.startswith(reverse("api:api-root")):
        code = {411: "length_required", 413: "too_large"}.get(status, "bad_request")
        return JsonResponse({"detail": message, "code": code}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
