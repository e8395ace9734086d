from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chamber import workflow
from chamber.admin import HistoryInline, ModelAdmin
from chamber.forms import note_field
from programs import services
from programs.models import (
    Apprentice,
    Cohort,
    Diagnostic,
    EndangeredCraft,
    Enrolment,
    EnrolmentOutcomeChange,
    EnrolmentStatusChange,
    MasterArtisan,
    Objective,
    Partner,
    Programme,
    RoadmapAction,
    RoadmapActionStatusChange,
    SafeguardingAction,
)


@admin.register(Partner)
class PartnerAdmin(ModelAdmin):
    list_display = ["name_fr", "name_ar", "code"]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(ModelAdmin):
    list_display = ["name_fr", "name_ar", "code", "starts_on", "ends_on"]
    filter_horizontal = ["partners"]
    inlines = [ObjectiveInline]


@admin.register(EndangeredCraft)
class EndangeredCraftAdmin(ModelAdmin):
    list_display = ["craft", "threat_level", "known_practitioners"]
    list_filter = ["threat_level"]
    autocomplete_fields = ["craft"]


@admin.register(MasterArtisan)
class MasterArtisanAdmin(ModelAdmin):
    list_display = ["name", "commune", "living_treasure"]
    list_filter = ["living_treasure", "commune__province"]
    search_fields = ["name"]
    filter_horizontal = ["crafts"]
    autocomplete_fields = ["commune"]


@admin.register(SafeguardingAction)
class SafeguardingActionAdmin(ModelAdmin):
    list_display = ["title", "kind", "craft", "starts_on", "participants", "held"]
    list_filter = ["kind", "held", "programme"]
    filter_horizontal = ["masters"]
    readonly_fields = ["allocation"]


@admin.register(Cohort)
class CohortAdmin(ModelAdmin):
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
class ApprenticeAdmin(ModelAdmin):
    list_display = ["user", "birth_date", "school_level", "commune", "woman"]
    list_filter = ["school_level", "woman", "commune__province"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


class EnrolmentHistoryInline(HistoryInline):
    model = EnrolmentStatusChange


class OutcomeHistoryInline(HistoryInline):
    model = EnrolmentOutcomeChange
    verbose_name_plural = _("outcome after six months")


@admin.register(Enrolment)
class EnrolmentAdmin(ModelAdmin):
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
    inlines = [EnrolmentHistoryInline, OutcomeHistoryInline]

    def has_add_permission(self, request):
        return False


@admin.register(Diagnostic)
class DiagnosticAdmin(ModelAdmin):
    list_display = ["commune", "field"]
    list_filter = ["field", "commune__province"]
    autocomplete_fields = ["commune"]


class RoadmapActionForm(forms.ModelForm):
    """The status moves through the workflow (programs.services.update_roadmap_action); the
    form says on its fields what the workflow would refuse."""

    note = note_field(
        _("Why the status changes"),
        _("Needed to cancel an action, or to take up a done or cancelled one."),
        rows=2,
    )

    class Meta:
        model = RoadmapAction
        fields = ["title", "commune", "programme", "responsible", "due_on", "status", "progress"]

    def clean(self):
        cleaned = super().clean()
        status, stored = cleaned.get("status"), self.instance
        if not (stored.pk and status and status != stored.status):
            return cleaned
        try:
            workflow.ensure_allowed(stored, status)
        except workflow.TransitionError as refusal:
            self.add_error("status", str(refusal))
            return cleaned
        needs_reason = services.action_move_needs_reason(stored.status, status)
        if needs_reason and not cleaned.get("note", "").strip():
            self.add_error("note", services.ACTION_REASON)
        return cleaned


class RoadmapHistoryInline(HistoryInline):
    model = RoadmapActionStatusChange


@admin.register(RoadmapAction)
class RoadmapActionAdmin(ModelAdmin):
    list_display = ["title", "commune", "programme", "responsible", "due_on", "status", "progress"]
    list_filter = ["status", "programme", "responsible", "commune__province"]
    search_fields = ["title"]
    autocomplete_fields = ["commune"]
    form = RoadmapActionForm
    inlines = [RoadmapHistoryInline]

    def save_model(self, request, obj, form, change):
        if not change:
            services.add_roadmap_action(obj, actor=request.user)
            return
        # Everything but the status and progress is plain data; those two move through the
        # workflow, which records who moved the action, when and why.
        stored = RoadmapAction.objects.values("status", "progress").get(pk=obj.pk)
        status, progress = obj.status, obj.progress
        obj.status, obj.progress = stored["status"], stored["progress"]
        obj.save()
        try:
            services.update_roadmap_action(
                obj.pk,
                actor=request.user,
                status=status,
                progress=progress,
                note=form.cleaned_data["note"],
            )
        except workflow.TransitionError as refusal:  # moved by someone else meanwhile
            transaction.set_rollback(True)  # nothing of this change is kept
            request.roadmap_refusal = str(refusal)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        refusal = getattr(request, "roadmap_refusal", None)
        if refusal and level == messages.SUCCESS:
            message, level = refusal, messages.ERROR  # not "changed successfully"
        super().message_user(request, message, level, *args, **kwargs)
