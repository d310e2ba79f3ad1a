"""Collecting training-certificate reminders: expiring certificates, unless already renewed."""

from __future__ import annotations

from datetime import timedelta

from inspections.models import TrainingCertificate
from inspections.services.reminders.certificates import certificate_reminders
from inspections.services.reminders.jurisdictions import Jurisdictions

from .conftest import TODAY


def collect():
    # Worded, as the sweep words a reminder it records.
    return [
        r.reminder()
        for page in certificate_reminders(TODAY, Jurisdictions.load(), 100)
        for r in page
    ]


def test_a_certificate_expiring_within_30_days_reminds_the_heads(world):
    (r,) = collect()
    assert (r.kind, r.subject_key, r.stage) == (
        "training_expiry",
        f"certificate:{world['certificate'].pk}",
        "t30",
    )
    assert sorted(r.user_ids) == sorted([world["head"].pk, world["english"].pk])
    assert r.title_vi == f"Chứng nhận huấn luyện PCCC sắp hết hạn: Lê Thị Chủ ({r.premises_name})"


def test_a_holder_with_a_newer_valid_certificate_needs_no_reminder(world):
    TrainingCertificate.objects.create(
        premises=world["premises"], holder_name="Lê Thị Chủ", expires_on=TODAY + timedelta(days=400)
    )
    assert collect() == []
    # Someone else's newer certificate does not count.
    TrainingCertificate.objects.filter(expires_on__gt=TODAY + timedelta(days=30)).update(
        holder_name="Người khác"
    )
    assert len(collect()) == 1
