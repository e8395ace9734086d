from django.contrib import admin

from cooperatives.models import Cooperative, Representative


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 1
    # Representative.user's limit_choices_to keeps the search to cooperative accounts.
    autocomplete_fields = ["user"]


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ["name", "registration_number", "commune", "members", "verified"]
    list_filter = ["verified", "commune__province", "crafts__family"]
    list_select_related = ["commune"]
    search_fields = ["name", "registration_number"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["crafts"]
    inlines = [RepresentativeInline]
