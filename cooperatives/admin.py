from django.contrib import admin

from cooperatives.models import (
    ApplicationStatusChange,
    Cooperative,
    Representative,
    SpaceApplication,
)


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    # Representative.user's limit_choices_to keeps the search to cooperative accounts.
    autocomplete_fields = ["user"]
    fields = ["user", "function", "status", "decided_by", "decided_at"]
    # Decisions on a request go through the staff page (services record them and send mail).
    readonly_fields = ["status", "decided_by", "decided_at"]


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ["name", "registration_number", "commune", "members", "verified"]
    list_filter = ["verified", "commune__province", "crafts__family"]
    list_select_related = ["commune"]
    search_fields = ["name", "registration_number"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["crafts"]
    # Verification goes through the staff pages (who verified, when, and the mail it sends).
    readonly_fields = ["verified", "verified_by", "verified_at", "registered_by", "created_at"]
    inlines = [RepresentativeInline]


class HistoryInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "on_behalf", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SpaceApplication)
class SpaceApplicationAdmin(admin.ModelAdmin):
    list_display = ["cooperative", "space", "craft", "status", "submitted_at"]
    list_filter = ["status", "cooperative__commune__province", "craft__family"]
    list_select_related = ["cooperative", "space", "craft"]
    search_fields = ["cooperative__name", "cooperative__registration_number", "description"]
    # Statuses move through the portal's pages (cooperatives/services.py), never here.
    readonly_fields = [
        "status",
        "decision_note",
        "filed_by",
        "consent_note",
        "created_at",
        "submitted_at",
        "decided_at",
    ]
    autocomplete_fields = ["cooperative", "space", "commune", "province"]
    inlines = [HistoryInline]

    def has_add_permission(self, request):
        return False
