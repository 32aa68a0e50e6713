"""The API's errors: one shape for every refusal, and the document says which ones each operation
can give.

Every error is `ErrorOut` (`detail`, a `code` clients match on, per-field `errors` when a form
refused the input), except ninja's own input validation (422, `InvalidInputOut`, a list of
field errors). The refusals every operation of a kind can meet (the CSRF check of an unsafe
request, a missing session, an unknown object in the path, a body the server will not read)
are added to the document here from what the operation is; those that come from an
operation's own rules (a conflict, a limit) it declares itself with `errors(...)`.
"""

from typing import Any

from django.conf import settings
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from ninja import Schema

REF = "#/components/schemas/{model}"
UNSAFE = {"post", "put", "patch", "delete"}


class ErrorOut(Schema):
    detail: str
    code: str
    errors: dict[str, list[str]] | None = None


class InvalidItemOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class InvalidInputOut(Schema):
    detail: list[InvalidItemOut]


WHY = {
    400: "The request could not be read, or the input was refused (`errors` by field)",
    401: "Not signed in, or the session has ended",
    403: "Not allowed, or an unsafe request with a session but without its CSRF token",
    404: "No such object, or not one this client may see",
    409: "Not possible in the object's present state",
    411: "A body sent without its length",
    413: "The body is larger than this operation accepts",
    422: "Input that does not match the schema",
    429: "Too many requests; try again later",
}


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The errors an operation gives by its own rules, for its `response={...}`."""
    return {status: InvalidInputOut if status == 422 else ErrorOut for status in statuses}


def _common_statuses(method: str, operation: dict) -> set[int]:
    parameters = operation.get("parameters", [])
    statuses = set()
    if parameters or "requestBody" in operation:
        statuses |= {400, 422}  # a NUL or control character, a value of the wrong type
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if operation.get("security"):
        statuses |= {401, 403}
    if method in UNSAFE:
        statuses |= {400, 403, 411, 413}  # core.sessions' CSRF check, core.body_limits
    return statuses


def document_common_errors(schema: dict) -> dict:
    """Add to each operation of the OpenAPI document the errors every operation like it gives."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, InvalidInputOut):
        defs = model.model_json_schema(ref_template=REF)
        components.update(defs.pop("$defs", {}))
        components.setdefault(model.__name__, defs)
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(_common_statuses(method, operation)):
                model = InvalidInputOut if status == 422 else ErrorOut
                if status in responses or str(status) in responses:
                    continue  # the operation says it itself
                responses[status] = {
                    "description": WHY[status],
                    "content": {
                        "application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}
                    },
                }
    return schema


@csrf_exempt  # it changes nothing; a POST to a wrong address is told 404, not the site's 403 page
def not_found(request, *args: Any, **kwargs: Any) -> JsonResponse:
    """An address under the API that matches no operation: the API's 404, not the site's page."""
    return JsonResponse({"detail": "Not found / 未找到", "code": "not_found"}, status=404)


def bad_request(request, exception, *args: Any, **kwargs: Any):
    """Django's 400 (a body it cannot parse, met by a middleware before any view): JSON under
    the API, the site's page elsewhere."""
    if request.path_info.startswith(settings.QM_API_PREFIX):
        return JsonResponse(
            {"detail": "Bad request / 请求无法读取", "code": "bad_request"}, status=400
        )
    return defaults.bad_request(request, exception, *args, **kwargs)
