"""The chamber's tasks for the worker (Celery): sending the outbox, and forgetting what is
kept no longer than needed. Each is also a management command, for cron."""

from celery import shared_task
from django.conf import settings

from chamber import outbox, services


@shared_task(acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> str:
    """Send one delivery; a failure is tried again after its wait (chamber.outbox). Without a
    broker (tasks run in the web process) the retry waits for the sweep instead."""
    outcome = outbox.deliver(delivery_id)
    if outcome == "retry" and not settings.CELERY_TASK_ALWAYS_EAGER:
        from chamber.models import Delivery

        wait = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first()
        deliver.apply_async((delivery_id,), countdown=outbox.backoff(wait or 1).total_seconds())
    return outcome


@shared_task(ignore_result=True)
def send_due() -> int:
    """The sweep (beat, every minute): hand every delivery that is due to the workers."""
    due = outbox.due()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        for pk in due:
            outbox.deliver(pk)
    else:
        outbox.enqueue(due)
    return len(due)


@shared_task(ignore_result=True)
def forget_expired() -> dict:
    return services.forget_expired()
