"""Pages of the spaces: the public catalogue, the commune's proposals, the staff review.

Views parse, authorise, call one selector or service, then redirect with a message.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView

from chamber.access import RoleRequiredMixin, role_required
from chamber.models import Role
from spaces import selectors, services
from spaces.filters import SpaceFilter
from spaces.forms import DecisionForm, DocumentForm, PhotoForm, SpaceForm, WithdrawForm
from spaces.models import Space
from spaces.permissions import (
    can_edit_space,
    can_review_space,
    can_see_documents,
    can_withdraw_space,
)


def _map_settings():
    return {"tiles_url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION}


class CatalogueView(FilterView):
    template_name = "spaces/space_list.html"
    filterset_class = SpaceFilter
    paginate_by = 20
    strict = False  # an unknown filter value is explained on its field and ignored

    def get_queryset(self):
        return selectors.public_spaces()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["map_points"] = selectors.map_points(self.object_list)
        context["map_points_limit"] = selectors.MAP_POINTS_LIMIT
        context["map"] = _map_settings()
        return context


class SpaceDetailView(DetailView):
    template_name = "spaces/space_detail.html"
    context_object_name = "space"

    def get_object(self, queryset=None):
        return selectors.get_space_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        space, user = self.object, self.request.user
        is_involved = can_see_documents(user, space)
        history = list(space.history.select_related("actor")) if is_involved else []
        context.update(
            photos=space.photos.all(),
            crafts=space.crafts.all(),
            documents=space.documents.all() if is_involved else [],
            history=history,
            decision=selectors.last_decision(history),
            map_point=selectors.map_points(Space.objects.filter(pk=space.pk)),
            can_edit=can_edit_space(user, space),
            can_withdraw=can_withdraw_space(user, space),
            can_review=can_review_space(user, space),
            withdraw_form=WithdrawForm(),
            map=_map_settings(),
        )
        return context


class MyCommuneView(RoleRequiredMixin, ListView):
    roles = {Role.PRESIDENT}
    template_name = "spaces/my_commune.html"
    context_object_name = "spaces"

    def get_queryset(self):
        return selectors.spaces_of_commune(self.request.user.commune_id)


def _centre(commune) -> dict:
    return {"lat": float(commune.latitude), "lng": float(commune.longitude)}


class ProposeView(RoleRequiredMixin, FormView):
    roles = {Role.PRESIDENT}
    template_name = "spaces/space_form.html"
    form_class = SpaceForm

    def get_context_data(self, **kwargs):
        commune = self.request.user.commune
        return super().get_context_data(
            commune_centre=_centre(commune), map=_map_settings(), **kwargs
        )

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "crafts"}
        space = services.propose_space(
            actor=self.request.user, data=data, crafts=form.cleaned_data["crafts"]
        )
        messages.success(
            self.request, _("Your proposal is saved. Now add photos and documents of the building.")
        )
        return redirect("spaces:media", pk=space.pk)


class EditView(FormView):
    template_name = "spaces/space_form.html"
    form_class = SpaceForm

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

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.space}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            space=self.space,
            commune_centre=_centre(self.space.commune),
            map=_map_settings(),
            **kwargs,
        )

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "crafts"}
        try:
            services.update_space(
                self.space.pk,
                actor=self.request.user,
                data=data,
                crafts=form.cleaned_data["crafts"],
            )
        except services.TransitionError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(self.request, _("The changes are saved."))
        return redirect(self.space)


class MediaView(TemplateView):
    """Photos and documents of a space, each sent on its own (short requests on a slow line)."""

    template_name = "spaces/space_media.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.space = selectors.get_space_for(request.user, kwargs["pk"], write=True)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("photo_form", PhotoForm())
        context.setdefault("document_form", DocumentForm())
        context.update(
            space=self.space, photos=self.space.photos.all(), documents=self.space.documents.all()
        )
        return context


def _media_page_with_error(request, pk, **forms):
    view = MediaView()
    view.setup(request, pk=pk)
    view.space = selectors.get_space_for(request.user, pk, write=True)
    return render(request, view.template_name, view.get_context_data(**forms), status=400)


@require_POST
@role_required(Role.PRESIDENT, Role.STAFF)
def add_photo(request, pk):
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(
                pk,
                actor=request.user,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            form.add_error("image", error)
        except services.TransitionError as refusal:
            messages.error(request, str(refusal))
            return redirect("spaces:detail", pk=pk)
    if form.errors:
        return _media_page_with_error(request, pk, photo_form=form)
    messages.success(request, _("The photo is added."))
    return redirect("spaces:media", pk=pk)


@require_POST
@role_required(Role.PRESIDENT, Role.STAFF)
def add_document(request, pk):
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                pk,
                actor=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        except services.TransitionError as refusal:
            messages.error(request, str(refusal))
            return redirect("spaces:detail", pk=pk)
    if form.errors:
        return _media_page_with_error(request, pk, document_form=form)
    messages.success(request, _("The document is added."))
    return redirect("spaces:media", pk=pk)


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
    return _media_action(
        request,
        pk,
        lambda: services.set_cover_photo(photo.pk, actor=request.user),
        _("This photo is now the cover."),
    )


@require_POST
@role_required(Role.PRESIDENT, Role.STAFF)
def delete_photo(request, pk, photo_pk):
    photo = selectors.get_photo_for(request.user, pk, photo_pk)
    return _media_action(
        request,
        pk,
        lambda: services.delete_photo(photo.pk, actor=request.user),
        _("The photo is deleted."),
    )


@require_POST
@role_required(Role.PRESIDENT, Role.STAFF)
def delete_document(request, pk, document_pk):
    document = selectors.get_document_for(request.user, pk, document_pk)
    return _media_action(
        request,
        pk,
        lambda: services.delete_document(document.pk, actor=request.user),
        _("The document is deleted."),
    )


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


@require_POST
@role_required(Role.PRESIDENT)
def withdraw(request, pk):
    space = selectors.get_space_for(request.user, pk)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.withdraw_space(space.pk, actor=request.user, note=note)
    except services.TransitionError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The proposal is withdrawn."))
    return redirect("spaces:my-commune")


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
        context = super().get_context_data(**kwargs)
        context.setdefault("decision_form", DecisionForm())
        return context


@require_POST
@role_required(Role.STAFF)
def decide(request, pk, decision):
    space = selectors.get_space_for(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _review_page_with_error(request, space, form)
    note = form.cleaned_data["note"]
    actions = {
        "start": (
            lambda: services.start_review(space.pk, actor=request.user),
            _("The review has started: the commune can no longer change the proposal."),
        ),
        "approve": (
            lambda: services.approve_space(space.pk, actor=request.user, note=note),
            _("The space is approved and now listed in the catalogue."),
        ),
        "reject": (
            lambda: services.reject_space(space.pk, actor=request.user, reason=note),
            _("The proposal is rejected; the commune can read the reason."),
        ),
    }
    action, done = actions[decision]
    try:
        action()
    except services.TransitionError as refusal:
        form.add_error("note" if decision == "reject" else None, str(refusal))
        return _review_page_with_error(request, space, form)
    messages.success(request, done)
    if decision == "start":
        return redirect("spaces:review", pk=pk)
    return redirect("spaces:review-queue")


def _review_page_with_error(request, space, form):
    view = ReviewView()
    view.setup(request, pk=space.pk)
    view.object = space
    return render(
        request,
        view.template_name,
        view.get_context_data(object=space, decision_form=form),
        status=400,
    )
