"""Pages of the programmes: public objectives and cohorts, the young people's applications,
the staff's management of enrolments, certificates and the roadmap."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from chamber.access import RoleRequiredMixin
from chamber.models import Role
from chamber.submissions import SubmitOnceMixin
from programs import selectors, services
from programs.forms import (
    ApprenticeSignUpForm,
    CohortApplicationForm,
    EnrolmentNoteForm,
    HostForm,
    OutcomeForm,
    OwnOutcomeForm,
)
from programs.models import MasterArtisan, Programme
from programs.permissions import can_manage_programmes, can_record_outcome, enrolment_actions


class ProgrammeListView(ListView):
    template_name = "programs/programme_list.html"
    context_object_name = "programmes"

    def get_queryset(self):
        return Programme.objects.prefetch_related("partners", "objectives")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            {"programme": p, "objectives": selectors.objectives_with_progress(p)}
            for p in context["programmes"]
        ]
        return context


class ProgrammeView(DetailView):
    template_name = "programs/programme_detail.html"
    context_object_name = "programme"

    def get_object(self, queryset=None):
        return selectors.get_programme(self.kwargs["code"])

    def get_context_data(self, **kwargs):
        programme = self.object
        safeguarding = programme.code == Programme.SAFEGUARDING
        return super().get_context_data(
            objectives=selectors.objectives_with_progress(programme),
            endangered=selectors.endangered_crafts() if safeguarding else [],
            # names and crafts only: their contacts are for staff
            masters=MasterArtisan.objects.select_related("commune").prefetch_related("crafts")
            if safeguarding
            else [],
            actions=programme.actions.select_related("craft", "partner")[:20]
            if safeguarding
            else [],
            cohorts=selectors.open_cohorts().filter(programme=programme),
            **kwargs,
        )


class CohortListView(ListView):
    template_name = "programs/cohort_list.html"
    context_object_name = "cohorts"

    def get_queryset(self):
        return selectors.open_cohorts()


class CohortView(DetailView):
    template_name = "programs/cohort_detail.html"
    context_object_name = "cohort"

    def get_object(self, queryset=None):
        return selectors.get_cohort(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        staff = can_manage_programmes(user)
        enrolments = selectors.enrolments_of_cohort(self.object) if staff else []
        return super().get_context_data(
            is_staff=staff,
            rows=[
                {"enrolment": enrolment, "actions": enrolment_actions(user, enrolment)}
                for enrolment in enrolments
            ],
            outcome_form=OutcomeForm(),
            apply_form=CohortApplicationForm(),
            **kwargs,
        )


class ApplyView(RoleRequiredMixin, View):
    roles = {Role.APPRENTICE}

    def post(self, request, pk):
        cohort = selectors.get_cohort(pk)
        try:
            services.apply_to_cohort(cohort.pk, actor=request.user)
        except services.TransitionError as refusal:
            messages.error(request, str(refusal))
            return redirect(cohort)
        messages.success(request, _("Your application is sent; the chamber will answer you."))
        return redirect("programs:mine")


class SignUpView(SubmitOnceMixin, FormView):
    template_name = "programs/sign_up.html"
    form_class = ApprenticeSignUpForm
    once_kind = "programs:sign-up"
    sent_again_message = gettext_lazy("Your account was already created: log in to use it.")

    def created_url(self, apprentice) -> str:
        return reverse("programs:mine")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Where a logged-in person belongs: the portal says (settings.LOGIN_REDIRECT_URL).
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.create_once(
                form,
                lambda: services.sign_up_apprentice(
                    user=form.save(commit=False),
                    password=form.cleaned_data["password1"],
                    profile=form.profile(),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        login(self.request, form.instance, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("Your account is ready: choose a cohort and apply."))
        return redirect("programs:cohorts")


class MineView(RoleRequiredMixin, TemplateView):
    roles = {Role.APPRENTICE}
    template_name = "programs/mine.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enrolments=selectors.enrolments_of(self.request.user), **kwargs
        )


class EnrolmentView(DetailView):
    template_name = "programs/enrolment_detail.html"
    context_object_name = "enrolment"

    def get_object(self, queryset=None):
        return selectors.get_enrolment_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        answers = self.object.apprentice.user_id == self.request.user.pk and (
            can_record_outcome(self.request.user, self.object)
        )
        return super().get_context_data(
            history=self.object.history.select_related("actor"),
            outcome_form=OwnOutcomeForm(initial={"outcome": self.object.outcome})
            if answers
            else None,
            **kwargs,
        )


class AnswerOutcomeView(RoleRequiredMixin, View):
    """The young person says what they do now, six months after their training (they are
    asked by a notification); the staff record it on the cohort's page."""

    roles = {Role.APPRENTICE}

    def post(self, request, pk):
        enrolment = selectors.get_enrolment_for(request.user, pk)
        form = OwnOutcomeForm(request.POST)
        try:
            if not form.is_valid():
                raise services.TransitionError(_("Choose an outcome."))
            services.record_outcome(
                enrolment.pk, actor=request.user, outcome=form.cleaned_data["outcome"]
            )
        except services.TransitionError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Thank you: the chamber knows what you do now."))
        return redirect("programs:enrolment", pk=enrolment.pk)


class CertificateView(EnrolmentView):
    template_name = "programs/certificate.html"

    def get_object(self, queryset=None):
        enrolment = super().get_object(queryset)
        if not enrolment.has_certificate:
            raise Http404
        return enrolment


class EnrolmentActionView(RoleRequiredMixin, View):
    """Staff move an enrolment: accept, refuse, start, complete, drop; or record an outcome."""

    roles = {Role.STAFF}
    actions = {
        "accept": (services.accept_enrolment, gettext_lazy("The applicant is accepted.")),
        "refuse": (services.refuse_enrolment, gettext_lazy("The application is refused.")),
        "start": (services.start_training, gettext_lazy("The training has started.")),
        "complete": (services.complete_training, gettext_lazy("The training is completed.")),
        "drop": (services.drop_enrolment, gettext_lazy("The apprentice has stopped.")),
    }

    def post(self, request, pk, action):
        enrolment = selectors.get_enrolment_for(request.user, pk)
        try:
            if action == "outcome":
                form = OutcomeForm(request.POST)
                if not form.is_valid():
                    raise services.TransitionError(_("Choose an outcome."))
                services.record_outcome(
                    enrolment.pk, actor=request.user, outcome=form.cleaned_data["outcome"]
                )
                done = _("The outcome is recorded.")
            else:
                service, done = self.actions[action]
                form = EnrolmentNoteForm(request.POST)
                if not form.is_valid():
                    raise services.TransitionError(" ".join(form.errors["note"]))
                service(enrolment.pk, actor=request.user, note=form.cleaned_data["note"])
        except services.TransitionError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, done)
        return redirect(enrolment.cohort)


class HostCohortView(RoleRequiredMixin, FormView):
    """Staff give a cohort (or, below, an action) its space through an allocation."""

    roles = {Role.STAFF}
    template_name = "programs/host.html"
    form_class = HostForm

    def host(self):
        return selectors.get_cohort(self.kwargs["pk"])

    def allocate(self, host, form):
        services.host_cohort(
            host.pk,
            actor=self.request.user,
            space_id=form.cleaned_data["space"].pk,
            weekdays=form.cleaned_data["weekdays"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(host=self.host(), **kwargs)

    def form_valid(self, form):
        host = self.host()
        try:
            self.allocate(host, form)
        except services.TransitionError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(self.request, _("The space is allocated."))
        return redirect(host)


class HostActionView(HostCohortView):
    def host(self):
        return selectors.get_action(self.kwargs["pk"])

    def allocate(self, host, form):
        services.host_action(
            host.pk,
            actor=self.request.user,
            space_id=form.cleaned_data["space"].pk,
            weekdays=form.cleaned_data["weekdays"],
        )


class RoadmapView(TemplateView):
    template_name = "programs/roadmap.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**selectors.roadmap(), **kwargs)
