"""Fixtures of the reminder tests: the published catalogue 2025.1, and a small world with
something due (a finding due in 3 days, an inspection tomorrow, insurance expiring)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import Membership
from inspections.models import Finding, Inspection, TrainingCertificate
from tests import factories as f
from tests import inspection_factories as inf

CATALOGUE = Path(settings.BASE_DIR) / "inspections" / "data" / "catalogue" / "2025.1.yaml"
TODAY = date(2026, 11, 23)


@pytest.fixture
def published_catalogue(db):
    from inspections.selectors.catalogue import current_version
    from inspections.services.catalogue_loading import load_catalogue

    load_catalogue(CATALOGUE, publish=True)
    return current_version()


@pytest.fixture
def world(db, authority, inspector, manager, head, premises):
    """Premises (karaoke in Hoàn Kiếm, head ``head``) with a finding due in 3 days, an
    inspection tomorrow assigned to ``inspector``, insurance expiring in 5 days and a training
    certificate expiring in 20 days; an English-speaking second head."""
    version = inf.make_catalogue(1)
    english = f.UserFactory(email="head-en@test.vn", full_name="John Head", language="en")
    premises.heads.add(english)
    premises.insurance_expires_on = TODAY + timedelta(days=5)
    premises.save()
    inspection = Inspection.objects.create(
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        catalogue_version=version,
        scheduled_for=TODAY + timedelta(days=1),
    )
    inspection.inspectors.add(inspector)
    done = Inspection.objects.create(
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        catalogue_version=version,
        state=Inspection.State.SIGNED,
        scheduled_for=TODAY - timedelta(days=30),
    )
    finding = Finding.objects.create(
        inspection=done,
        premises=premises,
        description="Bình chữa cháy tầng 2 hết hạn kiểm định",
        severity="major",
        remediation_deadline=TODAY + timedelta(days=3),
    )
    late = Finding.objects.create(
        inspection=done,
        premises=premises,
        description="Lối thoát nạn tầng 3 bị chắn",
        severity="critical",
        remediation_deadline=TODAY - timedelta(days=2),
    )
    cert = TrainingCertificate.objects.create(
        premises=premises, holder_name="Lê Thị Chủ", expires_on=TODAY + timedelta(days=20)
    )
    return {
        "premises": premises,
        "inspection": inspection,
        "finding": finding,
        "late_finding": late,
        "certificate": cert,
        "english": english,
        "head": head,
        "inspector": inspector,
        "manager": manager,
        "authority": authority,
    }


def make_manager(authority, email: str, language: str = "vi"):
    user = f.UserFactory(email=email, language=language)
    f.MembershipFactory(user=user, authority=authority, role=Membership.Role.MANAGER)
    return user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Personas are created with a password; the production hasher costs ~0.5 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
