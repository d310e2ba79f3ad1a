"""The manager dashboard's figures and the inspectors' workload, over a known jurisdiction."""

from __future__ import annotations

import datetime as dt

from accounts.models import Membership
from inspections.access import jurisdiction_q
from inspections.models import Premises
from inspections.selectors.dashboard import (
    inspector_workload,
    jurisdiction_dashboard,
    with_last_inspection,
)
from tests import factories as f

from .conftest import ON


def _scoped(district):
    return Premises.objects.filter(jurisdiction_q([district.authority]))


def test_dashboard_counts_only_the_jurisdiction(district):
    d = jurisdiction_dashboard(_scoped(district), [district.authority], on=ON)
    assert d.premises_total == 3
    assert [(r["kind"], r["n"]) for r in d.by_kind] == [("establishment", 2), ("home", 1)]
    assert {r["label"]: r["n"] for r in d.by_ward} == {
        "Phường Hoàn Kiếm": 2,
        "Phường Cửa Nam": 1,
    }
    assert d.inspections == {
        "planned": 2,
        "planned_overdue": 1,
        "in_progress": 0,
        "done_this_year": 1,
    }
    assert (d.findings_open, d.findings_overdue, d.findings_remediated) == (2, 1, 1)
    assert d.obligations == {"met": 3, "not_met": 0, "unknown": 0, "overdue": 1}
    assert d.obligations_total == 4
    assert (d.roadmap["connected"], d.roadmap["none"], d.roadmap_total) == (1, 1, 2)


def test_roadmap_bar_splits_its_width_by_device_state(district):
    d = jurisdiction_dashboard(_scoped(district), [district.authority], on=ON)
    segments = {s["state"]: (s["x"], s["width"]) for s in d.roadmap_segments}
    assert segments == {
        "connected": ("0.00", "200.00"),
        "installed": ("200.00", "0.00"),
        "none": ("200.00", "200.00"),
    }


def test_dashboard_of_another_authority_sees_none_of_its_inspections(district):
    d = jurisdiction_dashboard(_scoped(district), [f.AuthorityFactory()], on=ON)
    assert d.premises_total == 3
    assert d.inspections == {
        "planned": 0,
        "planned_overdue": 0,
        "in_progress": 0,
        "done_this_year": 0,
    }


def test_last_inspected_is_the_last_finished_visit(district):
    rows = {p.pk: p for p in with_last_inspection(_scoped(district))}
    assert rows[district.hotel.pk].last_inspected_at == district.done.submitted_at
    assert rows[district.karaoke.pk].last_inspected_at is None  # only scheduled


def test_workload_counts_open_assignments_of_each_inspector(district):
    busy = f.UserFactory(full_name="Bùi Bận Rộn")
    idle = f.UserFactory(full_name="An Nhàn")
    outsider = f.UserFactory(full_name="Người Ngoài")
    for user in (busy, idle):
        f.MembershipFactory(user=user, authority=district.authority, role=Membership.Role.INSPECTOR)
    f.MembershipFactory(user=outsider, role=Membership.Role.INSPECTOR)
    district.late.inspectors.add(busy)
    district.soon.inspectors.add(busy)
    district.done.inspectors.add(busy, idle)  # finished: not open any more
    district.elsewhere.inspectors.add(idle)  # another authority's inspection

    users = inspector_workload([district.authority], on=ON)

    assert [u.full_name for u in users] == ["Bùi Bận Rộn", "An Nhàn"]
    assert (users[0].n_scheduled, users[0].n_in_progress, users[0].n_next_30) == (2, 0, 1)
    assert (users[1].n_scheduled, users[1].n_in_progress, users[1].n_next_30) == (0, 0, 0)


def test_workload_takes_two_queries(district, django_assert_num_queries):
    for _ in range(3):
        user = f.UserFactory()
        f.MembershipFactory(user=user, authority=district.authority)
        district.soon.inspectors.add(user)
    with django_assert_num_queries(2):
        inspector_workload([district.authority], on=ON + dt.timedelta(days=1))
