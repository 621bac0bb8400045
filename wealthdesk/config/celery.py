"""The Celery application (issue 16: background work on an existing engine).

Workers start with ``celery -A wealthdesk.config worker`` and the schedule with ``celery -A wealthdesk.config
beat``; both read Django's settings (``CELERY_*``). Without ``CELERY_BROKER_URL`` nothing here is needed: the jobs
run inline in the request or command that asked for them (``wealthdesk.jobs.services.enqueue``), so ``make run`` on
SQLite needs no broker.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")

app = Celery("wealthdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
