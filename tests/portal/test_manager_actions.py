"""What a manager does: filter the dashboard, plan and assign inspections under the yearly cap."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from accounts.models import Membership
from inspections.models import Inspection, PremisesKind
from inspections.selectors.yearly_plan import earliest_periodic_day
from tests import factories as f


def test_dashboard_filters_by_kind(client, manager, premises, catalogue):
    f.PremisesFactory(name="Nhà ông Ba", kind=PremisesKind.HOME)
    client.force_login(manager)
    all_ = client.get(reverse("portal:dashboard")).context["d"]
    homes = client.get(reverse("portal:dashboard") + "?kind=home").context["d"]
    assert all_.premises_total == 2
    assert homes.premises_total == 1


def test_create_and_assign_inspection(client, manager, inspector, premises, catalogue):
    client.force_login(manager)
    url = reverse("portal:inspection_create", args=[premises.pk])
    day = earliest_periodic_day()  # 03 working days' notice; holidays can make 7 days too few
    response = client.post(
        url, {"kind": "periodic", "scheduled_for": day.isoformat(), "inspectors": [inspector.pk]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get(premises=premises)
    assert list(inspection.inspectors.all()) == [inspector]
    second = f.UserFactory(email="second@test.vn")
    f.MembershipFactory(user=second, authority=inspection.authority, role=Membership.Role.INSPECTOR)
    client.post(
        reverse("portal:inspection_assign", args=[inspection.pk]), {"inspectors": [second.pk]}
    )
    assert list(inspection.inspectors.all()) == [second]


def test_yearly_cap_needs_a_reason(client, manager, inspector, inspection, catalogue):
    # A fixed day in June: the cap counts a calendar year's inspections, and the fixture's
    # inspection (30 days ago) would fall in the previous year every January.
    hanoi = dt.timezone(dt.timedelta(hours=7))
    with time_machine.travel(dt.datetime(2026, 6, 10, 9, 0, tzinfo=hanoi), tick=False):
        Inspection.objects.filter(pk=inspection.pk).update(scheduled_for=dt.date(2026, 5, 11))
        client.force_login(manager)
        url = reverse("portal:inspection_create", args=[inspection.premises_id])
        day = earliest_periodic_day().isoformat()

        refused = client.post(url, {"kind": "periodic", "scheduled_for": day})
        assert refused.status_code == 200
        errors = " ".join(refused.context["form"].errors.get("cap_override_reason", []))
        assert "chỉ cho phép 1 lần/năm" in errors, refused.context["form"].errors
        assert Inspection.objects.filter(premises_id=inspection.premises_id).count() == 1

        accepted = client.post(
            url,
            {
                "kind": "unannounced",
                "scheduled_for": day,
                "unannounced_reason": "Phản ánh của người dân về lối thoát nạn bị khóa",
                "cap_override_reason": "Phản ánh của người dân về lối thoát nạn bị khóa",
            },
        )
    assert accepted.status_code == 302
    new = Inspection.objects.exclude(pk=inspection.pk).get()
    assert new.cap_override_reason.startswith("Phản ánh")


def test_list_pages_use_a_constant_number_of_queries(
    client, manager, authority, catalogue, django_assert_max_num_queries
):
    from tests.portal.conftest import make_inspection

    client.force_login(manager)
    urls = [
        reverse("portal:premises_list"),
        reverse("portal:planning"),
        reverse("portal:inspections"),
        reverse("portal:notifications"),
        reverse("portal:dashboard"),
        reverse("portal:findings"),
    ]

    def counts() -> dict[str, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        out = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out[url] = len(ctx.captured_queries)
        return out

    def add(n: int) -> None:
        for _ in range(n):
            p = f.PremisesFactory()
            make_inspection(p, authority, catalogue, state=Inspection.State.SCHEDULED)

    add(2)
    small = counts()
    add(20)
    large = counts()
    assert small == large
