"""The task worker's application (Celery). Its settings are Django's CELERY_* settings; the
tasks are each app's `tasks.py`. Run a worker and beat as the README says; with no broker set,
tasks run in the web process (CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
