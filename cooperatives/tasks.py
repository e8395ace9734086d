"""The cooperatives' periodic task (Celery beat); also `manage.py remind_missing_reports`."""

from celery import shared_task

from cooperatives.services import remind_missing_reports


@shared_task(ignore_result=True)
def remind_missing_reports_task() -> int:
    return remind_missing_reports()
