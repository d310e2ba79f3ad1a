"""A task that failed for good (retries exhausted, or not retryable): the dead letter."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FailedTask(models.Model):
    task_id = models.CharField(max_length=64, unique=True)
    task_name = models.CharField(_("Tác vụ"), max_length=200, db_index=True)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(_("Hàng đợi"), max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    exception = models.TextField(_("Lỗi"))
    traceback = models.TextField(blank=True)
    failed_at = models.DateTimeField(_("Thời điểm lỗi"), auto_now_add=True, db_index=True)
    requeued_at = models.DateTimeField(_("Đã chạy lại lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-failed_at"]
        verbose_name = _("Tác vụ lỗi")
        verbose_name_plural = _("Tác vụ lỗi")

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id}"
