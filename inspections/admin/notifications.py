"""Admin of notifications: the log (read-only, with re-queue), preferences, webhooks, snapshots."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inspections.admin.accounts import SuperuserOnlyAdmin
from inspections.models import (
    ComplianceSnapshot,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "stage",
        "due_on",
        "subject_key",
        "recipient_key",
        "channel",
        "delivery",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "kind", "channel", "delivery", "stage")
    search_fields = ("subject_key", "recipient_key", "user__email", "premises__name", "error")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    raw_id_fields = ("user", "premises", "webhook")
    actions = ["requeue"]
    # The log is evidence of what was sent: nobody edits a row by hand.
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Gửi lại các thông báo lỗi đã chọn"))
    def requeue(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        from inspections.tasks import send_notification

        ids = list(queryset.filter(status=Notification.Status.FAILED).values_list("id", flat=True))
        Notification.objects.filter(pk__in=ids, status=Notification.Status.FAILED).update(
            status=Notification.Status.PENDING, attempts=0, next_attempt_at=None, error=""
        )
        for pk in ids:
            send_notification.delay(pk)
        self.message_user(
            request, _("Đã xếp lại %(n)s thông báo.") % {"n": len(ids)}, messages.INFO
        )


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ("user", "kind", "mode")

    def clean(self) -> dict:
        from inspections.selectors.notifications import allowed_modes

        data = super().clean()
        kind, mode = data.get("kind"), data.get("mode")
        if kind and mode and mode not in allowed_modes(kind):
            # A mandatory legal deadline can be moved to the digest, never switched off.
            raise forms.ValidationError(
                {
                    "mode": _(
                        "Thời hạn theo quy định pháp luật chỉ có thể chuyển sang bản tin, không thể tắt."
                    )
                }
            )
        return data


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(SuperuserOnlyAdmin):
    form = NotificationPreferenceForm
    list_display = ("user", "kind", "mode", "updated_at")
    list_filter = ("kind", "mode")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(SuperuserOnlyAdmin):
    list_display = ("authority", "url", "active", "kinds", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "authority__name")


@admin.register(ComplianceSnapshot)
class ComplianceSnapshotAdmin(SuperuserOnlyAdmin):
    list_display = (
        "authority",
        "period",
        "period_start",
        "period_end",
        "obligated_premises",
        "connected_premises",
        "created_at",
    )
    list_filter = ("period",)
    readonly_fields = [f.name for f in ComplianceSnapshot._meta.fields]
