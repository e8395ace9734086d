"""The programmes' periodic task (Celery beat); also `manage.py ask_outcomes`, for cron."""

from celery import shared_task

from programs.services import ask_outcomes


@shared_task(ignore_result=True)
def ask_outcomes_task() -> int:
    return ask_outcomes()
