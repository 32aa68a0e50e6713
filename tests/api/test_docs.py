"""/api/docs is served from our static files under the site's CSP (no CDN, no inline script);
the browser test (tests/browser/test_api_docs.py) checks that it really renders."""

import re


def test_api_docs_load_swagger_ui_from_our_static_files_without_inline_script(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'src="/static/vendor/swagger-ui-bundle.js"' in html
    assert 'src="/static/qm/api-docs.js"' in html
    assert 'data-openapi-url="/api/openapi.json"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    # Every script, style and link comes from this site (a random token may well spell "cdn").
    for address in re.findall(r'\b(?:src|href)="([^"]*)"', html):
        assert address == "data:," or (address.startswith("/") and not address.startswith("//")), (
            address
        )


def test_every_schema_of_the_api_has_its_own_name():
    """The OpenAPI document files schemas by class name: two classes of one name would share an
    entry, and one of them would describe the other's operations wrongly."""
    from ninja import Schema

    import qualitymonth.api.urls  # noqa: F401 (every router, so every schema, is imported)

    seen: dict[str, str] = {}
    clashes = []
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("qualitymonth."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append((seen[cls.__name__], where))
        seen.setdefault(cls.__name__, where)
    assert not clashes, clashes
