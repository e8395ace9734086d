"""The person's notifications: their list in the portal (read and unread), and the short link
of an SMS, which opens a notification's page in the person's language."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from chamber import outbox, selectors


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
            {"notification": n, "subject": outbox.words(n, language=language)["subject"]}
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
