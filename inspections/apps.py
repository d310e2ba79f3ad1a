from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Kiểm tra PCCC")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the access-change receivers)
