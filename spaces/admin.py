from django.contrib import admin

from spaces.models import Space


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "kind", "status", "condition", "floor_area_m2"]
    list_filter = ["status", "commune__province", "kind", "condition"]
    list_select_related = ["commune"]
    search_fields = ["name", "address", "commune__name_fr", "commune__name_ar"]
    autocomplete_fields = ["commune", "proposed_by", "reviewed_by"]
    filter_horizontal = ["crafts"]
    # Status moves only through the workflow (TODO(#3): spaces/services.py), never by hand here.
    readonly_fields = ["status", "created_at", "updated_at"]
