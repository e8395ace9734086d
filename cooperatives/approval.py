"""What an approval gives less than the application asked (issue #13): fewer days a week, a
shorter or later period, another space, commune or province, with the distance. Staff are
warned before they confirm; the gaps are kept with the decision and told to the cooperative.

A gap is plain data (a code and its numbers, JSON for the database), put into words in the
reader's language when shown (`describe`)."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chamber.models import Commune, Province
from cooperatives.models import SpaceApplication
from cooperatives.planning import period_of
from spaces.matching import distance_km
from spaces.models import Space


def _centre(place) -> tuple[float, float] | None:
    """A space's own point if it has one, else its commune's; a commune's centre."""
    latitude = getattr(place, "latitude", None)
    longitude = getattr(place, "longitude", None)
    if latitude is None or longitude is None:
        commune = getattr(place, "commune", None)
        return _centre(commune) if commune is not None else None
    return float(latitude), float(longitude)


def _km(a, b) -> int | None:
    here, there = _centre(a), _centre(b)
    if here is None or there is None:
        return None
    return round(distance_km(*here, *there))


def gaps(
    application: SpaceApplication, space: Space, starts_on: date, ends_on: date, weekdays: int
) -> list[dict]:
    """Each way in which this allocation gives less than `application` asked."""
    found = []
    granted_days = bin(weekdays).count("1")
    if granted_days < application.days_per_week:
        found.append(
            {"code": "fewer_days", "granted": granted_days, "asked": application.days_per_week}
        )
    asked_start, asked_end = period_of(application)
    if ends_on < asked_end:
        found.append(
            {"code": "ends_earlier", "granted": ends_on.isoformat(), "asked": asked_end.isoformat()}
        )
    if starts_on > asked_start:
        found.append(
            {
                "code": "starts_later",
                "granted": starts_on.isoformat(),
                "asked": asked_start.isoformat(),
            }
        )
    if application.space_id and application.space_id != space.pk:
        found.append(
            {
                "code": "other_space",
                "asked": application.space.name,
                "granted": space.name,
                "km": _km(application.space, space),
            }
        )
    elif application.commune_id and application.commune_id != space.commune_id:
        found.append(
            {
                "code": "other_commune",
                "asked": application.commune_id,
                "granted": space.commune_id,
                "km": _km(application.commune, space),
            }
        )
    elif application.province_id and application.province_id != space.commune.province_id:
        found.append(
            {
                "code": "other_province",
                "asked": application.province_id,
                "granted": space.commune.province_id,
            }
        )
    return found


def _isolated(name) -> str:
    """A name kept in its own direction inside a sentence (Unicode isolates): a French name
    in an Arabic sentence, or the reverse, is not reordered with it."""
    return f"\u2068{name}\u2069"


def _day(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "j F Y")


def describe(gap: dict, names: dict[int, str] | None = None) -> str:
    """One gap in the reader's words; `names` gives the names of the communes and provinces
    it counts by id (`place_names`)."""
    names = names or {}
    code = gap.get("code")
    if code == "fewer_days":
        return ngettext(
            "%(granted)s day a week given, for %(asked)s asked.",
            "%(granted)s days a week given, for %(asked)s asked.",
            gap["granted"],
        ) % {"granted": gap["granted"], "asked": gap["asked"]}
    if code == "ends_earlier":
        return _("The period ends on %(granted)s, not on %(asked)s as asked.") % {
            "granted": _day(gap["granted"]),
            "asked": _day(gap["asked"]),
        }
    if code == "starts_later":
        return _("The period starts on %(granted)s, not on %(asked)s as asked.") % {
            "granted": _day(gap["granted"]),
            "asked": _day(gap["asked"]),
        }
    if code in ("other_space", "other_commune", "other_province"):
        asked = names.get(gap["asked"], gap["asked"]) if code != "other_space" else gap["asked"]
        granted = (
            names.get(gap["granted"], gap["granted"]) if code != "other_space" else gap["granted"]
        )
        words = {
            "other_space": _("Another space than the one asked for (%(asked)s): %(granted)s."),
            "other_commune": _("A space in %(granted)s, not in %(asked)s as asked."),
            "other_province": _("A space in the province of %(granted)s, not of %(asked)s."),
        }[code] % {"asked": _isolated(asked), "granted": _isolated(granted)}
        if gap.get("km") is not None:
            words += " " + _("%(km)s km away.") % {"km": gap["km"]}
        return words
    return ""


def place_names(gap_lists) -> dict[str, dict[int, str]]:
    """The names, in the reader's language, of the communes and provinces these gaps name."""
    communes, provinces = set(), set()
    for found in gap_lists:
        for gap in found:
            if gap.get("code") == "other_commune":
                communes |= {gap["asked"], gap["granted"]}
            elif gap.get("code") == "other_province":
                provinces |= {gap["asked"], gap["granted"]}
    return {
        "other_commune": {c.pk: c.name for c in Commune.objects.filter(pk__in=communes)},
        "other_province": {p.pk: p.name for p in Province.objects.filter(pk__in=provinces)},
    }


def described(found: list[dict]) -> list[str]:
    """The gaps of one decision, in the reader's words."""
    names = place_names([found])
    return [describe(gap, names.get(gap.get("code"), {})) for gap in found]
