"""Fixtures of the mobile inspection tests (a pytest plugin of tests/conftest.py)."""

from __future__ import annotations

import pytest

from accounts.models import Membership
from inspections.models import Inspection
from inspections.services import inspections as services
from tests import factories as f
from tests import inspection_factories as inf


@pytest.fixture
def catalogue(db):
    return inf.make_catalogue(3)


@pytest.fixture
def scheduled(catalogue, manager, authority, inspector, premises) -> Inspection:
    inspection, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=inf.device_time().date(),
        inspectors=[inspector],
    )
    return inspection


@pytest.fixture
def in_progress(scheduled, inspector) -> Inspection:
    inspection, _ = services.start_inspection(user=inspector, inspection=scheduled)
    return inspection


@pytest.fixture
def unassigned_inspector(authority):
    user = f.UserFactory(email="unassigned@test.vn", full_name="Đỗ Văn Rảnh")
    f.MembershipFactory(user=user, authority=authority, role=Membership.Role.INSPECTOR)
    return user


@pytest.fixture
def other_head(db):
    user = f.UserFactory(email="other-head@test.vn", full_name="Hoàng Thị Khác")
    f.PremisesFactory(name="Cửa hàng khác", heads=[user])
    return user
