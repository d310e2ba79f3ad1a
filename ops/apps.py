"""Operations app: connects the dead-letter recorder to Celery's failure signal."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("Vận hành")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from config import request_id  # noqa: F401  (connects the task signals)
        from ops import dead_letters  # noqa: F401  (connects the signal)
