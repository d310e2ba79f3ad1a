"""The rolled-up dashboard counters equal the live aggregation after every kind of change."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from inspections.access import jurisdiction_q
from inspections.models import AlarmDeviceState, Premises, PremisesKind, RollupCell
from inspections.selectors.compliance import month_period, period_ending_before, rollup_ward_figures
from inspections.selectors.dashboard import jurisdiction_dashboard
from inspections.selectors.live_figures import live_ward_figures
from inspections.selectors.rollups import rollup_dashboard, rollup_scope
from inspections.services import inspections as services
from inspections.services import remediation
from inspections.services.obligations import refresh_obligations
from inspections.services.premises import create_premises, update_premises_facts
from inspections.services.rollups import premises_changed, rebuild_rollups
from tests import factories as f
from tests import inspection_factories as inf
from tests.inspection_fixtures import in_progress, scheduled  # noqa: F401
from tests.report_fixtures import complete, media  # noqa: F401
from tests.signing_fixtures import dev_pki, signing_settings  # noqa: F401


@pytest.fixture
def catalogue(published_catalogue):
    # The real catalogue: roadmap obligations and the decree's periodic intervals.
    return published_catalogue


def figures(d) -> dict:
    return dataclasses.asdict(d)


def assert_same(authority, on: dt.date) -> None:
    """Live aggregation and counters agree: everywhere, in the jurisdiction, per ward and kind."""
    for authorities in (None, [authority]):
        base = Premises.objects.all()
        if authorities is not None:
            base = base.filter(jurisdiction_q(authorities))
        for ward, kind in ((None, ""), (f.HOAN_KIEM_WARD, ""), (None, PremisesKind.HOME)):
            live_qs = base
            if ward:
                live_qs = live_qs.filter(ward_code=ward)
            if kind:
                live_qs = live_qs.filter(kind=kind)
            live = jurisdiction_dashboard(live_qs, authorities, on=on)
            rolled = rollup_dashboard(
                rollup_scope(authorities, ward=ward, kind=kind), authorities, on=on
            )
            assert figures(rolled) == figures(live), (authorities, ward, kind, on)
    # The scheduled summaries read the same counters, per ward, over a month and a week.
    for period in (
        month_period(on.year, on.month),
        period_ending_before("weekly", on + dt.timedelta(days=7)),
    ):
        assert rollup_ward_figures(authority, period) == live_ward_figures(authority, period)


def test_counters_follow_every_service(
    catalogue,
    authority,
    manager,
    inspector,
    head,
    premises,
    media,  # noqa: F811
    signing_settings,  # noqa: F811
):
    today = timezone.localdate()
    home = create_premises(
        user=manager,
        data={
            "kind": PremisesKind.HOME,
            "name": "Nhà ông Tư",
            "province_code": f.HOAN_KIEM_PROVINCE,
            "ward_code": f.HOAN_KIEM_WARD,
        },
        source="portal",
    )
    karaoke = create_premises(
        user=manager,
        data={
            "kind": PremisesKind.ESTABLISHMENT,
            "name": "Karaoke Hàng Bông",
            "province_code": f.HOAN_KIEM_PROVINCE,
            "ward_code": f.HOAN_KIEM_WARD,
            "occupancy_category": "karaoke",
            "floors": 4,
            "floor_area_m2": 600,
            "alarm_device_state": AlarmDeviceState.INSTALLED,
        },
        source="portal",
    )
    son_la = f.PremisesFactory(province_code=f.SON_LA_PROVINCE, ward_code=f.SON_LA_WARD)
    refresh_obligations(premises)
    assert RollupCell.objects.filter(metric="roadmap").exists()
    assert_same(authority, today)

    # Facts change: the karaoke connects its device, the home becomes a home business.
    update_premises_facts(
        karaoke,
        user=manager,
        changes={"alarm_device_state": AlarmDeviceState.CONNECTED},
        source="portal",
    )
    update_premises_facts(
        home, user=manager, changes={"kind": PremisesKind.HOME_BUSINESS}, source="portal"
    )
    assert_same(authority, today)

    # Inspections: one planned in the past (overdue), one cancelled, one carried to submission.
    late, _ = services.create_inspection(
        user=manager,
        premises=karaoke,
        authority=authority,
        kind="periodic",
        scheduled_for=today - dt.timedelta(days=3),
        inspectors=[inspector],
    )
    dropped, _ = services.create_inspection(
        user=manager,
        premises=home,
        authority=authority,
        kind="unannounced",
        scheduled_for=today + dt.timedelta(days=2),
        inspectors=[inspector],
        unannounced_reason="Phản ánh của người dân về lối thoát nạn bị khóa.",
    )
    services.cancel_inspection(user=manager, inspection=dropped, reason="Trùng lịch.")
    work, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind="periodic",
        scheduled_for=today,
        inspectors=[inspector],
    )
    work, _ = services.start_inspection(user=inspector, inspection=work)
    assert_same(authority, today)
    work = complete(work, inspector)  # answers, a finding (deadline 31/12/2026), submission
    premises.refresh_from_db()
    assert premises.last_inspected_on == today
    assert premises.periodic_due_on is not None and premises.periodic_due_on > today
    assert_same(authority, today)

    # The finding: remediated by the head with evidence, then accepted by the authority.
    finding = work.findings.get()
    remediation.add_finding_evidence(
        user=head, finding=finding, data=inf.jpeg_bytes(7), original_name="binh.jpg"
    )
    remediation.mark_finding_remediated(user=head, finding=finding, note="Đã thay bình.")
    assert_same(authority, today)
    remediation.verify_remediation(user=manager, finding=finding, accepted=True)
    assert_same(authority, today)

    # The date-bound figures (overdue by age, due this month) read the same on other days.
    for later in (today + dt.timedelta(days=40), dt.date(2027, 3, 1), dt.date(2027, 8, 1)):
        assert_same(authority, later)

    # Deleting a premises takes it out of the counters.
    son_la.delete()
    assert not RollupCell.objects.filter(province_code=f.SON_LA_PROVINCE).exclude(n=0).exists()
    assert_same(authority, today)


def test_rebuild_repairs_drift(catalogue, authority, manager, premises):
    other = f.PremisesFactory(kind=PremisesKind.HOME)
    refresh_obligations(premises)
    today = timezone.localdate()
    # Drift of both kinds: a counter edited by hand, and a row changed behind the services.
    RollupCell.objects.filter(metric="premises").update(n=7)
    Premises.objects.filter(pk=other.pk).update(kind=PremisesKind.VEHICLE)
    RollupCell.objects.create(
        metric="obligation", province_code=1, ward_code=1, premises_kind="home", key="met", n=5
    )
    stale = rollup_dashboard(Q(), None, on=today)
    live = jurisdiction_dashboard(Premises.objects.all(), None, on=today)
    assert stale.premises_total != live.premises_total

    result = rebuild_rollups(chunk_size=1)
    assert result.premises == 2 and result.shares_fixed == 1 and result.cells_fixed >= 3
    assert figures(rollup_dashboard(Q(), None, on=today)) == figures(live)
    assert not RollupCell.objects.filter(n=0).exists()
    # Nothing left to repair: a second run changes nothing.
    again = rebuild_rollups()
    assert (again.shares_fixed, again.cells_fixed) == (0, 0)


def test_calling_the_hook_twice_changes_nothing(catalogue, premises):
    refresh_obligations(premises)
    before = sorted(RollupCell.objects.values_list("metric", "key", "n"))
    premises_changed([premises.pk, premises.pk])
    premises_changed([premises.pk])
    assert sorted(RollupCell.objects.values_list("metric", "key", "n")) == before


def test_dashboard_reads_only_the_counters(client, catalogue, authority, manager, premises):
    """The dashboard path: a fixed handful of queries, none over the live rows of the province."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    for _ in range(3):
        refresh_obligations(f.PremisesFactory(kind=PremisesKind.HOME))
    client.force_login(manager)
    url = reverse("portal:dashboard")
    client.get(url)  # first call: session, translations
    for query in (url, url + f"?ward={f.HOAN_KIEM_WARD}&kind=home"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(query).status_code == 200
        sql = [q["sql"] for q in ctx.captured_queries]
        assert len(sql) <= 8, sql
        live = ("inspections_obligation", "inspections_finding", 'inspections_inspection"')
        assert not [s for s in sql if any(t in s for t in live)], sql


@pytest.mark.parametrize(
    ("offset", "counted_exactly"),
    [(-151, False), (-150, True), (0, True), (70, True), (71, False)],
)
def test_days_near_today_are_counted_exactly_and_far_ones_per_month(offset, counted_exactly):
    from inspections.models import NO_DAY
    from inspections.services.rollups import counted_day

    today = dt.date(2026, 11, 30)
    day = today + dt.timedelta(days=offset)
    assert counted_day(day, today) == (day if counted_exactly else day.replace(day=1))
    assert counted_day(NO_DAY, today) == NO_DAY


def test_far_days_share_a_cell_per_month_and_the_figures_stay_exact(
    catalogue, authority, inspector, premises
):
    """Many planned days far from today: one counter per month, the same dashboard and
    summaries as the live rows, on the day and after the window moves (nightly rebuild)."""
    import time_machine

    from inspections.models import Inspection

    today = timezone.localdate()
    far = [today - dt.timedelta(days=d) for d in range(400, 430)] + [
        today + dt.timedelta(days=d) for d in range(200, 230)
    ]
    for day in far:
        inspection = Inspection.objects.create(
            premises=premises,
            authority=authority,
            kind=Inspection.Kind.PERIODIC,
            catalogue_version=catalogue,
            scheduled_for=day,
        )
        inspection.inspectors.add(inspector)
    refresh_obligations(premises)
    premises_changed([premises.pk])
    cells = RollupCell.objects.filter(metric="inspection", key="scheduled").exclude(n=0)
    assert cells.count() == len({d.replace(day=1) for d in far})
    assert sum(cells.values_list("n", flat=True)) == len(far)
    assert_same(authority, today)
    old = today - dt.timedelta(days=410)
    old_month = month_period(old.year, old.month)
    assert rollup_ward_figures(authority, old_month) == live_ward_figures(authority, old_month)

    # 180 days later the days that were 200+ ahead are near: the rebuild counts them exactly.
    later = today + dt.timedelta(days=180)
    with time_machine.travel(dt.datetime.combine(later, dt.time(2)), tick=False):
        result = rebuild_rollups()
        assert result.shares_fixed == 1
        assert_same(authority, later)
        near = [d for d in far if abs((d - later).days) <= 70]
        assert near and all(cells.filter(day=d).exists() for d in near)
