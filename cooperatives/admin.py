from django.contrib import admin

from chamber.models import Role
from cooperatives.models import Cooperative, Representative


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 1
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = db_field.related_model.objects.filter(role=Role.COOPERATIVE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ["name", "registration_number", "commune", "members", "verified"]
    list_filter = ["verified", "commune__province", "crafts__family"]
    list_select_related = ["commune"]
    search_fields = ["name", "registration_number"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["crafts"]
    inlines = [RepresentativeInline]
