"""Words for the matching engine's codes, in the reader's language (the engine stays pure)."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spaces.matching import Match
from spaces.models import UTILITIES, Condition, join_words

COMPONENTS = {
    "location": gettext_lazy("Location"),
    "craft": gettext_lazy("Craft"),
    "capacity": gettext_lazy("Capacity"),
    "utilities": gettext_lazy("Utilities"),
    "readiness": gettext_lazy("Readiness"),
    "priorities": gettext_lazy("Priorities"),
}


def _reason(reason: str, params: dict) -> str:
    if reason == "same_commune":
        return _("In the commune asked for")
    if reason == "in_province":
        return _("In the province asked for")
    if reason == "same_province":
        return _("Another commune of the same province")
    if reason == "distance":
        return _("%(km)s km away") % params
    if reason == "suits_craft":
        return _("Suits this craft")
    if reason == "suits_family":
        return _("Suits crafts of the same family")
    if reason == "crafts_unknown":
        return _("No craft listed for the space")
    if reason == "other_crafts":
        return _("Listed for other crafts")
    if reason == "capacity":
        return _("%(capacity)s seats for %(headcount)s people") % params
    if reason == "utilities_all":
        return _("Has what the activity needs")
    if reason == "utilities":
        missing = join_words(str(UTILITIES[name]) for name in params["missing"])
        return _("Missing: %(missing)s") % {"missing": missing}
    if reason in Condition.values:
        return str(Condition(reason).label)
    if reason == "priorities":
        said = []
        if params.get("women_led"):
            said.append(_("women-led cooperative"))
        if params.get("endangered"):
            said.append(_("endangered craft"))
        return join_words(said) or _("no priority")
    return reason


def components(match: Match, policy_total: float) -> list[dict]:
    """Each component's name, points out of 100, most it could give, and why."""
    return [
        {
            "name": COMPONENTS[component.name],
            "points": round(component.points / policy_total * 100, 1),
            "most": round(component.weight / policy_total * 100, 1),
            "why": _reason(component.reason, component.params),
        }
        for component in match.components
    ]


def exclusion(match: Match) -> str:
    params = match.params
    if match.excluded == "not_available":
        return _("Not in the catalogue")
    if match.excluded == "busy":
        return _("Already allocated from %(start)s to %(end)s on some of these days") % {
            "start": formats.date_format(params["starts_on"]),
            "end": formats.date_format(params["ends_on"]),
        }
    if match.excluded == "too_small":
        return _("Only %(capacity)s seats for %(headcount)s people") % params
    if match.excluded == "area_too_small":
        return _("Only %(area)s m² for %(headcount)s people") % params
    return str(match.excluded)
