from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from phonenumber_field.modelfields import PhoneNumberField

from chamber import outbox
from chamber.forms import NoteForm, PhoneField
from chamber.models import (
    Commune,
    Craft,
    Delivery,
    DeliveryState,
    Erasure,
    PhoneCode,
    Province,
    Role,
    User,
)
from chamber.permissions import can_erase_person, can_manage_account
from chamber.services import erase_person, sync_role_access
from chamber.templatetags.workflow import said


class ErasureForm(NoteForm):
    """Why a person is erased (their request, its reference): read in the erasure record."""

    label = _("Reason or reference of the request")
    help_text = _(
        "Kept with the record of the erasure: a date or a letter's number, never the person's name."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["cols"] = 32  # fits a 360 px screen


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
    """The base of every admin page of the portal (tests/chamber/test_admin_filters.py
    checks): lists that answer any filter, and actions that answer any selection, and phone
    numbers checked as the portal's forms check them (Moroccan, shown as written here)."""

    formfield_overrides = {PhoneNumberField: {"form_class": PhoneField}}

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def response_action(self, request, queryset):
        """An action on rows that cannot exist (an id with a NUL byte, letters, 30 digits)
        is refused with a message, as an action on no row is: Django's own would raise."""
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            try:
                pk = self.opts.pk.to_python(value)
                if isinstance(pk, int) and not -(2**63) <= pk < 2**63:
                    raise ValidationError("out of range")
            except ValidationError:
                self.message_user(
                    request,
                    _("The rows chosen could not be read: nothing was done."),
                    messages.WARNING,
                )
                return redirect(request.get_full_path())
        return super().response_action(request, queryset)


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
        (
            _("Person"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "phone_verified",
                    "language",
                    "notify_by",
                )
            },
        ),
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
    # A number is confirmed by its owner typing the code sent to it, never by a tick here:
    # a confirmed number signs in with a code alone.
    readonly_fields = ["last_login", "date_joined", "phone_verified"]

    def save_model(self, request, obj, form, change):
        if change and "phone" in form.changed_data:
            obj.phone_verified = False  # a new number must be confirmed by its owner
            PhoneCode.objects.filter(user=obj, used_at__isnull=True).update(used_at=timezone.now())
        super().save_model(request, obj, form, change)

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

    # --- staff powers: staff manage the public's accounts; superusers every account ---------
    # (chamber.permissions.can_manage_account). Another staff account is shown read only:
    # its password, e-mail (a reset link goes there), role and access are a superuser's.

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser or (obj is not None and obj.pk == request.user.pk):
            return form

        class WithoutStaffRole(form):
            """Staff cannot make a staff account, new or from a public one whose password
            they may set: the role is not among the choices, so a crafted post is refused
            on the field like any other unknown choice."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "role" in self.fields:
                    self.fields["role"].choices = [
                        choice for choice in self.fields["role"].choices if choice[0] != Role.STAFF
                    ]

        return WithoutStaffRole

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_manage_account(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_manage_account(request.user, obj))

    def get_deleted_objects(self, objs, request):
        """The bulk deletion asks no permission per account: refuse it for any account the
        person may not manage, as Django refuses it for a model they may not delete."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(not can_manage_account(request.user, account) for account in objs):
            perms_needed = {*perms_needed, str(self.opts.verbose_name)}
        return deleted, counts, perms_needed, protected

    # --- erasure at a person's request (law 09-08; chamber.services.erase_person) ------------

    change_form_template = "admin/chamber/user/change_form.html"
    actions = ["erase_people"]

    def get_urls(self):
        erase = self.admin_site.admin_view(self.erase_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_erase"
        return [path("<id>/erase/", erase, name=name), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = self.get_object(request, unquote(object_id))
        can_erase = (
            person is not None
            and can_erase_person(request.user, person)
            and not Erasure.objects.filter(person=person).exists()
        )
        extra_context = {**(extra_context or {}), "can_erase": can_erase}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Erase the selected people"), permissions=["change"])
    def erase_people(self, request, queryset):
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return self._erase(request, list(queryset), action="erase_people", back=changelist)

    def erase_view(self, request, id):
        person = self.get_object(request, unquote(id))
        if person is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, id)
        if not can_erase_person(request.user, person):
            raise PermissionDenied
        page = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[person.pk]
        )
        return self._erase(request, [person], back=page) or redirect(page)

    def _erase(self, request, people, *, back, action=None):
        """The confirmation page, then the erasure of those the person may erase (None once
        done: the admin goes back to the list, or the view to the account)."""
        allowed = [person for person in people if can_erase_person(request.user, person)]
        refused = [person for person in people if person not in allowed]
        confirmed = request.method == "POST" and request.POST.get("post") == "yes"
        form = ErasureForm(request.POST if confirmed else None)
        if confirmed and allowed and form.is_valid():
            for person in allowed:
                erase_person(person.pk, actor=request.user, note=form.cleaned_data["note"])
            count = len(allowed)
            self.message_user(
                request,
                ngettext("%(count)d person erased.", "%(count)d people erased.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase people at their request"),
            "opts": self.opts,
            "people": allowed,
            "refused": refused,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": back,
            "form": form,
        }
        return TemplateResponse(request, "admin/chamber/user/erase_confirmation.html", context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the form's groups are saved (they could drop the staff group), apply the role.
        sync_role_access(form.instance)


@admin.register(Erasure)
class ErasureAdmin(ModelAdmin):
    """Who erased whom, and when: written by chamber.services.erase_person only."""

    list_display = ["account_number", "person", "actor", "at"]
    list_select_related = ["person", "actor"]
    fields = ["account_number", "person", "actor", "at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ModelAdmin):
    """The outbox, channel by channel: what was sent, what waits and what failed, with the
    reason. Rows are written by chamber.outbox only; staff resend the failed ones."""

    list_display = [
        "pk",
        "kind",
        "notification__recipient",
        "channel",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["state", "channel", "notification__kind"]
    list_select_related = ["notification__recipient"]
    search_fields = ["notification__recipient__username", "notification__kind"]
    fields = [
        "notification",
        "channel",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["resend"]

    @admin.display(description=_("kind"), ordering="notification__kind")
    def kind(self, delivery) -> str:
        return delivery.notification.kind

    @admin.action(description=_("Send the selected failed messages again"))
    def resend(self, request, queryset):
        count = outbox.resend(
            queryset.filter(state=DeliveryState.FAILED).values_list("pk", flat=True),
            actor=request.user,
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent again.",
                "%(count)d messages will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
