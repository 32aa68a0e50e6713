"""The API documentation (/api/docs) renders in a real browser under the site's own CSP: the
Swagger UI comes from our static files (npm's swagger-ui-dist), not a CDN with inline script."""

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_list_the_operations_without_a_csp_violation(live_server, desktop):
    console = []
    desktop.on("console", lambda message: console.append(message.text))
    refused = []
    desktop.on("requestfailed", lambda request: refused.append(request.url))

    response = desktop.goto(f"{live_server.url}/api/docs")

    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    registration = desktop.locator(".opblock-summary", has_text="Register (wait-listed when full)")
    registration.first.wait_for()
    # A long document is rendered as it is scrolled: the last operations appear at its end.
    last = desktop.locator(".opblock-summary", has_text="/api/supervision/typical-cases")
    for _ in range(20):
        if last.count():
            break
        desktop.keyboard.press("End")
        desktop.wait_for_timeout(250)
    last.first.wait_for()
    shot(desktop, "api-docs")
    assert not [text for text in console if "Content Security Policy" in text], console
    assert not refused
