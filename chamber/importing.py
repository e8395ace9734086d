"""The staff page of a bulk import, shared by cooperatives and spaces: send a file, read the
dry run's report row by row, then confirm. Each app says what it imports (its `imports`
module, its service and its words); the workflow itself is in the app's services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from chamber import services
from chamber.access import RoleRequiredMixin
from chamber.forms import ConfirmImportForm, ImportForm
from chamber.models import Role


class ImportView(RoleRequiredMixin, FormView):
    """A dry run on every file sent; a clean one waits (chamber.ImportCheck) for the confirm
    button, which imports it once, in one transaction, through `run_import`."""

    roles = {Role.STAFF}
    template_name = "chamber/import.html"
    form_class = ImportForm
    kind = ""  # the ImportCheck's kind, e.g. "cooperatives"
    imports = None  # the app's module: COLUMNS, read_file, check
    url_name = ""  # this page, where a failed confirmation returns
    template_url_name = ""
    done_url_name = ""
    texts: dict = {}  # title, help, object, button, columns

    def run_import(self, *, actor, records) -> dict:
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "reader": self.imports.read_file, "help_text": self.texts["help"]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=self.imports.COLUMNS,
            texts=self.texts,
            template_url_name=self.template_url_name,
            **kwargs,
        )

    def form_valid(self, form):
        records = form.cleaned_data["records"]
        report = self.imports.check(records)
        token = ""
        if report.clean:
            token = services.keep_import_check(
                actor=self.request.user, kind=self.kind, records=records
            )
        form = self.form_class(reader=self.imports.read_file, help_text=self.texts["help"])
        return self.render_to_response(
            self.get_context_data(form=form, report=report, token=token, rows=len(records))
        )

    def post(self, request, *args, **kwargs):
        if "confirm" not in request.POST:
            return super().post(request, *args, **kwargs)
        confirmation = ConfirmImportForm(request.POST)
        if not confirmation.is_valid():  # a token no dry run could have given
            return self.no_longer_waiting(request)
        try:
            counts = services.confirm_import(
                actor=request.user,
                kind=self.kind,
                token=confirmation.cleaned_data["confirm"],
                run=self.run_import,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.url_name)
        except IntegrityError:
            messages.error(
                request, _("Another change reached these rows first: check the file again.")
            )
            return redirect(self.url_name)
        if counts is None:
            return self.no_longer_waiting(request)
        messages.success(
            request, _("Imported. Created: %(created)s. Updated: %(updated)s.") % counts
        )
        return redirect(self.done_url_name)

    def no_longer_waiting(self, request):
        messages.error(
            request,
            _(
                "This check is no longer waiting: it has expired, was imported, or a newer "
                "check replaced it. Send the file again."
            ),
        )
        return redirect(self.url_name)


class ImportTemplateView(RoleRequiredMixin, View):
    roles = {Role.STAFF}
    imports = None
    filename = ""

    def get(self, request):
        response = HttpResponse(self.imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response
