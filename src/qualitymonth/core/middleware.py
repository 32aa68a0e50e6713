from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the person chose otherwise with the language switch (cookie).

    Django's own middleware would follow the browser's Accept-Language; the platform is run
    in Chinese for Chinese citizens, and an English browser on a shared office PC should not
    flip it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DocumentCSPMiddleware(CSPMiddleware):
    """The content security policy, on documents only. A JSON answer is never rendered as a
    page, so the API skips building the policy on its hottest endpoints (quiz answers, votes)."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return super().process_response(request, response)
