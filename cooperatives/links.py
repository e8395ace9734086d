"""What cooperatives add to the pages of the layer below (chamber.links): on a space's page,
a representative applies for it and staff see the applications ranked for it."""

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chamber.links import Link
from cooperatives import planning, reports, selectors
from cooperatives.models import SpaceApplication
from cooperatives.permissions import can_review_applications, can_see_interest, interest_of
from spaces.links import ALLOCATION_ROW, SPACE_PAGE


@SPACE_PAGE.add
def space_page_links(user, space) -> list[Link]:
    if not space.is_public:
        return []
    links = []
    if not user.is_authenticated:
        # How a cooperative asks for it: log in (or create an account), then back here.
        url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': space.get_absolute_url()})}"
        label = _("A cooperative asks for this space: log in, or create its account, and apply")
        links.append(Link(url, label))
    if user.is_authenticated and user.is_cooperative_representative:
        url = f"{reverse('cooperatives:apply')}?{urlencode({'space': space.pk})}"
        links.append(Link(url, _("Apply for this space"), primary=True))
        cooperative = interest_of(user)
        if cooperative is not None:
            marked = selectors.is_interested(cooperative.pk, space.pk)
            url = reverse("cooperatives:interest", kwargs={"pk": space.pk})
            label = _("No longer interested") if marked else _("Interested in this space")
            links.append(Link(url, label, post=True))
    if can_see_interest(user, space):
        count = selectors.interested_count(space.pk)
        label = ngettext(
            "%(count)s cooperative is interested in this space",
            "%(count)s cooperatives are interested in this space",
            count,
        ) % {"count": count}
        links.append(Link("", label))
    if can_review_applications(user):
        url = reverse("cooperatives:match-space", kwargs={"pk": space.pk})
        fit = len(planning.fitting_applications([space]).get(space.pk, []))
        label = (
            ngettext(
                "Applications for this space (%(count)s waiting in the commune fits)",
                "Applications for this space (%(count)s waiting in the commune fit)",
                fit,
            )
            % {"count": fit}
            if fit
            else _("Applications for this space")
        )
        links.append(Link(url, label))
    return links


@ALLOCATION_ROW.add
def allocation_row_links(user, allocation) -> list[Link]:
    """Staff reach the application an allocation came from, and see it flagged when the
    cooperative's reports show the space under-used."""
    if not can_review_applications(user):
        return []
    application = (
        SpaceApplication.objects.filter(allocation=allocation).prefetch_related("reports").first()
    )
    if application is None:
        return []
    if reports.under_used(application.reports.all()):
        label = _("Application and reports — under-used")
    else:
        label = _("Application and reports")
    return [Link(application.get_absolute_url(), label)]
