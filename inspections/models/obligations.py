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
    # No single-column indexes: each of these leads one of the composite indexes below, which
    # serve the same lookups, and every index is one more write per row of the daily refresh.
    premises = models.ForeignKey(
        "inspections.Premises",
        on_delete=models.CASCADE,
        related_name="obligations",
        db_index=False,
    )
    requirement = models.ForeignKey(
        "inspections.Requirement",
        on_delete=models.CASCADE,
        related_name="obligations",
        db_index=False,
    )
    status = models.CharField(
        max_length=16, choices=ObligationStatus.choices, default=ObligationStatus.UNKNOWN
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
            # The portal's drill-down lists count the premises with an obligation in a status,
            # or under the roadmap requirement, from the index alone (no row fetched).
            models.Index(fields=["status", "premises"], name="obligation_status_prem_idx"),
            models.Index(fields=["requirement", "premises"], name="obligation_req_premises_idx"),
        ]
