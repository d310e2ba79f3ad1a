"""Obligations: a requirement applied to one premises, with its current status."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObligationStatus(models.TextChoices):
    MET = "met", _("Đã đáp ứng")
    NOT_MET = "not_met", _("Chưa đáp ứng")
    UNKNOWN = "unknown", _("Chưa xác định")
    OVERDUE = "overdue", _("Quá hạn")


class Obligation(models.Model):
    premises = models.ForeignKey(
        "inspections.Premises", on_delete=models.CASCADE, related_name="obligations"
    )
    requirement = models.ForeignKey(
        "inspections.Requirement", on_delete=models.CASCADE, related_name="obligations"
    )
    status = models.CharField(
        max_length=16,
        choices=ObligationStatus.choices,
        default=ObligationStatus.UNKNOWN,
        db_index=True,
    )
    due_on = models.DateField(_("hạn"), null=True, blank=True, db_index=True)
    reason_vi = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)
    # Fact names (rules.facts) the head must fill in before an "unknown" duty can be decided:
    # the portal's action list names them and links to the form that fills them.
    missing_facts = models.JSONField(default=list, blank=True)
    source_answer = models.ForeignKey(
        "inspections.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("nghĩa vụ")
        verbose_name_plural = _("nghĩa vụ")
        ordering = ["premises", "requirement__order"]
        constraints = [
            models.UniqueConstraint(fields=["premises", "requirement"], name="obligation_unique")
        ]
        indexes = [
            # The manager dashboard counts obligations by status over a jurisdiction's premises
            # (inspections/selectors/dashboard.py); this lets PostgreSQL answer from the index.
            models.Index(fields=["premises", "status"], name="obligation_premises_status_idx"),
        ]
