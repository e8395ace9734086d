from django.contrib import admin

from chamber.admin import HistoryInline, ModelAdmin
from spaces.matching import WEIGHTS
from spaces.models import (
    Allocation,
    AllocationStatusChange,
    MatchingPolicy,
    Space,
    SpaceDocument,
    SpacePhoto,
    SpaceStatusChange,
)


class ReadOnlyInline(admin.TabularInline):
    """Shown in the admin, changed only through the portal's pages: uploads must be checked
    and re-encoded (spaces/uploads.py)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PhotoInline(ReadOnlyInline):
    model = SpacePhoto
    fields = ["caption", "is_cover", "uploaded_by", "created_at"]


class DocumentInline(ReadOnlyInline):
    model = SpaceDocument
    fields = ["title", "size", "uploaded_by", "created_at"]


class SpaceHistoryInline(HistoryInline):
    model = SpaceStatusChange


class AllocationHistoryInline(HistoryInline):
    model = AllocationStatusChange


@admin.register(Space)
class SpaceAdmin(ModelAdmin):
    list_display = ["name", "commune", "kind", "status", "condition", "floor_area_m2", "created_at"]
    list_filter = ["status", "commune__province", "commune", "kind", "condition"]
    list_select_related = ["commune"]
    search_fields = ["name", "address", "commune__name_fr", "commune__name_ar"]
    autocomplete_fields = ["commune", "proposed_by", "reviewed_by"]
    filter_horizontal = ["crafts"]
    date_hierarchy = "created_at"
    # Status moves only through the workflow (spaces/services.py), never by hand here.
    readonly_fields = ["status", "proposed_by", "reviewed_by", "created_at", "updated_at"]
    inlines = [PhotoInline, DocumentInline, SpaceHistoryInline]

    def has_add_permission(self, request):
        # A space starts as a commune's proposal (or a staff correction of one), with its
        # history: created on the portal's pages, not here.
        return False


@admin.register(MatchingPolicy)
class MatchingPolicyAdmin(ModelAdmin):
    """One row: the weights and thresholds of the matching engine (README: defaults)."""

    list_display = ["__str__", *WEIGHTS]

    def has_add_permission(self, request):
        return not MatchingPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Allocation)
class AllocationAdmin(ModelAdmin):
    list_display = ["agreement_reference", "space", "holder", "starts_on", "ends_on", "status"]
    list_filter = ["status", "purpose", "space__commune__province"]
    search_fields = ["agreement_reference", "holder", "space__name"]
    list_select_related = ["space"]
    # Allocations are made by approval and closed on the occupancy page (services check
    # overlaps and move the space's status); the admin shows them.
    readonly_fields = [
        "space",
        "purpose",
        "holder",
        "activity",
        "starts_on",
        "ends_on",
        "weekdays",
        "agreement_reference",
        "status",
        "created_by",
        "created_at",
        "closed_at",
    ]
    inlines = [AllocationHistoryInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
