"""Rolled-up counters of the manager dashboard and summaries, and each premises' share of them."""

from __future__ import annotations

import datetime as dt

from django.db import models

# Counters that carry no date use this day: a unique constraint treats NULLs as distinct,
# so the upsert (ON CONFLICT) would never find the row again.
NO_DAY = dt.date(1, 1, 1)


class RollupCell(models.Model):
    """How many ``metric`` rows with ``key`` fall in one ward and premises kind (and day).

    Kept exact by ``inspections.services.rollups`` (a delta per changed premises), rebuilt
    nightly; the dashboard sums a few hundred of these instead of the whole province's rows.
    ``day`` is the date the figure is compared with (remediation deadline, planned day,
    submission day, periodic due date); ``authority_id`` is 0 unless the metric is about an
    authority's inspections.
    """

    metric = models.CharField(max_length=24)
    province_code = models.PositiveIntegerField()
    ward_code = models.PositiveIntegerField()
    premises_kind = models.CharField(max_length=32)
    key = models.CharField(max_length=32, blank=True)
    day = models.DateField(default=NO_DAY)
    authority_id = models.PositiveIntegerField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "rollup cell"
        constraints = [
            # Also the index of every dashboard read: metric, then the jurisdiction.
            models.UniqueConstraint(
                fields=[
                    "metric",
                    "province_code",
                    "ward_code",
                    "premises_kind",
                    "key",
                    "day",
                    "authority_id",
                ],
                name="rollup_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric}/{self.key} {self.ward_code} {self.premises_kind}: {self.n}"


class RollupShare(models.Model):
    """What one premises adds to the counters now: the ``before`` of its next delta.

    ``cells`` is ``[[metric, key, day (ISO or ""), authority_id, n], ...]`` under the
    premises' ``province``/``ward``/``kind`` as they were when the share was taken.
    """

    premises = models.OneToOneField(
        "inspections.Premises", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    province_code = models.PositiveIntegerField()
    ward_code = models.PositiveIntegerField()
    premises_kind = models.CharField(max_length=32)
    cells = models.JSONField(default=list)

    class Meta:
        verbose_name = "rollup share"

    def __str__(self) -> str:
        return f"share of premises {self.premises_id}"
