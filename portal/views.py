"""The site's own pages: home, the region, the crafts, the account page, health, figures,
exports and open data.

The portal is the top layer (DESIGN.md §4): its views may read every app to show its figures.
"""

import json
import math

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView, View
from django_filters.views import FilterView

from chamber import selectors
from chamber.access import RoleRequiredMixin
from chamber.filters import CraftFilter
from chamber.forms import NamedModelChoiceField, communes_in_reading_order
from chamber.models import Commune, Province, Role
from chamber.privacy import PERSONAL_DATA
from cooperatives import planning
from cooperatives import selectors as cooperative_selectors
from cooperatives.models import Cooperative
from portal import datasets, exports, figures, guessing
from portal.forms import LoginForm
from spaces.models import Space, SpaceStatus


def site_figures() -> dict[str, int]:
    """The home page's figures, one count per app (the site may read every layer)."""
    return {
        "communes": Commune.objects.count(),
        "provinces": Province.objects.count(),
        "available_spaces": Space.objects.filter(status=SpaceStatus.AVAILABLE).count(),
        "verified_cooperatives": Cooperative.objects.filter(verified=True).count(),
    }


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(figures=site_figures(), **kwargs)


class RegionView(TemplateView):
    template_name = "portal/region.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provinces"] = selectors.provinces_with_communes()
        return context


class CraftListView(FilterView):
    template_name = "portal/craft_list.html"
    filterset_class = CraftFilter
    queryset = selectors.crafts()
    # An unknown filter value is shown as an error on its field and otherwise ignored.
    strict = False


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "portal/account.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        representation = getattr(self.request.user, "representation", None)
        context["representation"] = representation
        context["shows_cooperative"] = representation is not None and (
            representation.shows_cooperative()
        )
        return context


@require_safe
@login_required
@never_cache  # no-store: the file is nobody else's, not even a shared cache's
def my_data(request):
    """Everything the portal holds about the person asking, as a JSON file (law 09-08, the
    right of access): each app gives its part (chamber.privacy)."""
    data = {"downloaded_at": timezone.now(), **PERSONAL_DATA.export(request.user)}
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{day}.json"'
    return response


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """A link to choose a new password, sent to the address if an account has it; the page
    says the same either way (no one learns whether an address has an account). The link
    lasts PASSWORD_RESET_TIMEOUT (two hours)."""

    subject_template_name = "emails/portal/password_reset_subject.txt"
    email_template_name = "emails/portal/password_reset_body.txt"
    success_url = reverse_lazy("portal:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("portal:password-reset-complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("portal:password-change-done")


def csrf_failure(request, reason=""):
    """The portal's own page for a refused form (expired, or cookies blocked)."""
    return render(request, "403_csrf.html", status=403)


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes after too many wrong passwords for a user name, or from an
    address, with the time the pause ends."""
    ends = guessing.lock_ends(request, credentials) or timezone.now() + settings.AXES_COOLOFF_TIME
    minutes = max(1, math.ceil((ends - timezone.now()).total_seconds() / 60))
    context = {"ends": timezone.localtime(ends), "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


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


class FiguresForm(forms.Form):
    """The figures' filters, in the URL so that a view can be shared."""

    province = forms.ModelChoiceField(
        queryset=Province.objects.order_by("hcp_code"), required=False, label=_("Province")
    )
    commune = NamedModelChoiceField(
        queryset=Commune.objects.none(), required=False, label=_("Commune")
    )
    start = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_in_reading_order()
        self.fields["province"].label_from_instance = lambda province: province.name

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and commune.province_id != province.pk:
            self.add_error(
                "commune",
                _("%(commune)s is not in the province of %(province)s.")
                % {"commune": commune.name, "province": province.name},
            )
        return cleaned

    def query(self) -> str:
        """The filters as a query string, if they can be read; else none (the page then
        shows the whole region, and so do its exports)."""
        if not self.is_bound or not self.is_valid():
            return ""
        return urlencode(
            {
                name: value.pk if hasattr(value, "pk") else value.isoformat()
                for name, value in self.cleaned_data.items()
                if value
            }
        )

    def scope(self) -> figures.Scope:
        if not self.is_valid():
            return figures.Scope()
        data = self.cleaned_data
        return figures.Scope(
            province_id=data["province"].pk if data["province"] else None,
            commune_id=data["commune"].pk if data["commune"] else None,
            start=data["start"],
            end=data["end"],
        )


def bars(pairs) -> list[dict]:
    """(label, value) pairs with a bar length in percent of the largest, for a chart."""
    pairs = list(pairs)
    top = max((value for _, value in pairs), default=0) or 1
    return [
        {"label": label, "value": value, "width": round(100 * value / top)}
        for label, value in pairs
    ]


def _named(key) -> str:
    """A group's name from its (Arabic, French) key, in the reader's language."""
    name_ar, name_fr = key
    return (name_ar or name_fr) if get_language() == "ar" else (name_fr or name_ar)


def income_bars(groups, label) -> list[dict]:
    """A chart of income: each group's sum."""
    return bars((label(group["key"]), group["income"]) for group in groups)


def income_charts(impact: dict) -> dict:
    return {
        "income_months": income_bars(
            sorted(impact["by_month"], key=lambda g: g["key"]),
            lambda day: formats.date_format(day, "F Y"),
        ),
        "income_provinces": income_bars(impact["by_province"], _named),
        "income_communes": income_bars(impact["by_commune"], _named),
        "income_crafts": income_bars(impact["by_craft"], _named),
        "area_weekdays": bars(
            (str(WEEKDAYS[day]), area) for day, area in enumerate(impact["area_by_weekday"])
        ),
    }


class FiguresView(TemplateView):
    """Public figures of the region; staff see the same with more detail (the dashboard)."""

    template_name = "portal/figures.html"
    dashboard = False

    def get_context_data(self, **kwargs):
        form = FiguresForm(self.request.GET or None)
        data = figures.all_figures(form.scope(), public=not self.dashboard)
        spaces = data["spaces"]
        return super().get_context_data(
            form=form,
            figures=data,
            charts={
                "spaces": bars(
                    spaces["by_status"] if self.dashboard else spaces["public_by_status"]
                ),
                "provinces": bars(
                    (
                        row["commune__province__name_ar"]
                        if get_language() == "ar"
                        else row["commune__province__name_fr"],
                        row["n"],
                    )
                    for row in spaces["by_province"]
                ),
                "communes": bars(
                    (
                        row["commune__name_ar"]
                        if get_language() == "ar"
                        else row["commune__name_fr"],
                        row["n"],
                    )
                    for row in spaces["by_commune"]
                ),
                **income_charts(data["impact"]),
                "applications": bars(data["applications"]["by_status"]),
                "apprentices": bars(data["apprentices"]["by_status"]),
                "outcomes": bars(data["apprentices"]["by_outcome"]),
            },
            dashboard=self.dashboard,
            min_cooperatives=figures.MIN_COOPERATIVES,
            export_query=form.query(),
            datasets=[(key, dataset.title) for key, dataset in datasets.exported().items()],
            **kwargs,
        )


class DashboardView(RoleRequiredMixin, FiguresView):
    roles = {Role.STAFF}
    dashboard = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            freeing=planning.halls_freeing(),
            late_reports=len(cooperative_selectors.missing_reports()),
            failed_messages=selectors.failed_deliveries(),
            **kwargs,
        )


class ExportView(RoleRequiredMixin, View):
    """A dataset as CSV or Excel, with the figures' filters (staff only: personal data)."""

    roles = {Role.STAFF}
    types = {
        "csv": ("text/csv; charset=utf-8", exports.as_csv),
        "xlsx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            exports.as_xlsx,
        ),
    }

    def get(self, request, dataset, fmt):
        content_type, render = self.types[fmt]
        form = FiguresForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            # Never export more than the person asked for: a filter we cannot read stops it.
            # The dashboard shows the filters with their errors on the fields.
            response = DashboardView.as_view()(request)
            response.status_code = 400
            return response
        scope = form.scope()
        response = HttpResponse(render(dataset, scope), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{dataset}.{fmt}"'
        response["Cache-Control"] = "private, no-store"
        return response


class OpenDataView(TemplateView):
    """What the portal publishes, with each dataset's schema and licence."""

    template_name = "portal/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            datasets=datasets.published(),
            licence=datasets.LICENCE,
            schema_version=datasets.SCHEMA_VERSION,
            page_size=datasets.PAGE_SIZE,
            **kwargs,
        )


def open_data(request, dataset, fmt):
    """A public dataset as JSON (paginated) or CSV (whole)."""
    if fmt == "csv":
        response = HttpResponse(exports.open_csv(dataset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{dataset}.csv"'
        return response
    url = request.build_absolute_uri(request.path)
    return JsonResponse(
        exports.open_page(dataset, request.GET.get("page"), url),
        json_dumps_params={"ensure_ascii": False},
    )
