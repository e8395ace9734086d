"""Pages of cooperatives: the public directory, sign-up, "my cooperative", applications, and
the staff's queues. Views parse, authorise, call a selector or a service, then redirect."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, FormView, TemplateView, View
from django_filters.views import FilterView

from chamber import importing
from chamber.access import RoleRequiredMixin, deny
from chamber.maps import map_settings
from chamber.models import Province, Role
from chamber.submissions import SubmitOnceMixin
from chamber.workflow import allowed_moves
from cooperatives import approval, imports, planning, reports, selectors, services
from cooperatives.filters import ApplicationQueueFilter, CooperativeFilter
from cooperatives.forms import (
    ActivityReportForm,
    ApplicationForm,
    ApprovalForm,
    AssistedApplicationForm,
    CooperativeForm,
    DecisionForm,
    PlanDecisionForm,
    PlanProvinceForm,
    PlanReasonForm,
    RenewalRequestForm,
    ReportEveryForm,
    SignUpForm,
    SpaceQueryForm,
)
from cooperatives.permissions import (
    application_actions,
    can_apply_for,
    can_ask_renewal,
    can_edit_cooperative,
    can_file_report,
    can_review_applications,
    can_see_application,
)
from spaces import explanations
from spaces import selectors as space_selectors


class DirectoryView(FilterView):
    template_name = "cooperatives/directory.html"
    filterset_class = CooperativeFilter
    paginate_by = 30
    strict = False

    def get_queryset(self):
        return selectors.public_cooperatives()


class ProfileView(DetailView):
    template_name = "cooperatives/profile.html"
    context_object_name = "cooperative"

    def get_object(self, queryset=None):
        return selectors.get_cooperative_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user, cooperative = self.request.user, self.object
        return super().get_context_data(
            crafts=cooperative.crafts.all(),
            # contact details: for the chamber and the cooperative's own people only
            show_contact=can_edit_cooperative(user, cooperative),
            can_edit=can_edit_cooperative(user, cooperative),
            can_file_for=user.is_authenticated and user.is_chamber_staff and cooperative.verified,
            **kwargs,
        )


class SignUpView(SubmitOnceMixin, FormView):
    """A person asks to represent a cooperative; the chamber verifies before they can apply."""

    template_name = "cooperatives/sign_up.html"
    form_class = SignUpForm
    once_kind = "cooperatives:sign-up"
    sent_again_message = gettext_lazy("Your request was already sent: log in to follow it.")

    def created_url(self, representative) -> str:
        return reverse("cooperatives:mine")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Where a logged-in person belongs: the portal says (settings.LOGIN_REDIRECT_URL).
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        self.create_once(
            form,
            lambda: services.sign_up_representative(
                user=form.save(commit=False),
                password=form.cleaned_data["password1"],
                cooperative=form.cleaned_data["cooperative"],
                new_cooperative=form.new_cooperative(),
                function=form.cleaned_data["function"],
            ),
        )
        login(self.request, form.instance, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _("Your request is sent. The chamber will verify it; you can apply once it is done."),
        )
        return redirect("cooperatives:mine")


class MyCooperativeView(RoleRequiredMixin, TemplateView):
    roles = {Role.COOPERATIVE}
    template_name = "cooperatives/mine.html"

    def get_context_data(self, **kwargs):
        representation = selectors.representation_for(self.request.user)
        verified = representation is not None and representation.is_verified
        cooperative = representation.cooperative if representation else None
        return super().get_context_data(
            representation=representation,
            cooperative=cooperative,
            # a request waiting or refused may have joined a cooperative the directory does
            # not publish: it reads nothing of it (Representative.shows_cooperative)
            shows_cooperative=representation is not None and representation.shows_cooperative(),
            refused=representation is not None and representation.is_refused,
            applications=selectors.applications_of(cooperative.pk) if verified else [],
            can_apply=verified and can_apply_for(self.request.user, cooperative),
            **kwargs,
        )


class ProfileEditView(FormView):
    template_name = "cooperatives/profile_form.html"
    form_class = CooperativeForm

    def dispatch(self, request, *args, **kwargs):
        self.cooperative = selectors.get_cooperative_for(request.user, kwargs["pk"])
        if not can_edit_cooperative(request.user, self.cooperative):
            return deny(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        locked = self.cooperative.verified and not self.request.user.is_chamber_staff
        return {**super().get_form_kwargs(), "instance": self.cooperative, "locked": locked}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cooperative=self.cooperative, **kwargs)

    def form_valid(self, form):
        services.update_cooperative(
            self.cooperative.pk,
            actor=self.request.user,
            data=form.profile_data(),
            crafts=form.cleaned_data["crafts"],
        )
        messages.success(self.request, _("The profile is saved."))
        return redirect(self.cooperative)


class RegisterCooperativeView(RoleRequiredMixin, SubmitOnceMixin, FormView):
    """Staff register a cooperative that is not online, to file for it."""

    roles = {Role.STAFF}
    template_name = "cooperatives/profile_form.html"
    form_class = CooperativeForm
    once_kind = "cooperatives:register"

    def form_valid(self, form):
        cooperative = self.create_once(
            form,
            lambda: services.register_cooperative(
                actor=self.request.user,
                data=form.profile_data(),
                crafts=form.cleaned_data["crafts"],
            ),
        )
        messages.success(self.request, _("The cooperative is registered and verified."))
        return redirect(cooperative)


class ApplicationFormMixin:
    """Create or change an application; a business rule broken is said on its field."""

    template_name = "cooperatives/application_form.html"

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            application = self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except services.TransitionError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(self.request, self.done_message)
        return redirect(application)


class NewApplicationMixin(SubmitOnceMixin, ApplicationFormMixin):
    """A new application for `self.cooperative`, created once however often it is sent."""

    def also(self, form) -> dict:
        """What else the service is given (staff's filing: the cooperative's consent)."""
        return {}

    def save(self, form):
        return self.create_once(
            form,
            lambda: services.create_application(
                actor=self.request.user,
                cooperative_id=self.cooperative.pk,
                data=form.application_data(),
                **self.also(form),
            ),
        )


class ApplyView(RoleRequiredMixin, NewApplicationMixin, FormView):
    """A verified representative starts an application (from a space's page, or not)."""

    roles = {Role.COOPERATIVE}
    once_kind = "cooperatives:apply"
    form_class = ApplicationForm
    done_message = gettext_lazy("The application is saved as a draft: check it, then send it.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_cooperative_representative:
            representation = selectors.representation_for(request.user)
            if representation is None or not can_apply_for(
                request.user, representation.cooperative
            ):
                messages.error(request, _("The chamber has not verified your request yet."))
                return redirect("cooperatives:mine")
            self.cooperative = representation.cooperative
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        space = SpaceQueryForm(self.request.GET, spaces=space_selectors.public_spaces()).chosen
        if space is not None:
            return {"space": space, "target": ApplicationForm.SPACE, "commune": space.commune}
        return {"target": ApplicationForm.COMMUNE, "commune": self.cooperative.commune}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cooperative=self.cooperative, **kwargs)


class AssistedApplyView(RoleRequiredMixin, NewApplicationMixin, FormView):
    """Staff file for a cooperative that is not online, with its consent recorded."""

    roles = {Role.STAFF}
    once_kind = "cooperatives:apply-for"
    form_class = AssistedApplicationForm
    done_message = gettext_lazy("The application is saved as a draft for the cooperative.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cooperative = selectors.get_cooperative_for(request.user, kwargs["pk"])
            if request.user.is_chamber_staff and not self.cooperative.verified:
                # Said before the form is filled in, not after it is sent.
                messages.error(request, _("Verify the cooperative before filing for it."))
                return redirect(self.cooperative)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"target": ApplicationForm.COMMUNE, "commune": self.cooperative.commune}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cooperative=self.cooperative, assisted=True, **kwargs)

    def also(self, form) -> dict:
        return {"consent_note": form.cleaned_data["consent_note"]}


class ApplicationEditView(ApplicationFormMixin, FormView):
    form_class = ApplicationForm
    done_message = gettext_lazy("The changes are saved.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return deny(request)
        self.application = selectors.get_application_for(request.user, kwargs["pk"])
        if not self.application.is_editable:
            messages.error(
                request, _("Only a draft can be changed; this application has been sent.")
            )
            return redirect(self.application)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.application}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application, cooperative=self.application.cooperative, **kwargs
        )

    def save(self, form):
        return services.update_application(
            self.application.pk, actor=self.request.user, data=form.application_data()
        )


class ApplicationView(DetailView):
    """An application with its history: the cooperative follows it, staff review it."""

    template_name = "cooperatives/application_detail.html"
    context_object_name = "application"

    def get_object(self, queryset=None):
        return selectors.get_application_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        application, user = self.object, self.request.user
        staff = can_review_applications(user)
        kwargs.setdefault("decision_form", DecisionForm())
        kwargs.setdefault("renewal_form", RenewalRequestForm())
        kwargs.setdefault(
            "report_every_form", ReportEveryForm(initial={"report_every": application.report_every})
        )
        allocation = application.allocation
        rows = selectors.report_rows(application)
        return super().get_context_data(
            report_rows=rows,
            can_file_report=can_file_report(user, application),
            under_used=staff
            and allocation is not None
            and reports.under_used([row.report for row in rows if row.report]),
            history=application.history.select_related("actor"),
            agreement_history=(allocation.history.select_related("actor") if allocation else []),
            can_ask_renewal=can_ask_renewal(user, application),
            gaps=approval.described(application.approval_gaps),
            is_staff=staff,
            actions=application_actions(user, application),
            other_applications=(
                selectors.applications_of(application.cooperative_id).exclude(pk=application.pk)
                if staff
                else []
            ),
            can_act=can_see_application(user, application),
            **kwargs,
        )


class ApplicationActionView(ApplicationView):
    """POST a move: the cooperative's own (submit, withdraw, apply again) or staff's
    (start the review, reject with a reason)."""

    http_method_names = ["post"]
    actions = {
        "submit": (
            services.submit_application,
            False,
            gettext_lazy("The application is sent to the chamber."),
        ),
        "withdraw": (
            services.withdraw_application,
            False,
            gettext_lazy("The application is withdrawn."),
        ),
        "apply-again": (
            services.apply_again,
            False,
            gettext_lazy("A new draft is ready with the same answers: check it, then send it."),
        ),
        "start-review": (
            services.start_review,
            True,
            gettext_lazy("The review has started; the cooperative is told."),
        ),
        "reject": (
            services.reject_application,
            True,
            gettext_lazy("The application is rejected; the cooperative can read the reason."),
        ),
    }

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        service, takes_note, done = self.actions[kwargs["action"]]
        if takes_note and not can_review_applications(request.user):
            return deny(request)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(decision_form=form), status=400)
        extra = {"note": form.cleaned_data["note"]} if takes_note else {}
        try:
            result = service(self.object.pk, actor=request.user, **extra)
        except (services.TransitionError, ValidationError) as refusal:
            message = (
                "; ".join(refusal.messages)
                if isinstance(refusal, ValidationError)
                else str(refusal)
            )
            form.add_error("note" if takes_note else None, message)
            self.object.refresh_from_db()
            return self.render_to_response(self.get_context_data(decision_form=form), status=400)
        messages.success(request, done)
        if kwargs["action"] == "apply-again":
            return redirect("cooperatives:edit-application", pk=result.pk)
        return redirect(self.object)


class AskRenewalView(ApplicationView):
    """POST: the cooperative (or staff for it) asks for its agreement to be renewed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = RenewalRequestForm(request.POST)
        if form.is_valid():
            try:
                services.ask_renewal(
                    self.object.pk, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except services.TransitionError as refusal:
                form.add_error("reason", str(refusal))
        if form.errors:
            self.object.refresh_from_db()
            return self.render_to_response(self.get_context_data(renewal_form=form), status=400)
        messages.success(request, _("The renewal is asked: the chamber is told."))
        return redirect(self.object)


class ReportView(SubmitOnceMixin, FormView):
    """The cooperative (or staff for it) files the report of a month or a quarter."""

    template_name = "cooperatives/report_form.html"
    form_class = ActivityReportForm
    once_kind = "cooperatives:report"

    @cached_property
    def application(self):
        return selectors.get_application_for(self.request.user, self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_file_report(request.user, self.application):
            messages.error(request, _("Activity reports begin once the application is approved."))
            return redirect(self.application)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def rows(self):
        return selectors.report_rows(self.application)

    def get_form_kwargs(self):
        rows = self.rows
        # Those not reported first, the oldest first: a late report is the one to catch up.
        waiting = [(r.period.key, r.label) for r in rows if r.report is None]
        done = [
            (r.period.key, _("%(period)s (reported)") % {"period": r.label})
            for r in rows
            if r.report
        ]
        return {**super().get_form_kwargs(), "periods": waiting + done}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application,
            rows=self.rows,
            on_behalf=self.request.user.is_chamber_staff,
            **kwargs,
        )

    def created_url(self, created) -> str:
        return created.application.get_absolute_url()

    def form_valid(self, form):
        try:
            self.create_once(
                form,
                lambda: services.file_report(
                    self.application.pk,
                    actor=self.request.user,
                    period_key=form.cleaned_data["period"],
                    data=form.report_data(),
                    photo=form.cleaned_data["photo"],
                ),
            )
        except ValidationError as error:
            form.renew_token()
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The report is filed. Thank you."))
        return redirect(self.application)


@require_safe
def report_photo(request, pk, report_pk):
    """A report's photo, for the cooperative and the staff only (it may show people)."""
    report = selectors.get_report_for(request.user, pk, report_pk)
    if not report.photo:
        raise Http404
    try:
        photo = report.photo.open("rb")
    except FileNotFoundError:  # lost from the storage: nothing to show, not an error
        raise Http404 from None
    response = FileResponse(photo, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


class ReportEveryView(RoleRequiredMixin, ApplicationView):
    """POST: staff set how often an approved application reports."""

    roles = {Role.STAFF}
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = ReportEveryForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(report_every_form=form), status=400
            )
        try:
            services.set_report_every(
                self.object.pk, actor=request.user, every=form.cleaned_data["report_every"]
            )
        except services.TransitionError as refusal:
            form.add_error("report_every", str(refusal))
            return self.render_to_response(
                self.get_context_data(report_every_form=form), status=400
            )
        messages.success(request, _("The reporting period is saved."))
        return redirect(self.object)


class MissingReportsView(RoleRequiredMixin, TemplateView):
    """Staff: the agreements whose activity reports are late, and the under-used spaces."""

    roles = {Role.STAFF}
    template_name = "cooperatives/missing_reports.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(late=selectors.missing_reports(), **kwargs)


class InterestView(RoleRequiredMixin, View):
    """POST: a cooperative marks a space it would like to use, or takes the mark back."""

    roles = {Role.COOPERATIVE}
    http_method_names = ["post"]

    def post(self, request, pk):
        space = space_selectors.get_space_for(request.user, pk)
        try:
            marked = services.toggle_interest(space.pk, actor=request.user)
        except services.TransitionError as refusal:
            messages.error(request, str(refusal))
            return redirect(space)
        if not marked:
            messages.success(request, _("Your interest in this space is taken back."))
        else:
            messages.success(
                request,
                _(
                    "Your interest is noted: the chamber and the commune see that a cooperative "
                    "would use this space. Apply for it when you are ready."
                ),
            )
        return redirect(space)


class DemandView(TemplateView):
    """Public: where cooperatives wait for premises, by commune, so that a commune sees
    where a closed building would be used (and its president is invited to propose one)."""

    template_name = "cooperatives/demand.html"

    def get_context_data(self, **kwargs):
        rows = selectors.demand()
        user = self.request.user
        return super().get_context_data(
            rows=rows,
            points=selectors.demand_points(rows),
            map=map_settings(),
            own_commune=user.commune_id if user.is_authenticated and user.is_president else None,
            login_url=resolve_url(settings.LOGIN_URL),
            **kwargs,
        )


class ApplicationQueueView(RoleRequiredMixin, FilterView):
    roles = {Role.STAFF}
    template_name = "cooperatives/application_queue.html"
    filterset_class = ApplicationQueueFilter
    paginate_by = 50
    strict = False

    def get_queryset(self):
        return selectors.application_queue()


class RepresentativeQueueView(RoleRequiredMixin, TemplateView):
    roles = {Role.STAFF}
    template_name = "cooperatives/representative_queue.html"

    def get_context_data(self, failed=None, **kwargs):
        """Each request with its own form (its own field ids); a refused one keeps its text."""
        requests = [
            (
                representative,
                failed
                if failed and failed.prefix == str(representative.pk)
                else DecisionForm(prefix=str(representative.pk)),
            )
            for representative in selectors.representatives_to_verify()
        ]
        return super().get_context_data(requests=requests, **kwargs)


class RepresentativeDecisionView(RepresentativeQueueView):
    http_method_names = ["post"]
    decisions = {"verify": services.verify_representative, "refuse": services.refuse_representative}

    def post(self, request, *args, **kwargs):
        representative = selectors.get_representative_for(request.user, kwargs["pk"])
        if not allowed_moves(representative):
            # Decided meanwhile (another tab, a colleague): say so where the queue is.
            messages.error(request, _("This request has already been decided."))
            return redirect("cooperatives:representatives")
        form = DecisionForm(request.POST, prefix=str(representative.pk))
        if form.is_valid():
            decide = self.decisions[kwargs["decision"]]
            try:
                decide(representative.pk, actor=request.user, note=form.cleaned_data["note"])
            except services.TransitionError as refusal:
                form.add_error("note", str(refusal))
        if form.errors:
            return self.render_to_response(self.get_context_data(failed=form), status=400)
        messages.success(request, _("The decision is recorded; the person is told by e-mail."))
        return redirect("cooperatives:representatives")


# --- matching board ----------------------------------------------------------------------


def _explained(matches, policy_total, limit):
    return [
        {
            "match": match,
            "components": explanations.components(match, policy_total)
            if not match.excluded
            else [],
            "excluded": explanations.exclusion(match) if match.excluded else "",
        }
        for match in matches[:limit]
    ]


class MatchApplicationView(RoleRequiredMixin, DetailView):
    """For one application, every space ranked, each component of its score shown."""

    roles = {Role.STAFF}
    template_name = "cooperatives/match_application.html"
    context_object_name = "application"
    shown = 30

    def get_object(self, queryset=None):
        return selectors.get_application_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        matches, spaces = planning.spaces_for(self.object)
        total = space_selectors.current_policy().total
        rows = _explained(matches, total, self.shown)
        for row in rows:
            row["space"] = spaces[row["match"].space_id]
        return super().get_context_data(
            rows=rows,
            under_used=selectors.under_used_spaces(row["space"].pk for row in rows),
            excluded_count=sum(1 for m in matches if m.excluded),
            can_approve=self.object.status in planning.WAITING,
            **kwargs,
        )


class MatchSpaceView(RoleRequiredMixin, DetailView):
    """For one space, the waiting applications ranked."""

    roles = {Role.STAFF}
    template_name = "cooperatives/match_space.html"
    context_object_name = "space"
    shown = 50

    def get_object(self, queryset=None):
        return space_selectors.get_space_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        matches, applications = planning.applications_for(self.object)
        total = space_selectors.current_policy().total
        rows = _explained(matches, total, self.shown)
        for row in rows:
            row["application"] = applications[row["match"].need_id]
        return super().get_context_data(
            rows=rows,
            under_used=self.object.pk in selectors.under_used_spaces([self.object.pk]),
            **kwargs,
        )


class ApproveView(RoleRequiredMixin, FormView):
    """Staff give a space to an application; the allocation and the approval are one step."""

    roles = {Role.STAFF}
    template_name = "cooperatives/approve.html"
    form_class = ApprovalForm

    @cached_property
    def application(self):
        return selectors.get_application_for(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "spaces": space_selectors.matchable_spaces(),
            "application": self.application,
        }

    def get_initial(self):
        starts_on, ends_on = planning.period_of(self.application)
        today = timezone.localdate()
        if starts_on < today:
            starts_on, ends_on = today, ends_on + (today - starts_on)
        spaces = space_selectors.matchable_spaces()
        space = SpaceQueryForm(self.request.GET, spaces=spaces).chosen
        # The first free days of the chosen space (a shared hall may be taken on others).
        days = space_selectors.free_weekdays(space.pk, starts_on, ends_on) if space else range(7)
        return {
            "space": space,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "weekdays": list(days)[: self.application.days_per_week],
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, **kwargs)

    def form_valid(self, form):
        try:
            services.approve_application(
                self.application.pk,
                actor=self.request.user,
                space_id=form.cleaned_data["space"].pk,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                weekdays=form.cleaned_data["weekdays"],
                note=form.cleaned_data["note"],
            )
        except services.TransitionError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The application is approved and the space allocated; the cooperative is told."),
        )
        return redirect(self.application)


class PlanView(RoleRequiredMixin, TemplateView):
    """The optimal plan: a proposal that staff steer (lock, exclude) and approve pair by pair."""

    roles = {Role.STAFF}
    template_name = "cooperatives/plan.html"
    unassigned_shown = 100

    def get_context_data(self, **kwargs):
        form = PlanProvinceForm(self.request.GET)
        province = form.cleaned_data.get("province") if form.is_valid() else None
        province_id = province.pk if province else None
        rows, total = planning.build_plan(province_id)
        policy_total = space_selectors.current_policy().total
        paired = [row for row in rows if row.space]
        unassigned = [row for row in rows if not row.space]
        return super().get_context_data(
            rows=[
                {
                    "row": row,
                    "components": explanations.components(row.match, policy_total)
                    if not row.broken
                    else [],
                    "excluded": explanations.exclusion(row.match) if row.broken else "",
                }
                for row in paired
            ],
            unassigned=unassigned[: self.unassigned_shown],
            unassigned_count=len(unassigned),
            total=total,
            provinces=Province.objects.order_by("hcp_code"),
            province_id=province_id,
            decisions=selectors.plan_decisions(),
            **kwargs,
        )


class SteerPlanView(RoleRequiredMixin, View):
    roles = {Role.STAFF}

    def post(self, request):
        form = PlanDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, str(services.PLAN_REASON))
            return redirect(_plan_url(form))
        try:
            services.steer_plan(
                form.cleaned_data["application"].pk,
                form.cleaned_data["space"].pk,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except services.TransitionError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Noted. The plan is worked out again around it."))
        return redirect(_plan_url(form))


class ForgetPlanDecisionView(RoleRequiredMixin, View):
    roles = {Role.STAFF}

    def post(self, request, pk):
        form = PlanReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, str(services.PLAN_REASON))
        else:
            services.forget_plan_decision(
                pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The decision is removed from the plan."))
        return redirect(_plan_url(form))


def _plan_url(form: PlanReasonForm) -> str:
    """Back to the plan of the province the person was reading (if it could be read)."""
    url = reverse("cooperatives:plan")
    province = form.cleaned_data.get("back") if hasattr(form, "cleaned_data") else None
    return f"{url}?{urlencode({'province': province.pk})}" if province else url


class ApplicationAgreementView(DetailView):
    """The allocation agreement of an approved application, for the cooperative and staff."""

    template_name = "spaces/allocation_agreement.html"
    context_object_name = "allocation"

    def get_object(self, queryset=None):
        application = selectors.get_application_for(self.request.user, self.kwargs["pk"])
        if application.allocation_id is None:
            raise Http404
        return space_selectors.allocation_with_space(application.allocation_id)

    def get_context_data(self, **kwargs):
        closing = space_selectors.closing_of(self.object)
        return super().get_context_data(closing=closing, **kwargs)


class ImportView(importing.ImportView):
    """Staff import cooperatives from a file: a dry run first, then a confirmed import."""

    kind = "cooperatives"
    imports = imports
    url_name = "cooperatives:import"
    template_url_name = "cooperatives:import-template"
    done_url_name = "cooperatives:directory"
    texts = {
        "title": gettext_lazy("Import cooperatives"),
        "help": gettext_lazy("The template's columns, one cooperative per row, at most 5 MB."),
        "object": gettext_lazy("Cooperative"),
        "button": gettext_lazy("Import these cooperatives"),
        "columns": gettext_lazy(
            "The first line holds the column names below; the first three are required. Excel "
            "files and CSV files in UTF-8 or Windows-1256 are read; a CSV may separate with "
            "commas or semicolons. A registration number already in the portal updates that "
            "cooperative."
        ),
    }

    def run_import(self, *, actor, records):
        return services.import_cooperatives(actor=actor, records=records)


class ImportTemplateView(importing.ImportTemplateView):
    imports = imports
    filename = "cooperatives-template.csv"
