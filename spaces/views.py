"""Pages of the spaces: the public catalogue, the commune's proposals, the staff review.

Views parse, authorise, call one selector or service, then redirect with a message; a refusal
re-renders the page with what the person typed and the reason on its field.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView

from chamber import importing
from chamber.access import RoleRequiredMixin, role_required
from chamber.maps import map_settings
from chamber.models import Role
from chamber.submissions import SubmitOnceMixin
from spaces import imports, selectors, services
from spaces.filters import SpaceFilter
from spaces.forms import (
    CloseAllocationForm,
    DecisionForm,
    DeclineRenewalForm,
    DocumentForm,
    PhotoForm,
    RenewAllocationForm,
    SpaceForm,
    WithdrawForm,
)
from spaces.links import ALLOCATION_ROW, SPACE_PAGE
from spaces.permissions import (
    allocation_closings,
    allocation_renewals,
    can_edit_space,
    can_review_space,
    can_see_documents,
    can_withdraw_space,
    review_decisions,
)


def _centre(commune) -> dict:
    return {"lat": float(commune.latitude), "lng": float(commune.longitude)}


class CatalogueView(FilterView):
    template_name = "spaces/space_list.html"
    filterset_class = SpaceFilter
    paginate_by = 20
    strict = False  # an unknown filter value is explained on its field and ignored

    def get_queryset(self):
        return selectors.public_spaces()

    def paginate_queryset(self, queryset, page_size):
        # A shared link with a page that no longer exists shows the nearest page, not a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        page.object_list = selectors.with_availability(page.object_list)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            query_without_page=query.urlencode(),
            map=map_settings(),
            map_points_limit=selectors.MAP_POINTS_LIMIT,
            **kwargs,
        )


def catalogue_map_points(request):
    """The located spaces of a catalogue search, for the map's script (kept out of the page,
    which stays light for those who do not run scripts)."""
    spaces = SpaceFilter(request.GET, queryset=selectors.public_spaces()).qs
    points = selectors.map_points(spaces)
    return JsonResponse({"points": points, "truncated": len(points) >= selectors.MAP_POINTS_LIMIT})


class SpaceDetailView(DetailView):
    template_name = "spaces/space_detail.html"
    context_object_name = "space"

    def get_object(self, queryset=None):
        return selectors.get_space_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        space, user = self.object, self.request.user
        is_involved = can_see_documents(user, space)
        history = list(space.history.select_related("actor")) if is_involved else []
        kwargs.setdefault("withdraw_form", WithdrawForm())
        return super().get_context_data(
            availability=selectors.with_availability([space])[0].availability
            if space.is_public
            else None,
            photos=space.photos.all(),
            crafts=space.crafts.all(),
            documents=space.documents.all() if is_involved else [],
            history=history,
            decision=selectors.last_decision(history),
            map_point=selectors.space_point(space),
            can_edit=can_edit_space(user, space),
            can_withdraw=can_withdraw_space(user, space),
            can_review=can_review_space(user),
            links=SPACE_PAGE.links(user, space),
            map=map_settings(),
            **kwargs,
        )


class WithdrawView(RoleRequiredMixin, SpaceDetailView):
    roles = {Role.PRESIDENT}
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(withdraw_form=form), status=400)
        try:
            services.withdraw_space(
                self.object.pk, actor=request.user, note=form.cleaned_data["note"]
            )
        except services.TransitionError as refusal:
            messages.error(request, str(refusal))
            return redirect(self.object)
        messages.success(request, _("The proposal is withdrawn."))
        return redirect("spaces:my-commune")


class MyCommuneView(RoleRequiredMixin, ListView):
    roles = {Role.PRESIDENT}
    template_name = "spaces/my_commune.html"
    context_object_name = "spaces"

    def get_queryset(self):
        return selectors.spaces_of_commune(self.request.user.commune_id)


class ProposeView(RoleRequiredMixin, SubmitOnceMixin, FormView):
    roles = {Role.PRESIDENT}
    template_name = "spaces/space_form.html"
    form_class = SpaceForm
    once_kind = "spaces:propose"

    def get_context_data(self, **kwargs):
        centre = _centre(self.request.user.commune)
        return super().get_context_data(commune_centre=centre, map=map_settings(), **kwargs)

    def created_url(self, space) -> str:
        return reverse("spaces:media", kwargs={"pk": space.pk})

    def form_valid(self, form):
        space = self.create_once(
            form,
            lambda: services.propose_space(
                actor=self.request.user, data=form.space_data(), crafts=form.cleaned_data["crafts"]
            ),
        )
        messages.success(
            self.request, _("Your proposal is saved. Now add photos and documents of the building.")
        )
        return redirect(self.created_url(space))


class EditableSpaceMixin:
    """For pages that change a space: a visitor logs in; a space they may not see is a 404;
    its commune, once the review has started, is told why on the space's page; anyone else
    who may see it but not change it gets a 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.space = selectors.get_space_for(request.user, kwargs["pk"])
        try:
            services.ensure_editable(request.user, self.space)
        except services.TransitionError as refusal:
            messages.error(request, str(refusal))
            return redirect(self.space)
        return super().dispatch(request, *args, **kwargs)


class EditView(EditableSpaceMixin, FormView):
    template_name = "spaces/space_form.html"
    form_class = SpaceForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.space}

    def get_context_data(self, **kwargs):
        centre = _centre(self.space.commune)
        return super().get_context_data(
            space=self.space, commune_centre=centre, map=map_settings(), **kwargs
        )

    def form_valid(self, form):
        try:
            services.update_space(
                self.space.pk,
                actor=self.request.user,
                data=form.space_data(),
                crafts=form.cleaned_data["crafts"],
            )
        except services.TransitionError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(self.request, _("The changes are saved."))
        return redirect(self.space)


class MediaView(EditableSpaceMixin, TemplateView):
    """Photos and documents of a space, each sent on its own (short requests on a slow line)."""

    template_name = "spaces/space_media.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("photo_form", PhotoForm())
        kwargs.setdefault("document_form", DocumentForm())
        return super().get_context_data(
            space=self.space,
            photos=self.space.photos.all(),
            documents=self.space.documents.all(),
            **kwargs,
        )


class UploadView(MediaView):
    """POST one photo or one document; a refusal shows the page again with its reason."""

    http_method_names = ["post"]
    form_class = PhotoForm
    form_name = "photo_form"
    file_field = "image"
    done = gettext_lazy("The photo is added.")

    def upload(self, form):
        services.add_photo(
            self.space.pk,
            actor=self.request.user,
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.upload(form)
            except ValidationError as error:
                form.add_error(self.file_field, error)
        if form.errors:
            context = self.get_context_data(**{self.form_name: form})
            return self.render_to_response(context, status=400)
        messages.success(request, self.done)
        return redirect("spaces:media", pk=self.space.pk)


class DocumentUploadView(UploadView):
    form_class = DocumentForm
    form_name = "document_form"
    file_field = "file"
    done = gettext_lazy("The document is added.")

    def upload(self, form):
        services.add_document(
            self.space.pk,
            actor=self.request.user,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )


def _media_action(request, pk, action, done_message):
    try:
        action()
    except services.TransitionError as refusal:
        messages.error(request, str(refusal))
        return redirect("spaces:detail", pk=pk)
    messages.success(request, done_message)
    return redirect("spaces:media", pk=pk)


@require_POST
@role_required(Role.PRESIDENT, Role.STAFF)
def set_cover(request, pk, photo_pk):
    photo = selectors.get_photo_for(request.user, pk, photo_pk)
    action = lambda: services.set_cover_photo(photo.pk, actor=request.user)  # noqa: E731
    return _media_action(request, pk, action, _("This photo is now the cover."))


@require_POST
@role_required(Role.PRESIDENT, Role.STAFF)
def delete_photo(request, pk, photo_pk):
    photo = selectors.get_photo_for(request.user, pk, photo_pk)
    action = lambda: services.delete_photo(photo.pk, actor=request.user)  # noqa: E731
    return _media_action(request, pk, action, _("The photo is deleted."))


@require_POST
@role_required(Role.PRESIDENT, Role.STAFF)
def delete_document(request, pk, document_pk):
    document = selectors.get_document_for(request.user, pk, document_pk)
    action = lambda: services.delete_document(document.pk, actor=request.user)  # noqa: E731
    return _media_action(request, pk, action, _("The document is deleted."))


def photo_file(request, pk, photo_pk, size):
    photo = selectors.get_photo_for(request.user, pk, photo_pk)
    image = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(image.open("rb"), content_type="image/jpeg")
    # Public spaces' photos may be kept by any cache; others only by the person's browser.
    visibility = "public" if photo.space.is_public else "private"
    response["Cache-Control"] = f"{visibility}, max-age=86400"
    return response


def document_file(request, pk, document_pk):
    document = selectors.get_document_for(request.user, pk, document_pk)
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"document-{document.pk}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    # Even if a browser were told to display it, nothing in it may run on our origin.
    response["Content-Security-Policy"] = "sandbox"
    return response


class ReviewQueueView(RoleRequiredMixin, ListView):
    roles = {Role.STAFF}
    template_name = "spaces/review_queue.html"
    context_object_name = "spaces"
    paginate_by = 50

    def get_queryset(self):
        return selectors.review_queue()


class ReviewView(RoleRequiredMixin, SpaceDetailView):
    roles = {Role.STAFF}
    template_name = "spaces/space_review.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("decision_form", DecisionForm())
        return super().get_context_data(
            decisions=review_decisions(self.request.user, self.object), **kwargs
        )


class DecideView(ReviewView):
    """POST a decision on a proposal: start the review, approve, or reject (with a reason)."""

    http_method_names = ["post"]
    decisions = {
        "start": (
            services.start_review,
            gettext_lazy("The review has started: the commune can no longer change the proposal."),
        ),
        "approve": (
            services.approve_space,
            gettext_lazy("The space is approved and now listed in the catalogue."),
        ),
        "reject": (
            services.reject_space,
            gettext_lazy("The proposal is rejected; the commune can read the reason."),
        ),
    }

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        decision = kwargs["decision"]
        service, done = self.decisions[decision]
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                service(self.object.pk, actor=request.user, note=form.cleaned_data["note"])
            except services.TransitionError as refusal:
                form.add_error("note" if decision == "reject" else None, str(refusal))
        if form.errors:
            self.object.refresh_from_db()
            return self.render_to_response(self.get_context_data(decision_form=form), status=400)
        messages.success(request, done)
        if decision == "start":
            return redirect("spaces:review", pk=self.object.pk)
        return redirect("spaces:review-queue")


# --- allocations -------------------------------------------------------------------------


class OccupancyView(SpaceDetailView):
    """Who uses a space, when, and on which days: the timeline of its allocations; staff
    close an allocation here, with the reason."""

    template_name = "spaces/occupancy.html"

    def get_context_data(self, failed=None, **kwargs):
        """Each allocation with how it may be closed now, and its own form (a refused one
        keeps what was typed and says why)."""
        allocations = list(selectors.allocations_of(self.object))

        def form(form_class, name, allocation):
            prefix = f"{name}-{allocation.pk}"
            return failed if failed and failed.prefix == prefix else form_class(prefix=prefix)

        rows = [
            {
                "allocation": allocation,
                "closing": selectors.closing_of(allocation),
                "closings": allocation_closings(self.request.user, allocation),
                "renewals": allocation_renewals(self.request.user, allocation),
                "form": form(CloseAllocationForm, "close", allocation),
                "renew_form": form(RenewAllocationForm, "renew", allocation),
                "decline_form": form(DeclineRenewalForm, "decline", allocation),
                "request": selectors.renewal_request_of(allocation),
                "links": ALLOCATION_ROW.links(self.request.user, allocation),
            }
            for allocation in allocations
        ]
        return super().get_context_data(
            rows=rows,
            timeline=selectors.timeline(allocations),
            can_close=can_review_space(self.request.user),
            **kwargs,
        )


class CloseAllocationView(RoleRequiredMixin, OccupancyView):
    """POST: staff end or terminate an allocation; a refusal shows the occupancy page again
    with the reason on the allocation's note."""

    roles = {Role.STAFF}
    http_method_names = ["post"]

    def get_object(self, queryset=None):
        self.allocation = selectors.get_allocation_for(self.request.user, self.kwargs["pk"])
        return selectors.get_space_for(self.request.user, self.allocation.space_id)

    def post(self, request, pk, to):
        self.object = self.get_object()
        form = CloseAllocationForm(request.POST, prefix=f"close-{pk}")
        if form.is_valid():
            try:
                services.close_allocation(
                    pk, actor=request.user, to=to, note=form.cleaned_data["note"]
                )
            except services.TransitionError as refusal:
                form.add_error("note", str(refusal))
        if form.errors:
            return self.render_to_response(self.get_context_data(failed=form), status=400)
        messages.success(request, _("The allocation is closed."))
        return redirect("spaces:occupancy", pk=self.object.pk)


class RenewAllocationView(CloseAllocationView):
    """POST: staff renew an agreement to a new end, or refuse the renewal asked (with the
    reason); a refusal of the act shows the page again with the reason on its field."""

    actions = {
        "renew": (RenewAllocationForm, gettext_lazy("The agreement is renewed.")),
        "decline": (
            DeclineRenewalForm,
            gettext_lazy("The renewal is refused; its holder is told."),
        ),
    }

    def post(self, request, pk, action):
        self.object = self.get_object()
        form_class, done = self.actions[action]
        form = form_class(request.POST, prefix=f"{action}-{pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "renew":
                    services.renew_allocation(
                        pk, actor=request.user, ends_on=data["ends_on"], note=data["note"]
                    )
                else:
                    services.decline_renewal(pk, actor=request.user, note=data["note"])
            except services.TransitionError as refusal:
                form.add_error("ends_on" if action == "renew" else "note", str(refusal))
        if form.errors:
            return self.render_to_response(self.get_context_data(failed=form), status=400)
        messages.success(request, done)
        return redirect("spaces:occupancy", pk=self.object.pk)


class AgreementView(DetailView):
    """The allocation agreement, to print (print stylesheet) in Arabic or French."""

    template_name = "spaces/allocation_agreement.html"
    context_object_name = "allocation"

    def get_object(self, queryset=None):
        return selectors.get_allocation_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(closing=selectors.closing_of(self.object), **kwargs)


class ImportView(importing.ImportView):
    """Staff import spaces from a file: a dry run first, then a confirmed import."""

    kind = "spaces"
    imports = imports
    url_name = "spaces:import"
    template_url_name = "spaces:import-template"
    done_url_name = "spaces:catalogue"
    texts = {
        "title": gettext_lazy("Import spaces"),
        "help": gettext_lazy("The template's columns, one building per row, at most 5 MB."),
        "object": gettext_lazy("Space"),
        "button": gettext_lazy("Import these spaces"),
        "columns": gettext_lazy(
            "The first line holds the column names below; name, commune, kind, floor_area_m2, "
            "capacity, condition and ownership are required. Excel files and CSV files in UTF-8 "
            "or Windows-1256 are read; a CSV may separate with commas or semicolons. A new space "
            "enters the catalogue as available, recorded as approved by you; a row with the "
            "reference of a space already in the portal updates the columns the file has, never "
            "its status."
        ),
    }

    def run_import(self, *, actor, records):
        return services.import_spaces(actor=actor, records=records)


class ImportTemplateView(importing.ImportTemplateView):
    imports = imports
    filename = "spaces-template.csv"
