from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from chamber.admin import check_every_list
from chamber.converters import choices
from portal import accounts, datasets, views
from portal.forms import AdminLoginForm

# An unknown dataset or format is a 404 at the door.
choices("published", *datasets.published())
choices("open_format", "json", "csv")
choices("exported", *datasets.exported())
choices("export_format", "csv", "xlsx")

site_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("region/", views.RegionView.as_view(), name="region"),
    path("crafts/", views.CraftListView.as_view(), name="crafts"),
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/my-data.json", views.my_data, name="my-data"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("figures/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("open-data/", views.OpenDataView.as_view(), name="open-data"),
    path("open-data/<published:dataset>.<open_format:fmt>", views.open_data, name="open-data-file"),
    path(
        "figures/export/<exported:dataset>.<export_format:fmt>",
        views.ExportView.as_view(),
        name="export",
    ),
    path("account/login/", views.LoginView.as_view(), name="login"),
    # Password recovery and change: Django's own views in the portal's layout (issue #14).
    path("account/password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "account/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "account/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "account/password/changed/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The phone: confirming it, and signing in or choosing a new password with a code by SMS.
    path("account/contact/", accounts.ContactView.as_view(), name="contact"),
    path("account/phone/", accounts.PhoneConfirmView.as_view(), name="phone-confirm"),
    path("account/login/phone/", accounts.CodeRequestView.as_view(), name="phone-login"),
    path("account/login/phone/code/", accounts.CodeLoginView.as_view(), name="phone-login-code"),
    path(
        "account/password-reset/phone/",
        accounts.CodeResetRequestView.as_view(),
        name="phone-reset",
    ),
    path(
        "account/password-reset/phone/code/",
        accounts.CodeResetView.as_view(),
        name="phone-reset-code",
    ),
    path("account/notifications/", accounts.NotificationListView.as_view(), name="notifications"),
    path("account/notifications/read/", accounts.read_all, name="notifications-read"),
]

admin.site.site_header = _("Chamber of Traditional Crafts — administration")
admin.site.site_title = _("Chamber portal administration")
admin.site.login_form = AdminLoginForm
check_every_list(admin.site)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # The short link of an SMS, without a language: the person's own is chosen.
    path("n/<int:pk>", accounts.open_notification, name="notification"),
    *i18n_patterns(
        path("", include((site_patterns, "portal"))),
        path("spaces/", include("spaces.urls")),
        path("cooperatives/", include("cooperatives.urls")),
        path("programmes/", include("programs.urls")),
        path("admin/", admin.site.urls),
    ),
]
