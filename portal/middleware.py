"""Portal pages speak Vietnamese unless the user chose English (switch or profile).

Django's LocaleMiddleware follows the browser's Accept-Language, which the API keeps (its
errors are localised by that header). For portal pages the law's language comes first: an
explicit choice (the language cookie set by /i18n/setlang/), then the user's profile language,
then Vietnamese — a browser installed in English does not switch the portal by itself.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

_SUPPORTED = {code for code, _name in settings.LANGUAGES}
_PASS_THROUGH = ("/api/", "/admin/")


class PortalLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_PASS_THROUGH):
            language = self._choose(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)

    @staticmethod
    def _choose(request: HttpRequest) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in _SUPPORTED:
            return chosen
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in _SUPPORTED:
            return user.language
        return settings.LANGUAGE_CODE
