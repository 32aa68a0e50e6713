"""The API's documentation page: Swagger UI from our own static files, under the site's CSP."""

from django.middleware.csrf import get_token
from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class SelfHostedSwagger(DocsBase):
    """Swagger UI served from static/vendor (npm's swagger-ui-dist, see package.json).

    ninja's own Swagger page loads the UI from a CDN and starts it with an inline script, both
    refused by our `script-src 'self'`: this page loads the bundle and a static init file only.
    """

    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        context = {
            "api": api,
            "openapi_url": self.get_openapi_url(api, kwargs),
            # "Try it out" as a signed-in user sends unsafe requests with the session cookie,
            # which the API checks for a CSRF token like any form.
            "csrf_token": get_token(request),
        }
        return render(request, self.template, context)
