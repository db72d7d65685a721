from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def _supported(code: str | None) -> str | None:
    if code and code in dict(settings.LANGUAGES):
        return code
    return None


class PreferredLanguageMiddleware:
    """Dutch first: the language is the one the person chose, never the browser's guess.

    Django's LocaleMiddleware would follow Accept-Language, and many of the
    province's machines run an English browser; staff expect Kring in Dutch
    unless they switch. Order: the signed-in user's saved choice, the language
    cookie set by the switcher, then LANGUAGE_CODE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = (
            _supported(getattr(getattr(request, "user", None), "language", None))
            or _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
