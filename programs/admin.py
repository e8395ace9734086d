from django.contrib import admin

from programs.models import (
    Apprentice,
    Cohort,
    Diagnostic,
    EndangeredCraft,
    Enrolment,
    EnrolmentStatusChange,
    MasterArtisan,
    Objective,
    Partner,
    Programme,
    RoadmapAction,
    SafeguardingAction,
)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_ar", "code"]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_ar", "code", "starts_on", "ends_on"]
    filter_horizontal = ["partners"]
    inlines = [ObjectiveInline]


@admin.register(EndangeredCraft)
class EndangeredCraftAdmin(admin.ModelAdmin):
    list_display = ["craft", "threat_level", "known_practitioners"]
    list_filter = ["threat_level"]
    autocomplete_fields = ["craft"]


@admin.register(MasterArtisan)
class MasterArtisanAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "living_treasure"]
    list_filter = ["living_treasure", "commune__province"]
    search_fields = ["name"]
    filter_horizontal = ["crafts"]
    autocomplete_fields = ["commune"]


@admin.register(SafeguardingAction)
class SafeguardingActionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "craft", "starts_on", "participants", "held"]
    list_filter = ["kind", "held", "programme"]
    filter_horizontal = ["masters"]
    readonly_fields = ["allocation"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = [
        "craft",
        "master",
        "starts_on",
        "ends_on",
        "seats",
        "certificate",
        "open_for_applications",
    ]
    list_filter = ["certificate", "open_for_applications", "programme"]
    # The space is given through an allocation, on the cohort's page (overlaps are checked).
    readonly_fields = ["space", "allocation"]
    autocomplete_fields = ["master"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (obj.allocation_id or obj.enrolments.exists()):
            # The booking and the applicants' eligibility hang on these dates.
            fields += ["starts_on", "ends_on"]
        return fields


@admin.register(Apprentice)
class ApprenticeAdmin(admin.ModelAdmin):
    list_display = ["user", "birth_date", "school_level", "commune", "woman"]
    list_filter = ["school_level", "woman", "commune__province"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


class EnrolmentHistoryInline(admin.TabularInline):
    model = EnrolmentStatusChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["apprentice", "cohort", "status", "outcome"]
    list_filter = ["status", "outcome"]
    # Moves go through the cohort's page (programs/services.py), with their history.
    readonly_fields = [
        "cohort",
        "apprentice",
        "status",
        "certificate_number",
        "completed_on",
        "outcome",
    ]
    inlines = [EnrolmentHistoryInline]

    def has_add_permission(self, request):
        return False


@admin.register(Diagnostic)
class DiagnosticAdmin(admin.ModelAdmin):
    list_display = ["commune", "field"]
    list_filter = ["field", "commune__province"]
    autocomplete_fields = ["commune"]


@admin.register(RoadmapAction)
class RoadmapActionAdmin(admin.ModelAdmin):
    list_display = ["title", "commune", "programme", "responsible", "due_on", "status", "progress"]
    list_filter = ["status", "programme", "responsible", "commune__province"]
    search_fields = ["title"]
    autocomplete_fields = ["commune"]
