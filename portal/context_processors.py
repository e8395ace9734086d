from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation


def site(request):
    """The language switch: the same page in each language (or its home page if the page
    has no equivalent, as on a 404), as plain links that work without JavaScript."""
    current = translation.get_language()
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if code != current and url == path:
            with translation.override(code):
                url = reverse("portal:home")
        info = translation.get_language_info(code)
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "current": code == current}
        )
    return {"language_links": links}
