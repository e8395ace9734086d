from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import EmptyResultSet
from django.utils.translation import gettext_lazy as _

from chamber.models import Commune, Craft, Province, User
from chamber.services import sync_role_access
from chamber.templatetags.workflow import said


class CheckedChangeList(ChangeList):
    """A changelist that answers a filter it cannot run (a year of 20 digits: the year
    lookup's bounds overflow datetime only when the query is compiled, after Django's own
    check) as Django answers any filter it cannot read: the list again, with a notice."""

    def get_queryset(self, request, exclude_parameters=None):
        try:
            queryset = super().get_queryset(request, exclude_parameters)
            queryset.query.sql_with_params()
        except EmptyResultSet:
            pass  # a filter that can match nothing: an empty list, not an error
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset


class ModelAdmin(admin.ModelAdmin):
    """The base of every admin page of the portal (tests/chamber/test_admin.py checks)."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList


def check_every_list(site: admin.AdminSite) -> None:
    """Give the lists of other apps' admins (auth's groups, django-axes' records) the same
    checked changelist, by registering each again as a subclass of our base. Called once every
    app has registered its admins (portal/urls.py)."""
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, ModelAdmin):
            checked = type(type(model_admin).__name__, (ModelAdmin, type(model_admin)), {})
            site.unregister(model)
            site.register(model, checked)


class HistoryInline(admin.TabularInline):
    """A status history, read only: its rows are written by chamber.workflow alone, when a
    service moves the object. Each app names the history model (`model`)."""

    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "on_behalf", "said_note"]
    readonly_fields = fields
    verbose_name_plural = _("status history")

    @admin.display(description=_("reason or note"))
    def said_note(self, change) -> str:
        """The note in the reader's language when the portal wrote it (chamber.workflow)."""
        return said(change.note)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(ModelAdmin):
    list_display = ["name_fr", "name_ar", "hcp_code", "capital_fr", "population_2024"]
    search_fields = ["name_fr", "name_ar", "code"]


@admin.register(Commune)
class CommuneAdmin(ModelAdmin):
    list_display = ["name_fr", "name_ar", "province", "kind", "official_code", "population_2024"]
    list_filter = ["province", "kind"]
    search_fields = ["name_fr", "name_ar", "alt_names_fr", "alt_names_ar", "official_code"]
    list_select_related = ["province"]


@admin.register(Craft)
class CraftAdmin(ModelAdmin):
    list_display = ["name_fr", "name_ar", "family", "endangered", "regional", "name_ar_verified"]
    list_filter = ["family", "endangered", "regional", "name_ar_verified", "name_fr_verified"]
    search_fields = ["name_fr", "name_ar", "code"]


@admin.register(User)
class UserAdmin(ModelAdmin, DjangoUserAdmin):
    """Staff create accounts here and link them: a role, and a commune for a president.

    A cooperative representative is linked to their cooperative on the cooperative's page.
    """

    list_display = ["username", "get_full_name", "role", "commune", "is_active", "last_login"]
    list_filter = ["role", "is_active", "commune__province", "language"]
    list_select_related = ["commune"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["commune"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "language")}),
        (_("Role in the portal"), {"fields": ("role", "commune")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "language",
                    "role",
                    "commune",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if not request.user.is_superuser:
            # Whoever can change a superuser's password can become one: staff never see them.
            users = users.filter(is_superuser=False)
        return users

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Staff manage accounts but never hand out admin powers (their own included): the
        # admin flag follows the role (chamber.services.sync_role_access), and superuser,
        # groups and permissions stay with superusers.
        return [
            (name, options)
            if name != _("Access")
            else (name, {**options, "fields": ("is_active",)})
            for name, options in fieldsets
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the form's groups are saved (they could drop the staff group), apply the role.
        sync_role_access(form.instance)
