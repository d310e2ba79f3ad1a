"""A small jurisdiction with known figures: two wards, inspections, findings, obligations."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from inspections.models import (
    AlarmDeviceState,
    Finding,
    Inspection,
    Obligation,
    ObligationStatus,
    PremisesKind,
)
from inspections.services.rollups import rebuild_rollups
from tests import factories as f
from tests import inspection_factories as inf

CUA_NAM_WARD = 73  # Phường Cửa Nam, Hà Nội
ON = dt.date(2026, 11, 25)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def district(db):
    """Authority over Hoàn Kiếm and Cửa Nam; a premises outside it must never be counted."""
    authority = f.AuthorityFactory(ward_codes=[f.HOAN_KIEM_WARD, CUA_NAM_WARD])
    version = inf.make_catalogue(2)
    roadmap, other = list(version.requirements.order_by("order"))
    roadmap.deadline_rule = {"type": "roadmap", "track": "alarm_device"}
    roadmap.save(update_fields=["deadline_rule"])

    hotel = f.PremisesFactory(alarm_device_state=AlarmDeviceState.CONNECTED)
    karaoke = f.PremisesFactory(alarm_device_state=AlarmDeviceState.NONE)
    home = f.PremisesFactory(kind=PremisesKind.HOME, ward_code=CUA_NAM_WARD)
    outside = f.PremisesFactory(province_code=f.SON_LA_PROVINCE, ward_code=f.SON_LA_WARD)
    for p in (hotel, karaoke, outside):
        Obligation.objects.create(premises=p, requirement=roadmap, status=ObligationStatus.MET)
    Obligation.objects.create(premises=hotel, requirement=other, status=ObligationStatus.MET)
    Obligation.objects.create(premises=karaoke, requirement=other, status=ObligationStatus.OVERDUE)

    def inspection(premises, state, scheduled_for, submitted_at=None, by=authority):
        return Inspection.objects.create(
            premises=premises,
            authority=by,
            kind=Inspection.Kind.PERIODIC,
            state=state,
            catalogue_version=version,
            scheduled_for=scheduled_for,
            submitted_at=submitted_at,
        )

    done = inspection(
        hotel, Inspection.State.SIGNED, ON - dt.timedelta(days=3), _at(ON - dt.timedelta(days=2))
    )
    late = inspection(karaoke, Inspection.State.SCHEDULED, ON - dt.timedelta(days=1))
    soon = inspection(home, Inspection.State.SCHEDULED, ON + dt.timedelta(days=5))
    inspection(home, Inspection.State.CANCELLED, ON + dt.timedelta(days=6))
    elsewhere = inspection(outside, Inspection.State.SCHEDULED, ON, by=f.AuthorityFactory())

    def finding(status, deadline, closed_at=None):
        return Finding.objects.create(
            inspection=done,
            premises=hotel,
            requirement=other,
            description="Bình chữa cháy hết hạn",
            severity="major",
            remediation_deadline=deadline,
            status=status,
            closed_at=closed_at,
        )

    finding(Finding.Status.OPEN, ON - dt.timedelta(days=1))  # overdue
    finding(Finding.Status.OPEN, ON + dt.timedelta(days=30))
    finding(Finding.Status.REMEDIATED, ON - dt.timedelta(days=10))
    finding(
        Finding.Status.CLOSED, ON - dt.timedelta(days=20), closed_at=_at(ON - dt.timedelta(days=4))
    )
    # The rows above are made directly, not through the services that keep the rolled-up
    # counters exact; the summary reads those counters, so recount them as the nightly job does.
    rebuild_rollups()
    return SimpleNamespace(
        authority=authority,
        hotel=hotel,
        karaoke=karaoke,
        home=home,
        outside=outside,
        done=done,
        late=late,
        soon=soon,
        elsewhere=elsewhere,
    )
