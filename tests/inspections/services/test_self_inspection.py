"""submit_self_inspection and per-answer saving: one bad answer refuses nothing else, the PC02
record is queued exactly once, a refused submission leaves no signature."""

from __future__ import annotations

import uuid
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import F
from django.utils import timezone

from inspections.models import Answer, Inspection, Report, Signature
from inspections.services.errors import Invalid, ServiceError
from inspections.services.inspections import AnswerInput, start_unplanned_inspection
from inspections.services.self_inspection import (
    save_self_inspection_answers,
    submit_self_inspection,
)


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (120, 40), (16, 32, 74, 255)).save(buf, "PNG")
    return buf.getvalue()


PNG = _png()


@pytest.fixture
def draft(head, premises, published_catalogue):
    inspection, _ = start_unplanned_inspection(
        user=head, premises=premises, client_uuid=uuid.uuid4(), kind=Inspection.Kind.SELF
    )
    return inspection


def valid(item) -> AnswerInput:
    kw = {"value": "compliant"}
    if item.answer_type == "number":
        kw = {"number_value": Decimal(2)}
    elif item.answer_type == "text":
        kw = {"note": "Đã kiểm tra"}
    return AnswerInput(client_uuid=uuid.uuid4(), item=item.pk, answered_at=timezone.now(), **kw)


def answer_all(head, draft):
    items = list(draft.items.order_by("order"))
    return save_self_inspection_answers(
        user=head, inspection=draft, answers=[valid(i) for i in items]
    )


def test_one_invalid_answer_is_reported_at_its_item_and_the_others_are_saved(head, draft):
    first, second, third = list(draft.items.filter(answer_type="yes_no_na").order_by("order"))[:3]
    bad = AnswerInput(
        client_uuid=uuid.uuid4(), item=second.pk, answered_at=timezone.now(), value="maybe"
    )
    result = save_self_inspection_answers(
        user=head, inspection=draft, answers=[valid(first), bad, valid(third)]
    )
    assert set(result.errors) == {second.pk}
    assert sorted(result.saved) == sorted([first.pk, third.pk])
    assert set(Answer.objects.filter(inspection=draft).values_list("item_id", flat=True)) == {
        first.pk,
        third.pk,
    }


def test_saving_one_by_one_never_goes_stale(head, draft):
    items = list(draft.items.order_by("order"))[:3]
    for item in items:  # the page never reloads between answers
        assert save_self_inspection_answers(
            user=head, inspection=draft, answers=[valid(item)]
        ).saved == [item.pk]
    assert Answer.objects.filter(inspection=draft).count() == 3


def test_an_autosave_racing_the_save_button_does_not_refuse_it(head, draft, monkeypatch):
    """The page's script saves a choice while the head presses "Lưu": the script's save bumps
    the version after the button's request has read the inspection, before it takes the lock.
    The button's answers are saved all the same (it was a 500 with "stale version")."""
    from inspections import access

    first, second = list(draft.items.filter(answer_type="yes_no_na").order_by("order"))[:2]
    save_self_inspection_answers(user=head, inspection=draft, answers=[valid(first)])
    real = access.access_inspection

    def autosave_lands_first(user, pk, **kwargs):
        Inspection.objects.filter(pk=pk).update(version=F("version") + 1)
        return real(user, pk, **kwargs)

    monkeypatch.setattr(access, "access_inspection", autosave_lands_first)
    result = save_self_inspection_answers(user=head, inspection=draft, answers=[valid(second)])
    assert result.saved == [second.pk] and not result.errors
    assert Answer.objects.filter(inspection=draft, item=second).exists()


def test_submit_signs_and_queues_the_pc02_exactly_once(
    head, draft, django_capture_on_commit_callbacks
):
    answer_all(head, draft)
    draft.refresh_from_db()
    with mock.patch("inspections.tasks.generate_inspection_report.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            done, created = submit_self_inspection(
                user=head,
                inspection=draft,
                signer_name="Lê Thị Chủ",
                signer_position="Giám đốc",
                signature_png=PNG,
                recommendations="Thay bình chữa cháy",
            )
        with django_capture_on_commit_callbacks(execute=True):
            again, created_again = submit_self_inspection(
                user=head,
                inspection=done,
                signer_name="Lê Thị Chủ",
                signer_position="Giám đốc",
                signature_png=PNG,
                recommendations="Thay bình chữa cháy",
            )
    assert created and not created_again
    assert delay.call_count == 1 and delay.call_args.args == (draft.pk,)
    assert (
        done.state == Inspection.State.SUBMITTED and done.recommendations == "Thay bình chữa cháy"
    )
    assert Report.objects.get(inspection=draft).form == Report.Form.PC02
    signature = Signature.objects.get(inspection=draft)
    assert (signature.role, signature.signer_name) == (Signature.Role.FACILITY_HEAD, "Lê Thị Chủ")


def test_refused_submission_leaves_no_signature_and_queues_nothing(
    head, draft, django_capture_on_commit_callbacks
):
    with (
        mock.patch("inspections.tasks.generate_inspection_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ServiceError) as refused,
    ):
        submit_self_inspection(
            user=head,
            inspection=draft,
            signer_name="Lê Thị Chủ",
            signer_position="",
            signature_png=PNG,
        )
    assert refused.value.fields["items"], "the unanswered required questions are named"
    assert delay.call_count == 0
    assert not Signature.objects.filter(inspection=draft).exists()
    draft.refresh_from_db()
    assert draft.state == Inspection.State.IN_PROGRESS


def test_only_self_inspections(head, inspector, premises, authority, published_catalogue):
    periodic = Inspection.objects.create(
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        state=Inspection.State.IN_PROGRESS,
        catalogue_version=published_catalogue,
    )
    with pytest.raises(Invalid):
        submit_self_inspection(
            user=head, inspection=periodic, signer_name="A", signer_position="", signature_png=PNG
        )
