"""The account's own pages beside Django's (portal/views.py has login and password reset):
the person's phone and how they are told, confirming the phone, signing in and choosing a new
password with a code sent by SMS, and the person's notifications.

The code pages answer the same whether or not a number has an account: a code is sent only
to a confirmed number, and every refusal of a code is one sentence (chamber.phone_codes).
"""

import logging

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, View

from chamber import outbox, phone_codes, selectors, services
from chamber.forms import PhoneField
from chamber.models import CodePurpose
from chamber.templatetags.phones import is_moroccan
from portal import guessing
from portal.forms import CodeForm, CodePasswordForm, ContactForm, PhoneForm

logger = logging.getLogger(__name__)

# Every refusal of a code on the pages without an account, whatever its reason.
ONE_ANSWER = gettext_noop(
    "This code does not work: check it, or ask for a new one (a code lasts ten minutes and "
    "works once)."
)


def _send(request, user, purpose, *, say_failure: bool = True) -> bool:
    """Send a code; True if sent. A failure is logged, and said on the page only to a person
    logged in (on the pages without an account, saying it would tell that the number has one)."""
    try:
        phone_codes.send_code(user, purpose)
    except Exception:  # the gateway refused or is down: the person tries again later
        logger.exception("Could not send a %s code", purpose)
        if say_failure:
            messages.error(request, _("The SMS could not be sent just now: try again in a moment."))
        return False
    return True


def _safe_next(request, following: str) -> str:
    """`following` if it is a page of this portal, else ""."""
    allowed = url_has_allowed_host_and_scheme(
        following, {request.get_host()}, require_https=request.is_secure()
    )
    return following if following and allowed else ""


class ContactView(LoginRequiredMixin, FormView):
    """The person's mobile number and how they want to be told."""

    template_name = "portal/contact.html"
    form_class = ContactForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.user}

    def form_valid(self, form):
        user = services.update_contact(
            self.request.user.pk,
            actor=self.request.user,
            phone=form.cleaned_data["phone"],
            notify_by=form.cleaned_data["notify_by"],
        )
        messages.success(self.request, _("Your contact details are saved."))
        if user.phone and not user.phone_verified:
            return redirect("portal:phone-confirm")
        return redirect("portal:account")


class PhoneConfirmView(LoginRequiredMixin, View):
    """Send a code to the person's number, and confirm the number with it."""

    template_name = "portal/phone_confirm.html"

    def get(self, request):
        return self._page(request, CodeForm())

    def _page(self, request, form, status=200):
        return render(request, self.template_name, {"form": form}, status=status)

    def post(self, request):
        user = request.user
        if not user.phone or user.phone_verified:
            return redirect("portal:account")
        if "send" in request.POST:
            if not (is_moroccan(user.phone) and PhoneField.is_mobile(user.phone)):
                messages.error(request, _("Correct your number first: it is not a mobile number."))
                return redirect("portal:contact")
            try:
                phone_codes.may_send(user.phone.as_e164, guessing.client_address(request))
            except phone_codes.TooManyCodes:
                messages.error(
                    request, _("Too many codes were asked within the hour: wait a little.")
                )
            else:
                if _send(request, user, CodePurpose.CONFIRM_PHONE):
                    messages.success(request, _("A code is on its way by SMS."))
            return redirect("portal:phone-confirm")
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        try:
            services.confirm_phone(user.pk, actor=user, code=form.cleaned_data["code"])
        except phone_codes.CodeRefused as refusal:
            form.add_error("code", str(refusal))
            return self._page(request, form, status=400)
        messages.success(request, _("Your number is confirmed."))
        return redirect("portal:account")


class CodeRequestView(FormView):
    """First step of signing in (or choosing a new password) by SMS: the number. The page
    answers the same whether or not it is an account's: the code goes only to a confirmed
    number, and the next page asks for it either way."""

    form_class = PhoneForm
    purpose = CodePurpose.SIGN_IN
    template_name = "registration/phone_login.html"
    next_url = reverse_lazy("portal:phone-login-code")

    def form_valid(self, form):
        phone = form.cleaned_data["phone"].as_e164
        try:
            phone_codes.may_send(phone, guessing.client_address(self.request))
        except phone_codes.TooManyCodes:
            form.add_error(
                "phone", _("Too many codes were asked for this number or from here: try later.")
            )
            return self.form_invalid(form)
        user = phone_codes.account_of(phone)
        if user is not None:
            _send(self.request, user, self.purpose, say_failure=False)
        self.request.session[f"code-{self.purpose}"] = phone
        target = str(self.next_url)
        following = _safe_next(self.request, self.request.POST.get("next", ""))
        if following:
            target = f"{target}?{urlencode({'next': following})}"
        return redirect(target)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.request.GET.get("next", ""), **kwargs)


class CodeResetRequestView(CodeRequestView):
    purpose = CodePurpose.RESET
    template_name = "registration/phone_reset.html"
    next_url = reverse_lazy("portal:phone-reset-code")


class CodeLoginView(FormView):
    """Second step: the code. Checked by `authenticate` (chamber.backends), so django-axes
    counts wrong codes per number and address and locks out as for passwords."""

    form_class = CodeForm
    purpose = CodePurpose.SIGN_IN
    template_name = "registration/phone_login_code.html"
    start = "portal:phone-login"

    def dispatch(self, request, *args, **kwargs):
        self.phone = request.session.get(f"code-{self.purpose}")
        if not self.phone:
            return redirect(self.start)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            phone=self.phone, next=self.request.GET.get("next", ""), **kwargs
        )

    def _authenticated(self, form, *, use=True):
        return authenticate(
            self.request,
            username=self.phone,
            code=form.cleaned_data["code"],
            purpose=self.purpose,
            use=use,
        )

    def form_valid(self, form):
        user = self._authenticated(form)
        if user is None:
            form.add_error("code", _(ONE_ANSWER))
            return self.form_invalid(form)
        del self.request.session[f"code-{self.purpose}"]
        login(self.request, user, backend="chamber.backends.PhoneCodeBackend")
        following = self.request.POST.get("next") or self.request.GET.get("next", "")
        return redirect(_safe_next(self.request, following) or reverse("portal:account"))


class CodeResetView(CodeLoginView):
    """Second step of a new password by SMS: the code, and the new password twice."""

    form_class = CodePasswordForm
    purpose = CodePurpose.RESET
    template_name = "registration/phone_reset_code.html"
    start = "portal:phone-reset"

    def form_valid(self, form):
        # The code first, checked without using it up: only its owner learns what the rules
        # that compare the password with the account (its names, e-mail) say of it, and a
        # refused password leaves the code for the next try.
        user = self._authenticated(form, use=False)
        if user is None:
            form.add_error("code", _(ONE_ANSWER))
            return self.form_invalid(form)
        if not form.check_password_for(user):
            return self.form_invalid(form)
        phone_codes.use_code(user, self.purpose)
        user.set_password(form.cleaned_data["new_password1"])
        user.save(update_fields=["password"])
        del self.request.session[f"code-{self.purpose}"]
        return redirect("portal:password-reset-complete")


class NotificationListView(LoginRequiredMixin, ListView):
    """The person's notifications, newest first, each in the reader's language."""

    template_name = "portal/notifications.html"
    paginate_by = 20

    def get_queryset(self):
        return selectors.notifications_of(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = translation.get_language()
        context["rows"] = [
            {
                "notification": n,
                "subject": outbox.words(n, language=language, parts=("subject",))["subject"],
            }
            for n in context["object_list"]
        ]
        context["unread"] = selectors.unread_count(self.request.user)
        return context


@require_POST
@login_required
def read_all(request):
    outbox.mark_all_read(request.user)
    return redirect("portal:notifications")


@login_required
def open_notification(request, pk):
    """/n/<number>, the short link of an SMS: marks the notification read and opens its
    page, in the person's language."""
    notification = selectors.get_notification_for(request.user, pk)
    outbox.mark_read(notification)
    language = request.user.language or translation.get_language()
    return redirect(outbox.path_of(notification, language))
