"""update_premises_facts / create_premises: validation, audit trail, obligations refreshed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from inspections.models import Obligation, PremisesChange
from inspections.services.premises import create_premises, update_premises_facts
from tests import factories as f


def test_change_is_saved_and_audited_with_old_and_new(premises, manager):
    change = update_premises_facts(
        premises,
        user=manager,
        changes={"floors": "5", "floor_area_m2": "650.50", "alarm_device_state": "installed"},
        source="portal",
    )
    premises.refresh_from_db()
    assert premises.floors == 5
    assert premises.floor_area_m2 == Decimal("650.50")
    assert change.changed_by == manager
    assert change.source == "portal"
    assert change.changes == {
        "floors": [3, 5],
        "floor_area_m2": ["400", "650.5"],
        "alarm_device_state": ["none", "installed"],
    }


def test_same_values_change_nothing(premises, manager):
    before = premises.updated_at
    assert (
        update_premises_facts(
            premises, user=manager, changes={"floors": 3, "floor_area_m2": "400.00"}, source="x"
        )
        is None
    )
    premises.refresh_from_db()
    assert premises.updated_at == before
    assert not PremisesChange.objects.exists()


def test_invalid_ward_is_refused_and_nothing_changes(premises, manager):
    with pytest.raises(ValidationError) as exc:
        update_premises_facts(premises, user=manager, changes={"ward_code": 3646}, source="x")
    assert "ward_code" in exc.value.message_dict
    assert premises.ward_code == 70  # restored in memory
    premises.refresh_from_db()
    assert premises.ward_code == 70
    assert not PremisesChange.objects.exists()


def test_unknown_or_bookkeeping_fields_are_refused(premises, manager):
    with pytest.raises(ValidationError) as exc:
        update_premises_facts(
            premises, user=manager, changes={"created_at": dt.date(2020, 1, 1)}, source="x"
        )
    assert "created_at" in exc.value.message_dict


def test_bad_number_names_the_field(premises, manager):
    with pytest.raises(ValidationError) as exc:
        update_premises_facts(premises, user=manager, changes={"floors": "ba"}, source="x")
    assert "floors" in exc.value.message_dict


def test_heads_change_is_audited_by_email(premises, head, manager):
    new_head = f.UserFactory(email="chu-moi@test.vn")
    change = update_premises_facts(
        premises, user=manager, changes={"heads": [head, new_head]}, source="admin"
    )
    assert set(premises.heads.all()) == {head, new_head}
    assert change.changes == {"heads": [["head@test.vn"], ["chu-moi@test.vn", "head@test.vn"]]}


def test_create_registers_and_audits(manager):
    premises = create_premises(
        user=manager,
        data={
            "kind": "home_business",
            "name": "Tạp hóa Minh Anh",
            "province_code": 1,
            "ward_code": 70,
            "floors": "2",
        },
        source="admin",
    )
    change = premises.changes.get()
    assert change.changes["name"] == [None, "Tạp hóa Minh Anh"]
    assert change.changes["floors"] == [None, 2]


def test_obligations_follow_the_facts(published_catalogue, manager):
    premises = create_premises(
        user=manager,
        data={
            "kind": "establishment",
            "name": "Karaoke Ánh Sao",
            "province_code": 1,
            "ward_code": 70,
            "occupancy_category": "karaoke",
            "floors": 3,
            "floor_area_m2": "300",
            "volume_m3": "1200",
        },
        source="admin",
    )

    def alarm_status() -> str:
        return Obligation.objects.get(premises=premises, requirement__code="L55-23.1.c").status

    before = alarm_status()
    update_premises_facts(
        premises,
        user=manager,
        changes={
            "alarm_device_state": "connected",
            "alarm_device_id": "TB-0001",
            "alarm_connected_on": "2026-01-15",
            "fire_data_declared_on": "2026-01-20",
        },
        source="portal",
    )
    assert (before, alarm_status()) == ("not_met", "met")


def test_the_service_checks_who_changes_and_where(premises, manager, other_authority, head):
    """The admin, the import and the portal call this service: it refuses on its own."""
    from django.core.exceptions import PermissionDenied

    from accounts.models import Membership

    manager_b = f.UserFactory(email="manager-b@test.vn")
    f.MembershipFactory(user=manager_b, authority=other_authority, role=Membership.Role.MANAGER)
    with pytest.raises(PermissionDenied):
        update_premises_facts(premises, user=manager_b, changes={"floors": 9}, source="x")
    # Moving premises to another province's ward: outside what the manager manages.
    with pytest.raises(ValidationError) as exc:
        update_premises_facts(
            premises,
            user=manager,
            changes={"province_code": f.SON_LA_PROVINCE, "ward_code": f.SON_LA_WARD},
            source="x",
        )
    assert "ward_code" in exc.value.message_dict
    premises.refresh_from_db()
    assert premises.province_code == 1 and not PremisesChange.objects.exists()
    with pytest.raises(ValidationError):
        create_premises(
            user=manager,
            data={
                "kind": "home",
                "name": "Nhà ngoài địa bàn",
                "province_code": f.SON_LA_PROVINCE,
                "ward_code": f.SON_LA_WARD,
            },
            source="admin",
        )
    # The head keeps editing their own facts.
    assert update_premises_facts(premises, user=head, changes={"floors": 4}, source="portal")
