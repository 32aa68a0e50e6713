"""Every API refusal is JSON in one shape, and the document lists the ones each operation gives
(tests/api/test_schema_fuzz.py checks the same against generated requests)."""

import pytest
from django.test import Client

from qualitymonth.api.urls import api


def _operations():
    schema = api.get_openapi_schema(path_prefix="/api/")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/activities/not-a-number"),
        ("post", "/api/activities/not-a-number/registrations"),
        ("get", "/api/no-such-thing"),
    ],
)
def test_an_api_address_that_matches_nothing_is_a_json_404(method, path):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_ninjas_own_refusals_carry_a_code(client, office_user):
    response = client.get("/api/office/activities")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized", "code": "unauthenticated"}


@pytest.mark.django_db
def test_a_nul_in_an_api_query_is_refused_as_json(client):
    response = client.get("/api/articles", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.django_db
def test_a_nul_in_a_page_query_stays_plain_text(client):
    response = client.get("/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_the_document_lists_the_errors_every_operation_can_give():
    for path, method, operation in _operations():
        documented = {int(code) for code in operation["responses"]}
        label = f"{method.upper()} {path}"
        if "{" in path:
            assert 404 in documented, label
        if operation.get("parameters") or "requestBody" in operation:
            assert {400, 422} <= documented, label
        if operation.get("security"):
            assert {401, 403} <= documented, label
        if method in ("post", "put", "patch", "delete"):
            assert {403, 413} <= documented, label


def test_errors_are_documented_in_one_shape():
    schema = api.get_openapi_schema(path_prefix="/api/")
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail", "code"]
    for path, method, operation in _operations():
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            ref = response["content"]["application/json"]["schema"]["$ref"]
            expected = "InvalidInputOut" if int(status) == 422 else "ErrorOut"
            assert ref.endswith(f"/{expected}"), (method, path, status)


def test_throttled_operations_document_429():
    throttled = {"/api/activities/{activity_id}/registrations", "/api/complaints"}
    for path, _method, operation in _operations():
        if path in throttled:
            assert "429" in {str(code) for code in operation["responses"]}, path


@pytest.mark.django_db
def test_a_body_django_cannot_parse_is_refused_as_json_under_the_api(office_client):
    # A part header past Django's limit: the CSRF check of a session request reads the form
    # before any view, and Django answers 400 itself.
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="x"\r\n'
        f"X-Long: {'a' * 20000}\r\n\r\nvalue\r\n--{boundary}--\r\n"
    ).encode()
    response = office_client.post(
        "/api/complaints/attachments",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_no_two_schemas_share_a_name_in_the_document():
    """ninja names a component after its class: a second class of the same name replaced the
    first, and the quiz's result was documented with the contest's awards."""
    from ninja.openapi.schema import get_schema

    schema = get_schema(api=api, path_prefix="/api/")
    result = schema["paths"]["/api/quiz/attempts/{token}/submit"]["post"]["responses"][200]
    ref = result["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "review" in schema["components"]["schemas"][ref]["properties"]
