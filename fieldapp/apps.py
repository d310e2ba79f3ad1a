"""The inspector's offline app (a Progressive Web App served at /app/)."""

from django.apps import AppConfig


class FieldappConfig(AppConfig):
    name = "fieldapp"
    verbose_name = "Inspector app"
