"""seed_demo: idempotent, refuses production settings, demo personas see what they should."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import User
from inspections import access
from inspections.management.commands import seed_demo
from tests.signing_fixtures import dev_pki, signing_settings  # noqa: F401

DEMO_USERS = [
    "inspector@demo.test",
    "manager@demo.test",
    "head@demo.test",
    "admin@demo.test",
    "inspector.sonla@demo.test",
    "manager.pccc@demo.test",
]


def counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in ("accounts", "inspections", "auth")
    }


@pytest.fixture(autouse=True)
def development_settings(settings):
    # The test runner switches DEBUG off; the embedded default (make run) has it on.
    settings.DEBUG = True


@pytest.fixture
def only_foundation(monkeypatch):
    monkeypatch.setattr(
        seed_demo, "DEMO_MODULES", ["inspections.demo.accounts", "inspections.demo.premises"]
    )


def test_foundation_parts_are_idempotent(db, only_foundation):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    assert first["inspections.Premises"] >= 40
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == first
    assert "0 created, 0 updated" in out.getvalue()


def test_whole_seed_twice_gives_the_same_counts(db):
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    _dashboard_shows_the_demo()


def _dashboard_shows_the_demo() -> None:
    """The manager's dashboard counters equal the rows, and the map has points to show."""
    import dataclasses

    from django.utils import timezone

    from inspections.models import Premises
    from inspections.selectors.dashboard import jurisdiction_dashboard
    from inspections.selectors.rollups import rollup_dashboard, rollup_scope

    manager = User.objects.get(email="manager@demo.test")
    authorities = access.authorities_of(manager, access.MANAGING_ROLES)
    today = timezone.localdate()
    live = jurisdiction_dashboard(access.premises_managed_by(manager), authorities, on=today)
    rolled = rollup_dashboard(rollup_scope(authorities), authorities, on=today)
    assert dataclasses.asdict(rolled) == dataclasses.asdict(live)
    assert live.never_inspected and live.findings_open and live.roadmap.get("none")
    assert access.premises_managed_by(manager).filter(latitude__isnull=False).count() >= 10
    assert not Premises.objects.filter(external_id__startswith="DEMO-", latitude__isnull=True)


def test_refuses_with_production_settings_unless_forced(db, settings, only_foundation):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert User.objects.filter(email="admin@demo.test", is_superuser=True).exists()


def test_demo_users_and_what_they_see(db, only_foundation):
    call_command("seed_demo", stdout=io.StringIO())
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_USERS)}
    assert set(users) == set(DEMO_USERS)
    assert all(u.check_password("demo-pass-2025") for u in users.values())

    def visible(email: str) -> set[tuple[int, int]]:
        return {
            (p.province_code, p.ward_code)
            for p in access.premises_visible_to(User.objects.get(email=email))
        }

    assert visible("inspector@demo.test") == {(1, 70)}
    assert visible("inspector.sonla@demo.test") == {(14, 3646)}
    assert {p for p, _w in visible("manager.pccc@demo.test")} == {1}  # the whole of Hà Nội
    headed = access.premises_visible_to(User.objects.get(email="head@demo.test"))
    assert 3 <= headed.count() < 10
    assert {p.kind for p in headed} >= {"establishment", "home", "home_business"}
    assert access.premises_visible_to(users["admin@demo.test"]).count() >= 40
    assert users["manager@demo.test"].has_perm("inspections.add_inspection")


def test_registry_covers_every_kind_and_state(db, only_foundation):
    from inspections.models import Premises, PremisesKind

    call_command("seed_demo", stdout=io.StringIO())
    assert set(Premises.objects.values_list("kind", flat=True)) == set(PremisesKind.values)
    assert set(Premises.objects.values_list("alarm_device_state", flat=True)) == {
        "none",
        "installed",
        "connected",
    }
    assert (
        Premises.objects.filter(kind="home", in_infra_deficient_area=True, province_code=1).count()
        >= 2
    )
    assert {14, 1} <= set(Premises.objects.values_list("province_code", flat=True))


def test_inspections_shown_as_signed_have_their_record(
    db,
    signing_settings,  # noqa: F811
    settings,
    tmp_path,
):
    """The head opens a "signed" inspection and finds its checklist results and record."""
    from inspections.models import Inspection, Report

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    signed = Inspection.objects.filter(state=Inspection.State.SIGNED)
    assert signed.filter(premises__heads__email="head@demo.test").exists()
    assert not signed.exclude(report__status=Report.Status.READY).exists()
    for inspection in signed:
        assert inspection.answers.exists(), inspection.number
