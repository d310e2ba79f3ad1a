"""The lists behind the dashboard's numbers, the workload against capacity, the map's points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from inspections.models import AlarmDeviceState, Finding, Inspection, Premises
from inspections.services.obligations import refresh_obligations
from inspections.services.rollups import premises_changed
from tests import factories as f
from tests.portal.conftest import make_inspection


def totals(client, **params) -> int:
    response = client.get(reverse("portal:premises_list"), params)
    assert response.status_code == 200
    return response.context["listing"].page.paginator.count


def test_each_compliance_state_lists_the_premises_the_dashboard_counts(
    client, manager, authority, catalogue, premises
):
    today = timezone.localdate()
    connected = f.PremisesFactory(
        name="Karaoke đã kết nối", alarm_device_state=AlarmDeviceState.CONNECTED
    )
    for p in (premises, connected):
        refresh_obligations(p)
    past = make_inspection(
        premises, authority, catalogue, submitted_at=timezone.now() - dt.timedelta(days=800)
    )
    Finding.objects.create(
        inspection=past,
        premises=premises,
        description="Lối thoát nạn bị khóa",
        severity="major",
        remediation_deadline=today - dt.timedelta(days=5),
    )
    premises_changed([premises.pk])  # the rows above were written directly
    f.PremisesFactory(name="Cơ sở Sơn La", province_code=f.SON_LA_PROVINCE, ward_code=f.SON_LA_WARD)
    client.force_login(manager)
    d = client.get(reverse("portal:dashboard")).context["d"]

    expected = {
        "never_inspected": d.never_inspected,
        "periodic_overdue": d.periodic_overdue,
        "periodic_due_month": d.periodic_due_month,
        "device_none": d.roadmap["none"],
        "overdue_findings": d.findings_overdue,
        "overdue_obligations": d.obligation_premises["overdue"],
    }
    assert expected["never_inspected"] == 1  # the connected karaoke (Sơn La is not ours)
    assert expected["periodic_overdue"] == 1  # inspected 800 days ago
    assert expected["overdue_findings"] == 1
    for state, n in expected.items():
        assert totals(client, state=state) == n, state
    for status, n in d.obligation_premises.items():
        assert totals(client, obligation=status) == n, status
    for state, n in d.roadmap.items():
        assert totals(client, device=state) == n, state
    # Sorting by compliance state puts the premises with an overdue finding first.
    rows = client.get(reverse("portal:premises_list"), {"sort": "state"}).context["rows"]
    assert rows[0].pk == premises.pk and rows[0].state == "overdue"
    # A value outside the choices is a form error, not a 500 nor a silent "everything".
    response = client.get(reverse("portal:premises_list"), {"state": "nonsense"})
    assert response.status_code == 200 and response.context["form"].errors


def test_findings_by_age_link_to_the_same_count(client, manager, authority, catalogue, premises):
    today = timezone.localdate()
    inspection = make_inspection(premises, authority, catalogue)
    for days in (10, -5, -45, -120, -200):
        Finding.objects.create(
            inspection=inspection,
            premises=premises,
            description=f"Vi phạm {days}",
            severity="major",
            remediation_deadline=today + dt.timedelta(days=days),
        )
    premises_changed([premises.pk])
    client.force_login(manager)
    d = client.get(reverse("portal:dashboard")).context["d"]
    assert d.findings_by_age == {"not_due": 1, "30": 1, "90": 1, "more": 2}
    for age, n in d.findings_by_age.items():
        listing = client.get(reverse("portal:findings"), {"status": "open", "age": age})
        assert listing.context["listing"].page.paginator.count == n, age


def test_assignment_form_shows_workload_against_capacity(
    client, manager, authority, inspector, catalogue, premises
):
    authority.inspector_capacity = 1
    authority.save()
    for day in (3, 4):
        i = make_inspection(
            premises,
            authority,
            catalogue,
            state=Inspection.State.SCHEDULED,
            scheduled_for=timezone.localdate() + dt.timedelta(days=day),
            submitted_at=None,
        )
        i.inspectors.add(inspector)
    client.force_login(manager)
    page = client.get(reverse("portal:inspection_assign", args=[i.pk])).content.decode()
    assert "Trần Thị Kiểm — đang mở 2/1 (vượt mức tải)" in page
    workload = client.get(reverse("portal:planning")).context["workload"]
    assert [(u.n_open, u.capacity, u.over_capacity) for u in workload if u == inspector] == [
        (2, 1, True)
    ]


def test_map_only_with_a_tile_url_and_only_own_premises(
    client, manager, outsider, catalogue, premises, other_premises, settings
):
    for p in (premises, other_premises):
        Premises.objects.filter(pk=p.pk).update(
            latitude=Decimal("21.028"), longitude=Decimal("105.85")
        )
    client.force_login(manager)
    settings.PORTAL_MAP_TILE_URL = ""
    assert b'id="premises-map"' not in client.get(reverse("portal:dashboard")).content
    settings.PORTAL_MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert 'id="premises-map"' in page and "leaflet/leaflet.js" in page
    points = client.get(reverse("portal:premises_map")).json()["points"]
    assert [p["name"] for p in points] == [premises.name]  # not the other authority's
    client.force_login(outsider)
    assert client.get(reverse("portal:premises_map")).status_code == 403


def test_planning_lists_the_never_inspected_first_then_the_longest_uninspected(
    client, manager, authority, catalogue
):
    now = timezone.now()
    recent, old, never = (
        f.PremisesFactory(name="Cơ sở kiểm tra gần đây"),
        f.PremisesFactory(name="Cơ sở kiểm tra đã lâu"),
        f.PremisesFactory(name="Cơ sở chưa kiểm tra"),
    )
    make_inspection(recent, authority, catalogue, submitted_at=now - dt.timedelta(days=20))
    make_inspection(old, authority, catalogue, submitted_at=now - dt.timedelta(days=700))
    # A self-inspection is not the authority's: it leaves "never inspected" as it is.
    make_inspection(never, authority, catalogue, kind=Inspection.Kind.SELF)
    premises_changed([recent.pk, old.pk, never.pk])
    client.force_login(manager)

    def order(**params) -> list[str]:
        rows = client.get(reverse("portal:planning"), params).context["rows"]
        return [p.name for p in rows]

    assert order() == [never.name, old.name, recent.name]
    assert order(sort="-last") == [recent.name, old.name, never.name]
    # The page still shows the time of the last visit, not only its day.
    rows = client.get(reverse("portal:planning")).context["rows"]
    assert [r.last_inspected_at for r in rows][1] == old.inspections.get().submitted_at
