"""Catalogue 2025.2: the head's Decree 105 duties (PC04 report, first data declaration) reach the
reminder sweep with the dates the catalogue computes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from inspections.models import Notification
from inspections.services.reminders.sweep import run_sweep
from tests import factories as f

CATALOGUE = Path(settings.BASE_DIR) / "inspections" / "data" / "catalogue" / "2025.2.yaml"


@pytest.fixture
def catalogue_2025_2(db):
    from inspections.services.catalogue_loading import load_catalogue

    return load_catalogue(CATALOGUE, publish=True).version


def test_pc04_report_reminder_before_15_december(catalogue_2025_2, head):
    # A two-floor hotel: Appendix I item 14; last PC04 report in June answered the June deadline.
    f.PremisesFactory(
        name="Nhà nghỉ Hai Tầng", occupancy_category="hotel", floors=2, floor_area_m2=120,
        last_pc04_report_on=date(2026, 6, 10), heads=[head],
    )  # fmt: skip
    # 7 days before the last allowed day, 14 December: in the day's digest.
    run_sweep(today=date(2026, 12, 7), digests=True)
    row = Notification.objects.get(kind="pc04_report_due")
    assert row.due_on == date(2026, 12, 14) and row.stage == "t7"
    assert any("PC04" in m.body for m in mail.outbox if head.email in m.to)


def test_first_declaration_reminder_only_while_not_declared(catalogue_2025_2, head):
    premises = f.PremisesFactory(
        name="Khách sạn Kết Nối", occupancy_category="hotel", floors=2, floor_area_m2=120,
        alarm_device_state="connected", alarm_connected_on=date(2026, 12, 1), heads=[head],
    )  # fmt: skip
    run_sweep(today=date(2026, 12, 2))
    row = Notification.objects.get(kind="data_declaration_due")
    assert row.due_on == date(2026, 12, 4)
    premises.fire_data_declared_on = date(2026, 12, 3)
    premises.save()
    run_sweep(today=date(2026, 12, 10))  # would be overdue, but the data is declared
    assert Notification.objects.filter(kind="data_declaration_due").count() == 1
