"""GET /api/v1/sync/: full first sync, changes since a cursor, tombstones, paging, queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Inspection, Obligation, SyncTombstone
from inspections.selectors import sync as sync_selectors
from inspections.services import inspections as services
from tests import factories as f
from tests import inspection_factories as inf
from tests.api.inspection_helpers import client_for, one_answer, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    # Tests run faster than the late-commit safety window: no overlap, so "nothing new" is empty.
    monkeypatch.setattr(sync_selectors, "SAFETY", timedelta(0))


def sync_all(client, cursor=None, page_size=None):
    """Page until has_more is false, like the app does; returns the pages."""
    pages = []
    while True:
        params = {}
        if cursor:
            params["cursor"] = cursor
        if page_size:
            params["page_size"] = page_size
        r = client.get(url("sync"), params)
        assert r.status_code == 200, r.json()
        pages.append(r.json())
        cursor = r.json()["next_cursor"]
        if not r.json()["has_more"]:
            return pages


def schedule(manager, authority, premises, inspectors, day=1):
    inspection, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.UNANNOUNCED,
        scheduled_for=inf.device_time().date() + timedelta(days=day),
        inspectors=inspectors,
        cap_override_reason="Dấu hiệu vi phạm",
        unannounced_reason="Dấu hiệu vi phạm",
    )
    return inspection


def test_first_sync_is_the_full_set(
    in_progress, scheduled, inspector, manager, authority, other_premises, premises
):
    Obligation.objects.create(
        premises=premises, requirement=in_progress.items.first().requirement, status="not_met"
    )
    hidden = schedule(manager, authority, premises, [])  # not assigned to this inspector
    page = sync_all(client_for(inspector))[0]
    assert page["full"] is True
    assert [i["id"] for i in page["inspections"]] == [in_progress.pk]
    got = page["inspections"][0]
    assert len(got["items"]) == 3
    assert page["citations"][got["items"][0]["citations"][0]]["text_vi"].startswith("Nội dung")
    assert got["version"] == in_progress.version
    assert [p["id"] for p in page["premises"]] == [premises.pk]
    assert page["premises"][0]["obligations"][0]["status"] == "not_met"
    assert page["templates"][0]["id"] == in_progress.template_id
    assert hidden.pk not in [i["id"] for i in page["inspections"]]


def test_only_changes_after_the_cursor(in_progress, inspector, manager, authority, premises):
    client = client_for(inspector)
    cursor = sync_all(client)[-1]["next_cursor"]
    assert sync_all(client, cursor)[-1]["inspections"] == []
    item = in_progress.items.first()
    services.record_answers(
        user=inspector,
        inspection=in_progress,
        answers=[
            services.AnswerInput(inf.new_uuid(), item.pk, inf.device_time(), value="compliant")
        ],
        version=in_progress.version,
    )
    new = schedule(manager, authority, premises, [inspector], day=3)
    pages = sync_all(client, cursor)
    got = {i["id"]: i for p in pages for i in p["inspections"]}
    assert set(got) == {in_progress.pk, new.pk}
    assert got[in_progress.pk]["answers"][0]["value"] == "compliant"
    assert pages[-1]["full"] is False


def test_premises_change_is_synced(in_progress, inspector, premises):
    client = client_for(inspector)
    cursor = sync_all(client)[-1]["next_cursor"]
    premises.floors = 9
    premises.save()
    page = sync_all(client, cursor)[-1]
    assert [p["floors"] for p in page["premises"]] == [9]
    assert page["inspections"] == []


def test_tombstones_for_unassigned_and_cancelled(
    scheduled, inspector, manager, authority, premises, unassigned_inspector
):
    other = schedule(manager, authority, premises, [inspector], day=5)
    client = client_for(inspector)
    cursor = sync_all(client)[-1]["next_cursor"]
    services.assign_inspectors(
        user=manager, inspection=scheduled, inspectors=[unassigned_inspector]
    )
    services.cancel_inspection(user=manager, inspection=other, reason="Cơ sở ngừng hoạt động")
    page = sync_all(client, cursor)[-1]
    assert {(t["inspection"], t["reason"]) for t in page["tombstones"]} == {
        (scheduled.pk, "unassigned"),
        (other.pk, "cancelled"),
    }
    assert page["inspections"] == []
    cursor = page["next_cursor"]
    assert sync_all(client, cursor)[-1]["tombstones"] == []
    # The new assignee gets it on their next sync.
    theirs = sync_all(client_for(unassigned_inspector))[0]
    assert [i["id"] for i in theirs["inspections"]] == [scheduled.pk]


def test_paging_sends_each_inspection_once(catalogue, inspector, manager, authority):
    premises_list = [f.PremisesFactory() for _ in range(7)]
    ids = {schedule(manager, authority, p, [inspector]).pk for p in premises_list}
    pages = sync_all(client_for(inspector), page_size=3)
    assert [p["has_more"] for p in pages] == [True, True, False]
    sent = [i["id"] for p in pages for i in p["inspections"]]
    assert len(sent) == len(set(sent)) == 7 and set(sent) == ids
    assert {p["id"] for page in pages for p in page["premises"]} == {p.pk for p in premises_list}


def test_bad_cursor_is_400(inspector):
    r = client_for(inspector).get(url("sync"), {"cursor": "not-a-cursor"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_cursor"


def test_queries_per_page_do_not_grow(catalogue, inspector, manager, authority):
    client = client_for(inspector)

    def count(n_inspections: int) -> int:
        for _ in range(n_inspections):
            inspection = schedule(manager, authority, f.PremisesFactory(), [inspector])
            inspection, _ = services.start_inspection(user=inspector, inspection=inspection)
            services.record_answers(
                user=inspector,
                inspection=inspection,
                answers=[
                    services.AnswerInput(inf.new_uuid(), i.pk, inf.device_time(), value="compliant")
                    for i in inspection.items.all()
                ],
                version=inspection.version,
            )
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url("sync"), {"page_size": 50})
        assert len(r.json()["inspections"]) >= n_inspections
        return len(ctx.captured_queries)

    assert count(2) == count(10)


def test_sync_with_jwt_and_revoked_refresh(in_progress, inspector, api_client):
    """The phone logs in, syncs with the access token; a revoked refresh token is refused."""
    from django.urls import reverse

    r = api_client.post(
        reverse("api:auth-token"),
        {"email": inspector.email, "password": "pass-1234-xyz"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    tokens = r.json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api_client.get(url("sync")).status_code == 200
    revoked = api_client.post(
        reverse("api:auth-token-revoke"), {"refresh": tokens["refresh"]}, format="json"
    )
    assert revoked.status_code in (200, 204, 205)
    api_client.credentials()
    r = api_client.post(
        reverse("api:auth-token-refresh"), {"refresh": tokens["refresh"]}, format="json"
    )
    assert r.status_code == 401


def test_answers_visible_in_detail_after_sync(in_progress, inspector):
    client = client_for(inspector)
    item = in_progress.items.first()
    client.put(
        url("inspection-answers", in_progress.pk),
        {"version": in_progress.version, "answers": [one_answer(item.pk)]},
        format="json",
    )
    page = sync_all(client)[0]
    assert page["inspections"][0]["answers"][0]["item"] == item.pk


def test_sync_rows_match_the_detail_shapes(in_progress, inspector):
    """The fast sync rows say the same as the detail endpoint; citations come once, by key."""
    client = client_for(inspector)
    items = list(in_progress.items.order_by("order"))
    client.put(
        url("inspection-answers", in_progress.pk),
        {
            "version": in_progress.version,
            "answers": [
                one_answer(items[0].pk),
                one_answer(items[1].pk, note="Ghi chú", value="non_compliant"),
            ],
        },
        format="json",
    )
    detail = client.get(url("inspection", in_progress.pk)).json()
    page = sync_all(client)[0]
    synced = page["inspections"][0]
    resolved = [
        {**item, "citations": [page["citations"][k] for k in item["citations"]]}
        for item in synced["items"]
    ]
    assert resolved == detail["items"]
    assert synced["answers"] == detail["answers"]
    header = {k: v for k, v in synced.items() if k not in ("items",)}
    assert header == {k: v for k, v in detail.items() if k not in ("items",)}
    template_citations = page["templates"][0]["items"][0]["citations"]
    assert all(k in page["citations"] for k in template_citations)


def test_leaving_the_authority_drops_its_inspections_from_the_phone(
    in_progress, inspector, manager, authority, premises
):
    client = client_for(inspector)
    cursor = sync_all(client)[-1]["next_cursor"]
    version = in_progress.version

    inspector.memberships.get(authority=authority).delete()

    page = sync_all(client, cursor)[-1]
    assert [(t["inspection"], t["reason"]) for t in page["tombstones"]] == [
        (in_progress.pk, "revoked")
    ]
    assert page["inspections"] == []
    # The open inspection goes back to the manager without its former inspector.
    in_progress.refresh_from_db()
    assert list(in_progress.inspectors.all()) == []
    assert in_progress.version == version + 1


def test_another_role_in_the_same_authority_keeps_access(in_progress, inspector, authority):
    client = client_for(inspector)
    cursor = sync_all(client)[-1]["next_cursor"]
    f.MembershipFactory(user=inspector, authority=authority, role="manager")
    inspector.memberships.get(authority=authority, role="inspector").delete()
    assert sync_all(client, cursor)[-1]["tombstones"] == []
    assert list(in_progress.inspectors.all()) == [inspector]


def test_rejoining_the_authority_resends_a_submitted_inspection(in_progress, inspector, authority):
    in_progress.state = Inspection.State.SUBMITTED
    in_progress.save(update_fields=["state"])
    client = client_for(inspector)
    cursor = sync_all(client)[-1]["next_cursor"]

    inspector.memberships.get(authority=authority).delete()
    page = sync_all(client, cursor)[-1]
    assert [t["reason"] for t in page["tombstones"]] == ["revoked"]
    # A finished record keeps the inspectors it names.
    assert list(in_progress.inspectors.all()) == [inspector]

    f.MembershipFactory(user=inspector, authority=authority, role="inspector")
    page = sync_all(client, page["next_cursor"])[-1]
    assert [i["id"] for i in page["inspections"]] == [in_progress.pk]
    assert page["tombstones"] == []


def test_a_former_head_loses_the_self_inspections_of_the_premises(head, premises, catalogue):
    inspection, _ = services.start_unplanned_inspection(
        user=head, premises=premises, client_uuid=inf.new_uuid(), kind=Inspection.Kind.SELF
    )
    client = client_for(head)
    pages = sync_all(client)
    assert [i["id"] for i in pages[0]["inspections"]] == [inspection.pk]
    cursor = pages[-1]["next_cursor"]

    premises.heads.remove(head)
    page = sync_all(client, cursor)[-1]
    assert [(t["inspection"], t["reason"]) for t in page["tombstones"]] == [
        (inspection.pk, "revoked")
    ]

    head.headed_premises.add(premises)  # the reverse side of the same relation
    page = sync_all(client, page["next_cursor"])[-1]
    assert [i["id"] for i in page["inspections"]] == [inspection.pk]


def test_clearing_heads_and_deleting_users_cascade_cleanly(head, premises, in_progress, inspector):
    inspection, _ = services.start_unplanned_inspection(
        user=head, premises=premises, client_uuid=inf.new_uuid(), kind=Inspection.Kind.SELF
    )
    premises.heads.clear()
    assert head.sync_tombstones.get().inspection_id_value == inspection.pk
    # Deleting an assigned inspector takes their memberships with them; no tombstone is written
    # for a user who no longer exists (the foreign key is checked when the test ends).
    pk = inspector.pk
    inspector.delete()
    assert not SyncTombstone.objects.filter(user_id=pk).exists()
    assert list(in_progress.inspectors.all()) == []
