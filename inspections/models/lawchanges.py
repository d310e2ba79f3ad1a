"""Changes in the law: a catalogue version coming into force, and what it changed per premises."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LawChange(models.Model):
    """One catalogue version coming into force (the switch from the version in force before).

    A version comes into force once (published versions are never withdrawn), so the row is
    unique per ``to_version``: the switch task can run any number of times and processes the
    premises registry once, in batches, resuming after ``cursor`` (the last premises id done).
    """

    from_version = models.ForeignKey(
        "inspections.CatalogueVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phiên bản trước"),
    )
    to_version = models.OneToOneField(
        "inspections.CatalogueVersion",
        on_delete=models.PROTECT,
        related_name="law_change",
        verbose_name=_("phiên bản áp dụng"),
    )
    effective_on = models.DateField(_("ngày áp dụng"))
    cursor = models.PositiveBigIntegerField(default=0)
    premises_done = models.PositiveIntegerField(_("số cơ sở đã tính lại"), default=0)
    premises_changed = models.PositiveIntegerField(_("số cơ sở có thay đổi"), default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thay đổi pháp luật")
        verbose_name_plural = _("thay đổi pháp luật")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        before = self.from_version.label if self.from_version_id else "—"
        return f"{before} → {self.to_version.label} ({self.effective_on})"

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


class PremisesLawChange(models.Model):
    """What a law change changed for one premises: obligations added, removed, changed.

    ``changes`` is a list of {code, title_vi, title_en, change, before, after, cites}; ``change``
    is added / removed / due_changed / status_changed / amended.
    """

    law_change = models.ForeignKey(LawChange, on_delete=models.CASCADE, related_name="premises")
    premises = models.ForeignKey(
        "inspections.Premises", on_delete=models.CASCADE, related_name="law_changes"
    )
    changes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi nghĩa vụ của cơ sở")
        verbose_name_plural = _("thay đổi nghĩa vụ của cơ sở")
        ordering = ["-law_change__effective_on", "premises_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["law_change", "premises"], name="premises_law_change_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.law_change} · {self.premises_id}"
