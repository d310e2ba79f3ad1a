"""Services of the inspection life cycle: state machine, idempotency, versions, batches."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from inspections.models import Answer, Inspection, InspectionItem, SyncTombstone
from inspections.services import inspections as services
from inspections.services.errors import Conflict, Invalid
from tests import inspection_factories as inf

pytestmark = pytest.mark.django_db


def answer(item: InspectionItem, minutes: int = 0, value: str = "compliant", **kw):
    return services.AnswerInput(
        client_uuid=kw.pop("client_uuid", None) or inf.new_uuid(),
        item=item.pk,
        value=value,
        answered_at=inf.device_time(minutes),
        **kw,
    )


def test_created_inspection_freezes_items_and_citations(scheduled, catalogue):
    items = list(scheduled.items.order_by("order"))
    assert len(items) == 3
    assert scheduled.catalogue_version == catalogue
    assert scheduled.template.premises_kind == scheduled.premises.kind
    assert items[0].citations[0]["text_vi"].startswith("Nội dung khoản")
    # A later change of the catalogue does not change what the inspection asks.
    req = items[0].requirement
    req.question_vi = "Câu hỏi đã sửa"
    req.save()
    items[0].refresh_from_db()
    assert items[0].question_vi != "Câu hỏi đã sửa"


def test_items_follow_applicability_and_kind(manager, authority, premises, inspector):
    version = inf.make_catalogue(1)
    inf.RequirementFactory(
        version=version, code="TALL", applicability={"fact": "floors", "gte": 10}
    )
    inf.RequirementFactory(version=version, code="LOW", applicability={"fact": "floors", "lt": 10})
    inf.RequirementFactory(version=version, code="HOMES", premises_kinds=["home"])
    inspection, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=inf.device_time().date(),
        inspectors=[inspector],
    )
    codes = set(inspection.items.values_list("code", flat=True))
    assert "LOW" in codes and "TALL" not in codes and "HOMES" not in codes


def test_state_machine(scheduled, inspector, manager):
    with pytest.raises(Conflict) as exc:
        services.submit_inspection(user=inspector, inspection=scheduled, version=scheduled.version)
    assert exc.value.code == "invalid_state"
    started, changed = services.start_inspection(user=inspector, inspection=scheduled)
    assert changed and started.state == Inspection.State.IN_PROGRESS
    again, changed = services.start_inspection(user=inspector, inspection=started)
    assert not changed and again.version == started.version
    cancelled = services.cancel_inspection(
        user=manager, inspection=started, reason="Cơ sở đóng cửa"
    )
    assert cancelled.state == Inspection.State.CANCELLED
    # A start resent after the cancellation (its reply was lost) is the start that succeeded.
    late, changed = services.start_inspection(user=inspector, inspection=cancelled)
    assert not changed and late.state == Inspection.State.CANCELLED
    assert late.version == cancelled.version
    assert SyncTombstone.objects.filter(user=inspector, reason="cancelled").exists()


def test_never_started_cancelled_inspection_cannot_start(scheduled, inspector, manager):
    cancelled = services.cancel_inspection(user=manager, inspection=scheduled, reason="Trùng lịch")
    with pytest.raises(Conflict) as exc:
        services.start_inspection(user=inspector, inspection=cancelled)
    assert exc.value.code == "invalid_state"


def test_only_managers_schedule(catalogue, inspector, authority, premises):
    with pytest.raises(PermissionDenied):
        services.create_inspection(
            user=inspector,
            premises=premises,
            authority=authority,
            kind=Inspection.Kind.PERIODIC,
            scheduled_for=inf.device_time().date(),
        )


def test_schedule_replay_by_uuid(catalogue, manager, authority, premises, inspector):
    key = inf.new_uuid()
    kwargs = dict(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=inf.device_time().date(),
        inspectors=[inspector],
        client_uuid=key,
    )
    first, created = services.create_inspection(**kwargs)
    again, created_again = services.create_inspection(**kwargs)
    assert created and not created_again and again.pk == first.pk
    kwargs["kind"] = Inspection.Kind.UNANNOUNCED
    with pytest.raises(Conflict) as exc:
        services.create_inspection(**kwargs)
    assert exc.value.current.pk == first.pk
    assert Inspection.objects.count() == 1


def test_unplanned_and_self_inspection(catalogue, inspector, authority, premises, head, other_head):
    key = inf.new_uuid()
    unplanned, created = services.start_unplanned_inspection(
        user=inspector,
        premises=premises,
        client_uuid=key,
        kind=Inspection.Kind.UNANNOUNCED,
        authority=authority,
        unannounced_reason="Phản ánh của người dân",
    )
    assert created and unplanned.state == Inspection.State.IN_PROGRESS
    assert list(unplanned.inspectors.all()) == [inspector]
    own, _ = services.start_unplanned_inspection(
        user=head, premises=premises, client_uuid=inf.new_uuid(), kind=Inspection.Kind.SELF
    )
    assert own.authority is None and own.state == Inspection.State.IN_PROGRESS
    with pytest.raises(PermissionDenied):
        services.start_unplanned_inspection(
            user=other_head, premises=premises, client_uuid=inf.new_uuid(), kind="self"
        )


def test_other_authority_inspector_cannot_start_here(
    catalogue, other_inspector, authority, premises
):
    with pytest.raises(PermissionDenied):
        services.start_unplanned_inspection(
            user=other_inspector,
            premises=premises,
            client_uuid=inf.new_uuid(),
            kind=Inspection.Kind.UNANNOUNCED,
            authority=authority,
        )


def test_answers_batch_statuses(in_progress, inspector):
    a, b, c = in_progress.items.order_by("order")
    first = [answer(a, 1), answer(b, 1, "non_compliant", note="Hết hạn")]
    insp, results = services.record_answers(
        user=inspector, inspection=in_progress, answers=first, version=in_progress.version
    )
    assert [r.status for r in results] == ["created", "created"]
    # A retry of the same batch, even with the old version, changes nothing and succeeds.
    again, results = services.record_answers(
        user=inspector, inspection=in_progress, answers=first, version=in_progress.version
    )
    assert [r.status for r in results] == ["unchanged", "unchanged"]
    assert again.version == insp.version
    newer = answer(a, 5, "non_compliant")
    older = answer(b, 0, "compliant")
    reused = services.AnswerInput(
        client_uuid=first[0].client_uuid,
        item=a.pk,
        value="not_applicable",
        answered_at=inf.device_time(9),
    )
    insp2, results = services.record_answers(
        user=inspector, inspection=in_progress, answers=[newer, older, reused], version=insp.version
    )
    assert [r.status for r in results] == ["updated", "conflict", "conflict"]
    assert results[1].answer.value == "non_compliant"  # the stored, newer one
    assert Answer.objects.filter(inspection=in_progress).count() == 2
    assert Answer.objects.get(item=a).value == "non_compliant"
    assert insp2.version == insp.version + 1


def test_stale_version_writes_nothing(in_progress, inspector):
    a, b, _ = in_progress.items.order_by("order")
    services.record_answers(
        user=inspector, inspection=in_progress, answers=[answer(a)], version=in_progress.version
    )
    with pytest.raises(Conflict) as exc:
        services.record_answers(
            user=inspector,
            inspection=in_progress,
            answers=[answer(b), answer(a, 3, "non_compliant")],
            version=in_progress.version,
        )
    assert exc.value.code == "stale_version"
    assert exc.value.current.version == in_progress.version + 1
    assert Answer.objects.filter(inspection=in_progress).count() == 1
    assert Answer.objects.get(item=a).value == "compliant"


def test_invalid_answer_rejects_batch(in_progress, inspector):
    a, b, _ = in_progress.items.order_by("order")
    with pytest.raises(Invalid) as exc:
        services.record_answers(
            user=inspector,
            inspection=in_progress,
            answers=[
                answer(a),
                services.AnswerInput(inf.new_uuid(), b.pk, inf.device_time(), value=""),
            ],
            version=in_progress.version,
        )
    assert "1" in exc.value.fields["answers"]
    assert not Answer.objects.exists()


@pytest.mark.parametrize("size", [1, 50])
def test_batch_query_count_is_constant(
    size, manager, authority, premises, inspector, django_assert_num_queries
):
    inf.make_catalogue(50)
    inspection, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=inf.device_time().date(),
        inspectors=[inspector],
    )
    inspection, _ = services.start_inspection(user=inspector, inspection=inspection)
    items = list(inspection.items.order_by("order"))[:size]
    inspector._access_cache = {"memberships": list(inspector.memberships.all())}
    batch = [answer(i) for i in items]
    # savepoint, lock, items, stored answers, one upsert of the whole batch, link photos, link
    # findings, update inspection, release: no query per answer.
    with django_assert_num_queries(9):
        services.record_answers(
            user=inspector, inspection=inspection, answers=batch, version=inspection.version
        )
    updated = [answer(i, 10, "non_compliant") for i in items]
    # The same upsert updates the stored rows; no new answer, so nothing to link.
    with django_assert_num_queries(7):
        services.record_answers(
            user=inspector, inspection=inspection, answers=updated, version=inspection.version + 1
        )


def test_submit_requires_answers_and_signatures(in_progress, inspector):
    with pytest.raises(Invalid) as exc:
        services.submit_inspection(
            user=inspector,
            inspection=in_progress,
            version=in_progress.version,
            representative_name="A",
        )
    assert set(exc.value.fields) == {"signatures", "items"}
    assert len(exc.value.fields["items"]) == 3


def complete(inspection, inspector):
    items = inspection.items.order_by("order")
    inspection, _ = services.record_answers(
        user=inspector,
        inspection=inspection,
        answers=[answer(i) for i in items],
        version=inspection.version,
    )
    for role in ("inspector", "representative"):
        services.add_signature(
            user=inspector,
            inspection=inspection,
            client_uuid=inf.new_uuid(),
            role=role,
            signer_name=f"Người ký {role}",
            image=inf.png_bytes(1 if role == "inspector" else 2),
        )
    inspection.refresh_from_db()
    return inspection


def test_submit_is_idempotent_and_conflicts_after_other_change(in_progress, inspector):
    inspection = complete(in_progress, inspector)
    kwargs = dict(
        user=inspector,
        inspection=inspection,
        version=inspection.version,
        recommendations="Bổ sung bình chữa cháy",
        representative_name="Nguyễn Văn An",
        representative_position="Giám đốc",
        ended_at=inf.device_time(60),
    )
    submitted, changed = services.submit_inspection(**kwargs)
    assert changed and submitted.state == Inspection.State.SUBMITTED
    again, changed = services.submit_inspection(**kwargs)
    assert not changed and again.version == submitted.version
    kwargs["recommendations"] = "Khác"
    with pytest.raises(Conflict) as exc:
        services.submit_inspection(**kwargs)
    assert exc.value.code == "already_submitted"


def test_submit_with_stale_version_is_conflict(in_progress, inspector):
    inspection = complete(in_progress, inspector)
    with pytest.raises(Conflict) as exc:
        services.submit_inspection(
            user=inspector,
            inspection=inspection,
            version=inspection.version - 1,
            representative_name="A",
        )
    assert exc.value.code == "stale_version"


def test_reassignment_tombstones(scheduled, manager, inspector, unassigned_inspector):
    services.assign_inspectors(
        user=manager, inspection=scheduled, inspectors=[unassigned_inspector]
    )
    assert SyncTombstone.objects.filter(user=inspector, inspection_id_value=scheduled.pk).exists()
    services.assign_inspectors(user=manager, inspection=scheduled, inspectors=[inspector])
    assert not SyncTombstone.objects.filter(user=inspector).exists()
    assert SyncTombstone.objects.filter(user=unassigned_inspector).exists()


def test_unassigned_inspector_cannot_work(
    in_progress, unassigned_inspector, other_inspector, outsider
):
    a = in_progress.items.first()
    # None of them may even see the inspection: answered as unknown (404), as the API does.
    for user in (unassigned_inspector, other_inspector, outsider):
        with pytest.raises(Http404):
            services.record_answers(
                user=user, inspection=in_progress, answers=[answer(a)], version=1
            )
    assert not Answer.objects.filter(inspection=in_progress).exists()


def test_submit_queues_the_signed_record(
    in_progress, inspector, django_capture_on_commit_callbacks
):
    from inspections.models import Report

    inspection = complete(in_progress, inspector)
    with django_capture_on_commit_callbacks() as callbacks:
        services.submit_inspection(
            user=inspector,
            inspection=inspection,
            version=inspection.version,
            representative_name="A",
        )
    report = Report.objects.get(inspection=inspection)
    assert report.status == Report.Status.PENDING and report.form == Report.Form.PC03
    assert callbacks  # generation is queued after commit, not run in the request


def test_submit_assigns_the_next_number_of_the_authority_register(in_progress, inspector, manager):
    done = complete(in_progress, inspector)
    first, _ = services.submit_inspection(
        user=inspector, inspection=done, version=done.version, representative_name="Nguyễn Văn An"
    )
    year = first.submitted_at.astimezone().year
    assert first.number == f"001/{year}/BB-KTPCCC"

    second, _ = services.create_inspection(
        user=manager,
        premises=first.premises,
        authority=first.authority,
        kind=Inspection.Kind.REINSPECTION,
        scheduled_for=inf.device_time().date(),
        inspectors=[inspector],
        cap_override_reason="Kiểm tra lại việc khắc phục vi phạm",
    )
    second, _ = services.start_inspection(user=inspector, inspection=second)
    second = complete(second, inspector)
    second, _ = services.submit_inspection(
        user=inspector, inspection=second, version=second.version, representative_name="B"
    )
    assert second.number == f"002/{year}/BB-KTPCCC"
    # Re-submitting the same content keeps the number.
    again, changed = services.submit_inspection(
        user=inspector, inspection=second, version=second.version, representative_name="B"
    )
    assert not changed and again.number == second.number
