from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from spaces.models import Space, SpaceDocument, SpacePhoto, SpaceStatusChange


class ReadOnlyInline(admin.TabularInline):
    """Shown in the admin, changed only through the portal's pages: uploads must be checked
    and re-encoded (spaces/uploads.py) and statuses recorded (spaces/services.py)."""

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


class HistoryInline(ReadOnlyInline):
    model = SpaceStatusChange
    fields = ["at", "from_status", "to_status", "actor", "note"]
    verbose_name_plural = _("status history")


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "kind", "status", "condition", "floor_area_m2", "created_at"]
    list_filter = ["status", "commune__province", "commune", "kind", "condition"]
    list_select_related = ["commune"]
    search_fields = ["name", "address", "commune__name_fr", "commune__name_ar"]
    autocomplete_fields = ["commune", "proposed_by", "reviewed_by"]
    filter_horizontal = ["crafts"]
    date_hierarchy = "created_at"
    # Status moves only through the workflow (spaces/services.py), never by hand here.
    readonly_fields = ["status", "proposed_by", "reviewed_by", "created_at", "updated_at"]
    inlines = [PhotoInline, DocumentInline, HistoryInline]

    def has_add_permission(self, request):
        # A space starts as a commune's proposal (or a staff correction of one), with its
        # history: created on the portal's pages, not here.
        return False
