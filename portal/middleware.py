"""The site's own middleware: what every request and response goes through (issue #12)."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class RequestSizeLimit:
    """Refuses a body larger than the largest legitimate upload with a 413 page, from its
    Content-Length, before anything reads it: Django would otherwise write a 1 GiB multipart
    body to the temporary folder first, for any visitor and any URL. First in the chain; the
    reverse proxy has the same limit in front (README, production)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        if length > settings.REQUEST_MAX_BYTES:
            return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request):
        # Before the locale and authentication middleware: the page's language comes from
        # its address, and nobody is logged in on it.
        language = translation.get_language_from_path(request.path_info)
        request.user = AnonymousUser()
        with translation.override(language or settings.LANGUAGE_CODE):
            request.LANGUAGE_CODE = translation.get_language()
            megabytes = settings.REQUEST_MAX_BYTES // (1024 * 1024)
            return render(request, "413.html", {"megabytes": megabytes}, status=413)


class NoNullBytesInHeaders:
    """Before the session is read: a cookie holding a NUL byte (`sessionid="ab\\000cd"`,
    plain ASCII that Django's cookie parser unquotes) is dropped, as a browser never sends
    one, and NUL bytes are taken out of the other headers (django-axes stores the browser's
    User-Agent): PostgreSQL refuses the byte with a server error, on any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.COOKIES = {
            name: value
            for name, value in request.COOKIES.items()
            if "\x00" not in name and "\x00" not in value
        }
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                request.META[key] = value.replace("\x00", "")
        return self.get_response(request)


class NoNullBytes:
    """A NUL byte in a query string is never meant: PostgreSQL cannot even compare a text with
    it (a server error in the admin's filters). Answered with the 400 page, in the page's
    language. Form fields refuse it themselves, with a message on the field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the query string")
        return self.get_response(request)


class PrivatePagesNotStored:
    """A page shown to someone logged in may hold personal data (DESIGN.md §6), and so may
    the answer to a form, which shows again what was typed (a sign-up refused for a field):
    no browser, proxy or shared computer keeps a copy (Cache-Control: no-store)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method == "POST" or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
