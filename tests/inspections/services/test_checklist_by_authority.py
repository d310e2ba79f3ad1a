"""Decree 105 Art. 13.2: an inspection's checklist holds the Art. 13.1 points its inspector checks."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Authority, Membership
from inspections.models import Inspection
from inspections.services import checklists
from inspections.services.inspections import create_inspection, start_unplanned_inspection
from tests import factories as f

pytestmark = pytest.mark.django_db


def _inspection(premises, kind: str, *, published_catalogue) -> Inspection:
    authority = f.AuthorityFactory(kind=kind)
    manager = f.UserFactory()
    f.MembershipFactory(user=manager, authority=authority, role=Membership.Role.MANAGER)
    inspection, _ = create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.UNANNOUNCED,
        scheduled_for=date(2026, 12, 1),
        cap_override_reason="Dấu hiệu vi phạm",
        unannounced_reason="Phản ánh của người dân về lối thoát nạn bị khóa",
    )
    return inspection


def _points(inspection) -> list[set[str]]:
    out = []
    for item in inspection.items.all():
        out.append(
            {
                c["point"]
                for c in item.citations
                if c["document"] == "105/2025/NĐ-CP" and c["article"] == 13
            }
        )
    return out


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        (Authority.Kind.FIRE_POLICE, {"a", "c", "d", "đ"}),
        (Authority.Kind.CONSTRUCTION, {"g", "h"}),
        (Authority.Kind.COMMUNE_COMMITTEE, {"a", "c", "d", "đ", "g", "h", "n"}),
    ],
)
def test_authority_checklist_holds_exactly_its_points(published_catalogue, premises, kind, allowed):
    inspection = _inspection(premises, kind, published_catalogue=published_catalogue)
    codes = list(inspection.items.values_list("code", flat=True))
    assert codes
    for points in _points(inspection):
        # Every item cites its Decree 105 Art. 13.1 points, and one of them is the inspector's.
        assert points and points & allowed
    # Exactly: every applicable requirement of those points is there.
    template = checklists.template_for(published_catalogue, premises.kind)
    expected = [
        i["code"]
        for i in checklists.applicable_items(template, premises)
        if set(i["decree_points"]) & allowed
    ]
    assert codes == expected


def test_police_and_construction_split_the_escape_route(published_catalogue, premises):
    police = _inspection(
        premises, Authority.Kind.FIRE_POLICE, published_catalogue=published_catalogue
    )
    builder = _inspection(
        premises, Authority.Kind.CONSTRUCTION, published_catalogue=published_catalogue
    )
    police_codes = set(police.items.values_list("code", flat=True))
    builder_codes = set(builder.items.values_list("code", flat=True))
    assert "L55-23.1.b" in police_codes and "L55-23.1.b" not in builder_codes
    assert "L55-23.1.d-16.1.c" in builder_codes and "L55-23.1.d-16.1.c" not in police_codes


def test_household_self_check_uses_the_household_set(published_catalogue, head):
    home = f.PremisesFactory(kind="home", occupancy_category="", floors=3, floor_area_m2=90,
                             heads=[head])  # fmt: skip
    inspection, _ = start_unplanned_inspection(
        user=head, premises=home, client_uuid=uuid.uuid4(), kind=Inspection.Kind.SELF
    )
    codes = set(inspection.items.values_list("code", flat=True))
    assert "L55-20.2.b" in codes  # o: escape route
    assert "L55-8.6.b" not in codes  # n only: reminding the family is not self-checked
    for points in _points(inspection):
        assert points & {"c", "d", "đ", "e", "o"}


def test_started_inspection_keeps_its_frozen_checklist(published_catalogue, premises):
    inspection = _inspection(
        premises, Authority.Kind.FIRE_POLICE, published_catalogue=published_catalogue
    )
    before = list(inspection.items.values_list("code", flat=True))
    premises.hosts_other_organisations = True
    premises.save()
    assert [i.code for i in checklists.freeze_items(inspection)] == before


def test_export_and_api_carry_the_decree_points(published_catalogue, api_client, inspector):
    from inspections.selectors.catalogue import export_catalogue
    from tests.conftest import authed

    exported = {r["code"]: r for r in export_catalogue(published_catalogue)["requirements"]}
    assert exported["L55-23.1.d-16.1.c"]["decree_points"] == ["h", "o"]
    assert all(r["decree_points"] for r in exported.values())
    body = (
        authed(api_client, inspector)
        .get(reverse("api:requirements"), {"premises_kind": "home_business", "page_size": 200})
        .json()
    )
    points = {r["code"]: r["decree_points"] for r in body["results"]}
    assert points["L55-21.1.c"] == ["p", "n"]


def test_publishing_refuses_points_outside_art_13_1(published_catalogue):
    from inspections.services.catalogue import clone_version, validate_version

    draft = clone_version(published_catalogue, label="2025.2-points")
    assert validate_version(draft) == []
    requirement = draft.requirements.get(code="L55-23.1.b")
    requirement.decree_points = ["c", "z"]
    requirement.save()
    assert any(
        e.startswith("L55-23.1.b:") and "decree_points" in e for e in validate_version(draft)
    )
