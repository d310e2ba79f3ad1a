"""The Celery application; tasks are discovered in every installed app's tasks.py."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# The embedded SQLite broker ("sqla+sqlite://..."): kombu's transport with its options fixed.
TRANSPORT_ALIASES["sqla"] = "config.broker:Transport"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("pccc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
