"""Findings raised during an inspection, their remediation cycle and the evidence of a fix."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.inputs import validate_sane_date


class Finding(models.Model):
    """A violation (vi phạm) or recommendation raised during an inspection."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa khắc phục")
        REMEDIATED = "remediated", _("Đã khắc phục, chờ xác nhận")
        CLOSED = "closed", _("Đã xác nhận khắc phục")
        WITHDRAWN = "withdrawn", _("Đã rút")

    # The remediation cycle, in one place (like Inspection.TRANSITIONS): the head reports a fix
    # with evidence, the authority accepts it or sends it back. Services refuse any other move.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.OPEN: (Status.REMEDIATED,),
        Status.REMEDIATED: (Status.CLOSED, Status.OPEN),
        Status.CLOSED: (),
        Status.WITHDRAWN: (),
    }

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.CASCADE, related_name="findings"
    )
    premises = models.ForeignKey(
        "inspections.Premises", on_delete=models.CASCADE, related_name="findings"
    )
    item = models.ForeignKey(
        "inspections.InspectionItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    answer = models.ForeignKey(
        "inspections.Answer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    requirement = models.ForeignKey(
        "inspections.Requirement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    description = models.TextField(_("mô tả vi phạm"))
    severity = models.CharField(_("mức độ"), max_length=16)
    remediation_deadline = models.DateField(
        _("hạn khắc phục"), null=True, blank=True, db_index=True, validators=[validate_sane_date]
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    remediated_at = models.DateTimeField(null=True, blank=True)
    remediation_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The authority's answer to a remediation report: who confirmed or sent it back, and why.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    verified_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    verification_note = models.TextField(_("ý kiến của cơ quan kiểm tra"), blank=True)
    reinspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verified_findings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    content_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("vi phạm / kiến nghị")
        verbose_name_plural = _("vi phạm / kiến nghị")
        ordering = ["remediation_deadline", "id"]
        indexes = [models.Index(fields=["status", "remediation_deadline"], name="finding_due_idx")]

    def __str__(self) -> str:
        return self.description[:80]

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    @property
    def takes_evidence(self) -> bool:
        """Evidence may be added while the finding can still move (open or awaiting checks)."""
        return bool(self.TRANSITIONS.get(self.status))


class FindingEvidence(models.Model):
    """Evidence of remediation uploaded by the facility head (photo or document)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=255)
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
