"""Notifications: every reminder or summary is a row first, sent exactly once per unique key."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    INSPECTION_DUE = "inspection_due", _("Đợt kiểm tra được phân công sắp đến hạn / quá hạn")
    FINDING_DEADLINE = "finding_deadline", _("Hạn khắc phục vi phạm")
    FINDING_OVERDUE_MANAGER = "finding_overdue_manager", _("Vi phạm quá hạn khắc phục (quản lý)")
    ALARM_ROADMAP = "alarm_roadmap", _("Lộ trình thiết bị truyền tin báo cháy")
    INSURANCE_EXPIRY = "insurance_expiry", _("Bảo hiểm cháy, nổ bắt buộc sắp hết hạn")
    TRAINING_EXPIRY = "training_expiry", _("Chứng nhận huấn luyện PCCC sắp hết hạn")
    DRILL_DUE = "drill_due", _("Thực tập phương án chữa cháy định kỳ")
    SELF_INSPECTION_DUE = "self_inspection_due", _("Tự kiểm tra PCCC định kỳ")
    REGULAR_CHECK_DUE = "regular_check_due", _("Tự kiểm tra PCCC thường xuyên")
    PC04_REPORT_DUE = "pc04_report_due", _("Báo cáo kết quả công tác PCCC (mẫu PC04)")
    DATA_DECLARATION_DUE = "data_declaration_due", _("Khai báo dữ liệu PCCC lần đầu")
    FINDING_VERIFIED = "finding_verified", _("Kết quả xác nhận khắc phục vi phạm")
    INSPECTION_NOTICE = "inspection_notice", _("Thông báo kiểm tra định kỳ")
    LAW_CHANGE = "law_change", _("Thay đổi pháp luật: nghĩa vụ của cơ sở")
    LAW_CHANGE_SUMMARY = "law_change_summary", _("Thay đổi pháp luật: tổng hợp theo địa bàn")
    SUMMARY_WEEKLY = "summary_weekly", _("Báo cáo tổng hợp tuân thủ hằng tuần")
    SUMMARY_MONTHLY = "summary_monthly", _("Báo cáo tổng hợp tuân thủ hằng tháng")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Gửi ngay")
    DIGEST = "digest", _("Gộp vào bản tin tổng hợp")
    OFF = "off", _("Tắt")


class PayloadField(models.JSONField):
    """JSON whose bulk inserts are plain VALUES rows on PostgreSQL.

    Django inserts many rows through UNNEST(array) there; psycopg then quotes every JSON
    document inside an array literal with a Python regex, about 2 ms a row for a reminder's
    payload (profiled in bench/bench_reminders.py). A placeholder method opts the field out.
    """

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"


class Notification(models.Model):
    """One reminder to one recipient on one channel.

    The unique key is (kind, subject, due date, stage, recipient, channel): the sweep may
    propose the same reminder any number of times, the database keeps one row, and the row is
    claimed by a conditional update before it is sent. ``stage`` (T-14, T-3, overdue ...) is
    part of the key because one deadline legitimately gives several reminders.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Lỗi")

    kind = models.CharField(_("loại"), max_length=32, choices=NotificationKind.choices)
    subject_key = models.CharField(
        _("đối tượng"), max_length=64, help_text="e.g. finding:12, premises:7, authority:3"
    )
    due_on = models.DateField(_("hạn"))
    stage = models.CharField(_("mốc nhắc"), max_length=16, help_text="t14, t3, overdue ...")
    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    recipient_key = models.CharField(max_length=64, help_text="user:<id> or webhook:<id>")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    webhook = models.ForeignKey(
        "inspections.WebhookEndpoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    premises = models.ForeignKey(
        "inspections.Premises",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    delivery = models.CharField(
        _("cách gửi"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    payload = PayloadField(_("nội dung"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("nhật ký thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "due_on", "stage", "recipient_key", "channel"],
                name="notification_unique_key",
            )
        ]
        indexes = [
            # The sender's query (services/notifications.py::deliver_pending): pending or stale
            # sending rows only, a small share of the table once it has grown.
            models.Index(
                fields=["delivery", "status", "id"],
                name="notification_todo_idx",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.subject_key} · {self.due_on} · {self.stage} → {self.recipient_key}"


class NotificationPreference(models.Model):
    """How a user receives one kind of notification. No row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("loại"), max_length=32, choices=NotificationKind.choices)
    mode = models.CharField(_("cách nhận"), max_length=16, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tùy chọn nhận thông báo")
        verbose_name_plural = _("tùy chọn nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.mode}"


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    """An authority's system that receives notifications as signed JSON (HMAC-SHA256)."""

    authority = models.ForeignKey(
        "accounts.Authority", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("địa chỉ nhận"), max_length=500)
    secret = models.CharField(_("khóa ký HMAC"), max_length=128, default=new_webhook_secret)
    active = models.BooleanField(_("đang dùng"), default=True)
    kinds = models.JSONField(
        _("loại thông báo"),
        default=list,
        blank=True,
        help_text=_("Để trống để nhận mọi loại thông báo của cơ quan."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook của cơ quan")
        verbose_name_plural = _("webhook của cơ quan")
        ordering = ["authority", "id"]

    def __str__(self) -> str:
        return f"{self.authority} → {self.url}"

    def wants(self, kind: str) -> bool:
        return self.active and (not self.kinds or kind in self.kinds)


class ComplianceSnapshot(models.Model):
    """Figures of one compliance summary, kept so the next one can show the trend."""

    authority = models.ForeignKey(
        "accounts.Authority", on_delete=models.CASCADE, related_name="compliance_snapshots"
    )
    period = models.CharField(max_length=16)  # weekly / monthly
    period_start = models.DateField()
    period_end = models.DateField()
    obligated_premises = models.PositiveIntegerField(default=0)
    connected_premises = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("số liệu báo cáo tuân thủ")
        verbose_name_plural = _("số liệu báo cáo tuân thủ")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "period", "period_end"], name="snapshot_unique_period"
            )
        ]

    @property
    def connected_share(self) -> float:
        return self.connected_premises / self.obligated_premises if self.obligated_premises else 0.0


class DigestLog(models.Model):
    """One daily digest of one person: the row is inserted before the e-mail is sent, and the
    unique (user, day) key lets only one worker, one beat run or one manual run send it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_logs"
    )
    day = models.DateField(_("ngày"))
    reminders = models.PositiveIntegerField(_("số nội dung"), default=0)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bản tin tổng hợp đã gửi")
        verbose_name_plural = _("bản tin tổng hợp đã gửi")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_user_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.day}"
