"""Dead-letter view: failed tasks, their error and arguments; re-queue after fixing the cause."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ops.dead_letters import requeue_failed_task
from ops.models import FailedTask


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = ("failed_at", "task_name", "queue", "exception", "requeued_at")
    list_filter = ("task_name", "queue")
    search_fields = ("task_id", "request_id", "exception")
    date_hierarchy = "failed_at"
    actions = ["requeue"]
    readonly_fields = [f.name for f in FailedTask._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Chạy lại các tác vụ đã chọn"), permissions=["requeue"])
    def requeue(self, request, queryset) -> None:
        count = 0
        for failed in queryset:
            requeue_failed_task(failed)
            count += 1
        self.message_user(
            request,
            ngettext("Đã chạy lại %d tác vụ.", "Đã chạy lại %d tác vụ.", count) % count,
            messages.SUCCESS,
        )

    def has_requeue_permission(self, request) -> bool:
        return request.user.is_superuser
