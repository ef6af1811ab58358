"""Celery app. Tasks run eagerly (in-process) unless REDIS_URL is set and CELERY_EAGER=false."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onconav.config.settings")

app = Celery("onconav")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
