"""What every page's layout shows, passed to the ground floor's templates from above: the
layout (chamber/templates/base.html) knows no app's URLs (DESIGN.md §4), so the portal, which
knows them all, hands it the menu, the site's own links and the language switch."""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from chamber import selectors

# The main menu: URL name, label, and who sees it: everyone (None), visitors who have not
# logged in ("visitor"), anyone logged in ("user"), or the accounts with this flag.
MENU = [
    ("portal:home", _("Home"), None),
    ("portal:region", _("The region"), None),
    ("spaces:catalogue", _("Spaces"), None),
    ("cooperatives:directory", _("Cooperatives"), None),
    ("programs:programmes", _("Programmes"), None),
    ("portal:crafts", _("Crafts"), None),
    ("portal:figures", _("Figures"), None),
    ("programs:mine", _("My apprenticeship"), "is_apprentice"),
    ("cooperatives:mine", _("My cooperative"), "is_cooperative_representative"),
    ("spaces:my-commune", _("My commune"), "is_president"),
    ("spaces:review-queue", _("To review"), "is_chamber_staff"),
    ("portal:dashboard", _("Dashboard"), "is_chamber_staff"),
    ("cooperatives:queue", _("Applications"), "is_chamber_staff"),
    ("cooperatives:plan", _("Plan"), "is_chamber_staff"),
    ("cooperatives:representatives", _("Representatives"), "is_chamber_staff"),
    ("portal:notifications", _("Notifications"), "user"),
    ("portal:account", _("My account"), "user"),
    ("admin:index", _("Administration"), "is_staff"),
    ("portal:login", _("Log in"), "visitor"),
]


def _sees(user, audience) -> bool:
    if audience is None:
        return True
    if audience == "visitor":
        return not user.is_authenticated
    return user.is_authenticated and (audience == "user" or getattr(user, audience))


def navigation(request) -> list[dict]:
    """The menu items this person sees, the current page marked (the administration never
    is: it is another site)."""
    view = getattr(request.resolver_match, "view_name", None)
    unread = selectors.unread_count(request.user)  # one COUNT, for a person logged in
    return [
        {
            "url": reverse(name),
            "label": label,
            "current": name == view and name != "admin:index",
            "count": unread if name == "portal:notifications" else 0,
        }
        for name, label, audience in MENU
        if _sees(request.user, audience)
    ]


def language_links(request) -> list[dict]:
    """The same page in each language (or its home page if the page has no equivalent, as
    on a 404), as plain links that work without JavaScript."""
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
    return links


def site(request):
    return {
        "navigation": navigation(request),
        "language_links": language_links(request),
        "site_urls": {
            "home": reverse("portal:home"),
            "logout": reverse("portal:logout"),
            "open_data": reverse("portal:open-data"),
            "figures": reverse("portal:figures"),
        },
    }
