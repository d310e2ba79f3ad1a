"""Signed inspection records (biên bản)."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_verification_code() -> str:
    # 12 characters of an unambiguous alphabet: typed by hand from a printed page.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Report(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang tạo")
        READY = "ready", _("Sẵn sàng")
        FAILED = "failed", _("Lỗi")

    class Form(models.TextChoices):
        INSPECTION_RECORD = "record", _("Biên bản kiểm tra")
        PC02 = "pc02", _("Biên bản tự kiểm tra (PC02)")
        # Authority inspections print form PC03; "record" stays for records signed before it.
        PC03 = "pc03", _("Biên bản kiểm tra (PC03)")

    inspection = models.OneToOneField(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="report"
    )
    form = models.CharField(max_length=16, choices=Form.choices, default=Form.INSPECTION_RECORD)
    language = models.CharField(max_length=2, default="vi")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    verification_code = models.CharField(max_length=16, unique=True, default=new_verification_code)
    file = models.FileField(upload_to="reports/%Y/%m/", max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    # Unsigned English rendering, made on first request and kept (the record never changes).
    english_copy = models.FileField(upload_to="reports/%Y/%m/", max_length=255, blank=True)
    signer = models.CharField(max_length=500, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Long-term validation (inspections/services/long_term.py): the PAdES level reached, and
    # when the newest archival timestamp's certificate ends (renewed before that date).
    signature_level = models.CharField(max_length=8, blank=True)
    ltv_pending = models.BooleanField(default=False)
    ltv_attempts = models.PositiveIntegerField(default=0)
    ltv_error = models.TextField(blank=True)
    archive_expires_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("biên bản")
        verbose_name_plural = _("biên bản")
        ordering = ["-created_at"]
        indexes = [
            # The long-term sweeps: records still waiting for their upgrade.
            models.Index(
                fields=["ltv_pending"],
                condition=models.Q(ltv_pending=True),
                name="report_ltv_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verification_code} ({self.get_status_display()})"
