from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from chamber.admin import HistoryInline, ModelAdmin
from cooperatives import services
from cooperatives.models import (
    ActivityReport,
    ApplicationStatusChange,
    Cooperative,
    CooperativeStatusChange,
    Representative,
    SpaceApplication,
    SpaceInterest,
)


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    # Representative.user's limit_choices_to keeps the search to cooperative accounts.
    autocomplete_fields = ["user"]
    fields = ["user", "function", "status", "decided_by", "decided_at"]
    # Decisions on a request go through the staff page (services record them and send mail).
    readonly_fields = ["status", "decided_by", "decided_at"]


class CooperativeHistoryInline(HistoryInline):
    model = CooperativeStatusChange
    verbose_name_plural = _("verification")


@admin.register(Cooperative)
class CooperativeAdmin(ModelAdmin):
    list_display = ["name", "registration_number", "commune", "members", "verified"]
    list_filter = ["verified", "commune__province", "crafts__family"]
    list_select_related = ["commune"]
    search_fields = ["name", "registration_number"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["crafts"]
    # Verification goes through the staff pages (who verified, when, and the mail it sends).
    readonly_fields = ["verified", "verified_by", "verified_at", "registered_by", "created_at"]
    inlines = [RepresentativeInline, CooperativeHistoryInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:  # a cooperative entered here starts unverified, with its history
            services.add_cooperative(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Representative:
            return super().save_formset(request, form, formset, change)
        # A request linked here waits for verification on the staff page, with its history.
        for representative in formset.save(commit=False):
            if representative.pk is None:
                services.link_representative(representative, actor=request.user)
            else:
                representative.save()
        for representative in formset.deleted_objects:
            representative.delete()


class ApplicationHistoryInline(HistoryInline):
    model = ApplicationStatusChange


@admin.register(SpaceApplication)
class SpaceApplicationAdmin(ModelAdmin):
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
    inlines = [ApplicationHistoryInline]

    def has_add_permission(self, request):
        return False


@admin.register(ActivityReport)
class ActivityReportAdmin(ModelAdmin):
    """Where staff correct a report on the cooperative's request (the figures only; its period,
    the days given and who filed it stay as they were)."""

    list_display = ["application", "period_start", "income_mad", "days_used", "filed_late"]
    list_filter = ["filed_late", "on_behalf", "application__allocation__space__commune__province"]
    list_select_related = ["application__cooperative", "application__craft"]
    search_fields = ["application__cooperative__name", "products"]
    readonly_fields = [
        "application",
        "period_start",
        "period_end",
        "days_given",
        "filed_by",
        "on_behalf",
        "filed_late",
        "created_at",
        "photo",
    ]
    fields = [
        *readonly_fields[:4],
        "income_mad",
        "women_workers",
        "men_workers",
        "days_used",
        "products",
        "comment",
        *readonly_fields[4:],
    ]

    def has_add_permission(self, request):
        return False


@admin.register(SpaceInterest)
class SpaceInterestAdmin(ModelAdmin):
    list_display = ["space", "cooperative", "created_at"]
    list_select_related = ["space", "cooperative"]
    readonly_fields = ["space", "cooperative", "marked_by", "created_at"]

    def has_add_permission(self, request):
        return False
