"""The spaces' periodic task (Celery beat); also `manage.py end_past_allocations`, for cron."""

from celery import shared_task

from spaces.services import announce_ending_agreements, end_past_allocations


@shared_task(ignore_result=True)
def end_past_allocations_task() -> dict:
    return {"ended": end_past_allocations(), "announced": announce_ending_agreements()}
