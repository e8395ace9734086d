"""The chamber's tasks for the worker (Celery): sending the outbox, and forgetting what is
kept no longer than needed. Each is also a management command, for cron."""

from celery import shared_task
from django.conf import settings

from chamber import outbox, services


@shared_task(acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> str:
    """Send one delivery. A failure waits in the outbox for its next try, which the sweep
    below hands out once it is due (no task waits hours in the broker, where Redis would give
    it again and again to the workers after its visibility timeout)."""
    return outbox.deliver(delivery_id)


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
