"""The site's own pages: home, the region, the crafts, the account page, health.

The site is the top layer (DESIGN.md §4): unlike the rest of `chamber`, these views may read
the other apps to show their figures.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django_filters.views import FilterView

from chamber import selectors
from chamber.filters import CraftFilter
from chamber.models import Commune
from cooperatives.models import Cooperative
from spaces.models import Space, SpaceStatus


class HomeView(TemplateView):
    template_name = "chamber/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = {
            "communes": Commune.objects.count(),
            "available_spaces": Space.objects.filter(status=SpaceStatus.AVAILABLE).count(),
            "verified_cooperatives": Cooperative.objects.filter(verified=True).count(),
        }
        return context


class RegionView(TemplateView):
    template_name = "chamber/region.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provinces"] = selectors.provinces_with_communes()
        return context


class CraftListView(FilterView):
    template_name = "chamber/craft_list.html"
    filterset_class = CraftFilter
    queryset = selectors.crafts()
    # An unknown filter value is shown as an error on its field and otherwise ignored.
    strict = False


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "chamber/account.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        representation = getattr(self.request.user, "representation", None)
        context["cooperative"] = representation.cooperative if representation else None
        return context


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.get_user().is_staff:
            # DESIGN.md §6: staff sessions are shorter than the others.
            self.request.session.set_expiry(settings.STAFF_SESSION_AGE)
        return response


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise; for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
