"""Inspection life cycle: schedule, start, record, submit — idempotent by client UUID.

Every change to an inspection's aggregate (state, answers, photos, findings, signatures) happens
under a row lock of the inspection and bumps its ``version``, so a client that worked from an
older version gets a 409 and nothing half-written. Objects created on a device carry a client
UUID: the same UUID with the same content is answered with the stored object, with different
content by a 409 carrying the stored object.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Authority, Membership, User
from inspections.models import (
    Answer,
    AnswerType,
    Finding,
    Inspection,
    InspectionItem,
    Photo,
    PhotoBlob,
    Premises,
    Requirement,
    Signature,
    SyncTombstone,
)
from inspections.rules.images import ImageRejected, inspect_image
from inspections.selectors.planning import CAPPED_KINDS, check_inspection_cap
from inspections.services.obligations import refresh_obligations
from inspections.services.reports import queue_report

from . import checklists
from .errors import Conflict, Invalid, ServiceError, TooLarge

State = Inspection.State
logger = logging.getLogger(__name__)


# --- Helpers --------------------------------------------------------------------------------


def content_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of a canonical JSON form: equal content gives an equal hash on every retry."""

    def default(value: Any) -> str:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, (date, Decimal, uuid.UUID)):
            return str(value)
        raise TypeError(type(value))

    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=default)
    return hashlib.sha256(text.encode()).hexdigest()


def _lock(inspection: Inspection) -> Inspection:
    """Re-read the inspection under a row lock (PostgreSQL); SQLite serialises writers anyway."""
    return Inspection.objects.select_for_update().select_related("premises").get(pk=inspection.pk)


def _bump(inspection: Inspection, **fields: Any) -> None:
    inspection.version += 1
    for name, value in fields.items():
        setattr(inspection, name, value)
    inspection.save(update_fields=["version", "updated_at", *fields])


def _transition(inspection: Inspection, target: str, **fields: Any) -> None:
    """The only place that changes ``state``: refuses moves the state machine does not allow."""
    if not inspection.can_move_to(target):
        raise Conflict(
            "invalid_state",
            _("Không thể chuyển đợt kiểm tra từ trạng thái “%(from)s” sang “%(to)s”.")
            % {"from": inspection.get_state_display(), "to": State(target).label},
            current=inspection,
        )
    _bump(inspection, state=target, **fields)


def _require_open(inspection: Inspection) -> None:
    if not inspection.is_open_for_work:
        raise Conflict(
            "invalid_state",
            _("Đợt kiểm tra không ở trạng thái đang kiểm tra (hiện tại: %(state)s).")
            % {"state": inspection.get_state_display()},
            current=inspection,
        )


def _check_version(inspection: Inspection, version: int | None) -> None:
    if version is not None and version != inspection.version:
        raise Conflict(
            "stale_version",
            _(
                "Đợt kiểm tra đã được thay đổi (phiên bản %(current)s, thiết bị gửi %(sent)s). "
                "Hãy đồng bộ lại."
            )
            % {"current": inspection.version, "sent": version},
            current=inspection,
        )


def _obligations_changed(premises: Premises) -> None:
    """Answers feed the premises' obligations: recompute them after commit, off the request."""
    from inspections.tasks import refresh_premises_obligations

    def enqueue() -> None:
        try:
            refresh_premises_obligations.delay(premises.pk)
        except Exception:
            # The answers are committed and the phone must hear so; without a broker the
            # (idempotent) refresh runs here instead of being lost.
            logger.exception("could not queue the obligations refresh; running it inline")
            refresh_premises_obligations(premises.pk)

    transaction.on_commit(enqueue)


def _check_cap(premises: Premises, on: date, reason: str, kind: str) -> None:
    """Resolution 198/2025/QH15 Art. 4: past the yearly cap only with a recorded reason."""
    if kind not in CAPPED_KINDS:
        return
    decision = check_inspection_cap(premises, on, reason)
    if not decision.allowed:
        message = decision.message_en if get_language() == "en" else decision.message_vi
        raise Invalid("inspection_cap_reached", message, fields={"cap_override_reason": [message]})


def _require_write(user: User, inspection: Inspection) -> None:
    from django.core.exceptions import PermissionDenied

    if not access.can_work_on_inspection(user, inspection):
        raise PermissionDenied


# --- Creating and scheduling ----------------------------------------------------------------


def _inspection_fingerprint(
    *,
    premises_id: int,
    kind: str,
    authority_id: int | None,
    scheduled_for: date | None,
) -> str:
    return content_hash(
        {
            "premises": premises_id,
            "kind": kind,
            "authority": authority_id,
            "scheduled_for": scheduled_for,
        }
    )


def _existing_by_uuid(client_uuid: uuid.UUID, fingerprint: str) -> Inspection | None:
    existing = Inspection.objects.filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    stored = _inspection_fingerprint(
        premises_id=existing.premises_id,
        kind=existing.kind,
        authority_id=existing.authority_id,
        scheduled_for=existing.scheduled_for,
    )
    if stored != fingerprint:
        raise Conflict(
            "client_uuid_conflict",
            _("Mã client_uuid đã được dùng cho một đợt kiểm tra khác."),
            current=existing,
        )
    return existing


def _create(
    *,
    user: User,
    premises: Premises,
    kind: str,
    authority: Authority | None,
    client_uuid: uuid.UUID | None,
    scheduled_for: date | None,
    state: str,
    inspectors: Sequence[User],
    place: str,
    cap_override_reason: str,
    started_at: datetime | None = None,
    parent: Inspection | None = None,
) -> tuple[Inspection, bool]:
    fingerprint = _inspection_fingerprint(
        premises_id=premises.pk,
        kind=kind,
        authority_id=authority.pk if authority else None,
        scheduled_for=scheduled_for,
    )
    if client_uuid is not None and (existing := _existing_by_uuid(client_uuid, fingerprint)):
        return existing, False
    version = checklists.current_catalogue_version()
    if version is None:
        raise Invalid("no_catalogue", _("Chưa có phiên bản danh mục yêu cầu nào được ban hành."))
    _check_cap(premises, scheduled_for or timezone.localdate(), cap_override_reason, kind)
    template = checklists.template_for(version, premises.kind)
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                client_uuid=client_uuid or uuid.uuid4(),
                premises=premises,
                authority=authority,
                kind=kind,
                state=state,
                catalogue_version=version,
                template=template,
                created_by=user,
                parent=parent,
                scheduled_for=scheduled_for,
                started_at=started_at,
                place=place or premises.full_address,
                cap_override_reason=cap_override_reason,
            )
            inspection.inspectors.set(inspectors)
            checklists.freeze_items(inspection)
    except IntegrityError:
        # Two retries raced; the first one won. Same content: theirs is ours.
        if client_uuid is None:
            raise
        existing = _existing_by_uuid(client_uuid, fingerprint)
        if existing is None:
            raise
        return existing, False
    return inspection, True


def _validate_inspectors(authority: Authority, inspectors: Iterable[User]) -> list[User]:
    inspectors = list(inspectors)
    allowed = set(
        Membership.objects.filter(
            authority=authority,
            user__in=inspectors,
            role__in=[Membership.Role.INSPECTOR, *access.MANAGING_ROLES],
        ).values_list("user_id", flat=True)
    )
    bad = [u.email for u in inspectors if u.pk not in allowed]
    if bad:
        raise Invalid(
            "inspector_not_member",
            _("Cán bộ không thuộc cơ quan kiểm tra: %(emails)s") % {"emails": ", ".join(bad)},
            fields={"inspectors": [", ".join(bad)]},
        )
    return inspectors


def create_inspection(
    *,
    user: User,
    premises: Premises,
    authority: Authority,
    kind: str,
    scheduled_for: date,
    inspectors: Sequence[User] = (),
    client_uuid: uuid.UUID | None = None,
    place: str = "",
    cap_override_reason: str = "",
    parent: Inspection | None = None,
) -> tuple[Inspection, bool]:
    """A manager schedules an inspection of a premises in the authority's jurisdiction."""
    from django.core.exceptions import PermissionDenied

    if not access.is_manager_of(user, authority.pk):
        raise PermissionDenied
    if not authority.covers(premises.province_code, premises.ward_code):
        raise Invalid(
            "outside_jurisdiction",
            _("Cơ sở không thuộc địa bàn của cơ quan kiểm tra."),
            fields={"premises": [_("Cơ sở không thuộc địa bàn của cơ quan kiểm tra.")]},
        )
    if kind == Inspection.Kind.SELF:
        raise Invalid("invalid_kind", _("Tự kiểm tra do người đứng đầu cơ sở thực hiện."))
    inspectors = _validate_inspectors(authority, inspectors)
    return _create(
        user=user,
        premises=premises,
        kind=kind,
        authority=authority,
        client_uuid=client_uuid,
        scheduled_for=scheduled_for,
        state=State.SCHEDULED,
        inspectors=inspectors,
        place=place,
        cap_override_reason=cap_override_reason,
        parent=parent,
    )


def start_unplanned_inspection(
    *,
    user: User,
    premises: Premises,
    client_uuid: uuid.UUID,
    kind: str,
    authority: Authority | None = None,
    started_at: datetime | None = None,
    place: str = "",
    cap_override_reason: str = "",
) -> tuple[Inspection, bool]:
    """An inspector starts an unplanned inspection on the device, or a head self-inspects.

    The inspection is created already in progress and assigned to its creator.
    """
    from django.core.exceptions import PermissionDenied

    if kind == Inspection.Kind.SELF:
        authority = None
    elif authority is None:
        raise Invalid(
            "authority_required",
            _("Cần chọn cơ quan kiểm tra."),
            fields={"authority": [_("Trường này là bắt buộc.")]},
        )
    if not access.can_start_inspection(user, premises, authority):
        raise PermissionDenied
    return _create(
        user=user,
        premises=premises,
        kind=kind,
        authority=authority,
        client_uuid=client_uuid,
        scheduled_for=None,
        state=State.IN_PROGRESS,
        inspectors=[user] if authority is not None else [],
        place=place,
        cap_override_reason=cap_override_reason,
        started_at=started_at or timezone.now(),
    )


def assign_inspectors(
    *, user: User, inspection: Inspection, inspectors: Sequence[User]
) -> Inspection:
    """Replace the assigned inspectors; those removed get a tombstone so their phones drop it."""
    from django.core.exceptions import PermissionDenied

    if not access.can_manage_inspection(user, inspection):
        raise PermissionDenied
    inspectors = _validate_inspectors(inspection.authority, inspectors)
    with transaction.atomic():
        locked = _lock(inspection)
        before = set(locked.inspectors.values_list("pk", flat=True))
        after = {u.pk for u in inspectors}
        if before == after:
            return locked
        locked.inspectors.set(inspectors)
        _tombstone(locked, before - after, SyncTombstone.Reason.UNASSIGNED)
        SyncTombstone.objects.filter(inspection_id_value=locked.pk, user_id__in=after).delete()
        _bump(locked)
    return locked


def after_planning_change(inspection: Inspection, *, inspectors_before: set[int]) -> None:
    """What the admin's plain model save leaves out: the frozen checklist of a new inspection,
    tombstones for inspectors taken off it (their phones drop it) and a version bump."""
    with transaction.atomic():
        locked = _lock(inspection)
        if locked.template_id is None:
            locked.template = checklists.template_for(
                locked.catalogue_version, locked.premises.kind
            )
            locked.save(update_fields=["template"])
        checklists.freeze_items(locked)
        after = set(locked.inspectors.values_list("pk", flat=True))
        _tombstone(locked, inspectors_before - after, SyncTombstone.Reason.UNASSIGNED)
        SyncTombstone.objects.filter(inspection_id_value=locked.pk, user_id__in=after).delete()
        if after != inspectors_before:
            _bump(locked)


def _tombstone(inspection: Inspection, user_ids: Iterable[int], reason: str) -> None:
    SyncTombstone.objects.bulk_create(
        [
            SyncTombstone(
                user_id=uid,
                inspection_id_value=inspection.pk,
                inspection_uuid=inspection.client_uuid,
                reason=reason,
            )
            for uid in user_ids
        ],
        ignore_conflicts=True,
    )


def start_inspection(
    *, user: User, inspection: Inspection, started_at: datetime | None = None
) -> tuple[Inspection, bool]:
    """scheduled → in progress; starting again is a success that changes nothing."""
    _require_write(user, inspection)
    with transaction.atomic():
        locked = _lock(inspection)
        if locked.state == State.IN_PROGRESS:
            return locked, False
        _transition(locked, State.IN_PROGRESS, started_at=started_at or timezone.now())
    return locked, True


def cancel_inspection(*, user: User, inspection: Inspection, reason: str) -> Inspection:
    from django.core.exceptions import PermissionDenied

    if not access.can_manage_inspection(user, inspection):
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock(inspection)
        if locked.state == State.CANCELLED:
            return locked
        _transition(locked, State.CANCELLED, cancelled_reason=reason)
        _tombstone(
            locked,
            locked.inspectors.values_list("pk", flat=True),
            SyncTombstone.Reason.CANCELLED,
        )
    return locked


def mark_report_signed(inspection: Inspection) -> Inspection:
    """submitted → signed, called when the signed PDF record exists (idempotent)."""
    with transaction.atomic():
        locked = _lock(inspection)
        if locked.state != State.SIGNED:
            _transition(locked, State.SIGNED)
    return locked


# --- Answers --------------------------------------------------------------------------------


@dataclass
class AnswerInput:
    client_uuid: uuid.UUID
    item: int
    answered_at: datetime
    value: str = ""
    number_value: Decimal | None = None
    note: str = ""


@dataclass
class AnswerResult:
    client_uuid: uuid.UUID
    status: str  # created | updated | unchanged | conflict
    answer: Answer | None
    detail: str = ""


def _normalise_number(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value).quantize(Decimal("0.001"))
    except (InvalidOperation, TypeError):
        return None


def answer_hash(a: AnswerInput) -> str:
    return content_hash(
        {
            "item": a.item,
            "value": a.value,
            "number_value": _normalise_number(a.number_value),
            "note": a.note,
            "answered_at": a.answered_at,
        }
    )


def _answer_errors(a: AnswerInput, item: InspectionItem | None) -> dict[str, list[str]]:
    if item is None:
        return {"item": [_("Câu hỏi không thuộc đợt kiểm tra này.")]}
    choices = {
        AnswerType.YES_NO: {Answer.Value.COMPLIANT, Answer.Value.NON_COMPLIANT},
        AnswerType.YES_NO_NA: set(Answer.Value.values),
    }
    if item.answer_type in choices:
        if a.value not in choices[item.answer_type]:
            return {
                "value": [
                    _("Giá trị phải là một trong: %(values)s")
                    % {"values": ", ".join(sorted(choices[item.answer_type]))}
                ]
            }
    elif item.answer_type == AnswerType.NUMBER:
        if a.number_value is None and a.value != Answer.Value.NOT_APPLICABLE:
            return {"number_value": [_("Câu hỏi này cần một số đo.")]}
    elif item.answer_type == AnswerType.TEXT and not (a.note or a.value):
        return {"note": [_("Câu hỏi này cần ghi chú.")]}
    return {}


def _newer(a: AnswerInput, stored: Answer) -> bool:
    # Last writer wins by device time, then by UUID: any order of arrival gives one result.
    return (a.answered_at, str(a.client_uuid)) > (stored.answered_at, str(stored.client_uuid))


def record_answers(
    *,
    user: User,
    inspection: Inspection,
    answers: Sequence[AnswerInput],
    version: int,
) -> tuple[Inspection, list[AnswerResult]]:
    """Upsert a batch of answers in one transaction with a constant number of queries.

    Per answer: ``created``; ``updated`` (a newer answer to the same item); ``unchanged`` (a
    retry); ``conflict`` (the UUID was stored with other content, or the stored answer to the
    item is newer). The whole batch is refused with a 409 if it would change something and
    ``version`` is not the current one.
    """
    _require_write(user, inspection)
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _record_answers(user, inspection, answers, version)
        except IntegrityError:
            # A racing retry of the same batch inserted first; the second pass sees its rows.
            if attempt:
                raise
    raise AssertionError("unreachable")


ANSWER_FIELDS = [
    "client_uuid",
    "value",
    "number_value",
    "note",
    "answered_at",
    "answered_by",
    "content_hash",
    "updated_at",
]


def _record_answers(
    user: User, inspection: Inspection, answers: Sequence[AnswerInput], version: int
) -> tuple[Inspection, list[AnswerResult]]:
    locked = _lock(inspection)
    item_ids = {a.item for a in answers}
    uuids = [a.client_uuid for a in answers]
    items = {i.pk: i for i in InspectionItem.objects.filter(inspection=locked, pk__in=item_ids)}
    errors = {
        str(n): e for n, a in enumerate(answers) if (e := _answer_errors(a, items.get(a.item)))
    }
    if errors:
        raise Invalid(
            "invalid_answers", _("Một số câu trả lời không hợp lệ."), fields={"answers": errors}
        )
    stored = list(
        Answer.objects.filter(Q(inspection=locked, item_id__in=item_ids) | Q(client_uuid__in=uuids))
    )
    by_uuid = {a.client_uuid: a for a in stored}
    by_item = {a.item_id: a for a in stored if a.inspection_id == locked.pk}
    to_create: dict[int, Answer] = {}
    to_update: dict[int, Answer] = {}
    results: list[AnswerResult] = []
    for a in answers:
        digest = answer_hash(a)
        same_uuid = by_uuid.get(a.client_uuid)
        if same_uuid is not None:
            if same_uuid.content_hash == digest:
                results.append(AnswerResult(a.client_uuid, "unchanged", same_uuid))
            else:
                results.append(
                    AnswerResult(
                        a.client_uuid,
                        "conflict",
                        same_uuid if same_uuid.inspection_id == locked.pk else None,
                        _("Mã client_uuid đã được dùng với nội dung khác."),
                    )
                )
            continue
        current = by_item.get(a.item)
        if current is not None and not _newer(a, current):
            results.append(
                AnswerResult(
                    a.client_uuid,
                    "conflict",
                    current,
                    _("Đã có câu trả lời mới hơn cho câu hỏi này."),
                )
            )
            continue
        row = current or Answer(inspection=locked, item=items[a.item])
        # The replaced UUID stays known for the rest of the batch: reusing it is a conflict.
        row.client_uuid = a.client_uuid
        row.value = a.value
        row.number_value = _normalise_number(a.number_value)
        row.note = a.note
        row.answered_at = a.answered_at
        row.answered_by = user
        row.content_hash = digest
        by_uuid[a.client_uuid] = row
        by_item[a.item] = row
        if row.pk is None:
            to_create[a.item] = row
            results.append(AnswerResult(a.client_uuid, "created", row))
        else:
            to_update[row.pk] = row
            results.append(AnswerResult(a.client_uuid, "updated", row))
    if to_create or to_update:
        _check_version(locked, version)
        _require_open(locked)
        now = timezone.now()
        for row in to_update.values():
            row.updated_at = now
        Answer.objects.bulk_create(list(to_create.values()))
        # An upsert on the primary key: one INSERT … ON CONFLICT DO UPDATE for the whole batch,
        # much cheaper than bulk_update's CASE expressions (measured in bench/bench_sync.py).
        Answer.objects.bulk_create(
            list(to_update.values()),
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=ANSWER_FIELDS,
        )
        if to_create:
            _link_to_answers(locked)
        _bump(locked)
        _obligations_changed(locked.premises)
    # A row answered twice in one batch reports its final state for both UUIDs.
    for r in results:
        if r.status in ("created", "updated") and r.answer is not None:
            r.status = r.status if r.answer.client_uuid == r.client_uuid else "conflict"
    return locked, results


def _link_to_answers(inspection: Inspection) -> None:
    """Photos and findings sent before the answer to their item now point at it.

    Two statements for the whole batch; whichever order the phone's requests arrived in, every
    photo and finding ends up linked to the answer of its item.
    """
    answer_of_item = Answer.objects.filter(inspection=inspection, item=OuterRef("item")).values(
        "pk"
    )[:1]
    for model in (Photo, Finding):
        model.objects.filter(inspection=inspection, answer__isnull=True, item__isnull=False).update(
            answer=Subquery(answer_of_item)
        )


# --- Photos ---------------------------------------------------------------------------------


def photo_hash(
    *,
    sha256: str,
    item_id: int | None,
    finding_uuid: uuid.UUID | None,
    taken_at: datetime | None,
    latitude: Decimal | None,
    longitude: Decimal | None,
    caption: str,
) -> str:
    def coord(v: Decimal | None) -> Decimal | None:
        return None if v is None else Decimal(v).quantize(Decimal("0.000001"))

    return content_hash(
        {
            "sha256": sha256.lower(),
            "item": item_id,
            "finding": finding_uuid,
            "taken_at": taken_at,
            "latitude": coord(latitude),
            "longitude": coord(longitude),
            "caption": caption,
        }
    )


def _same_uuid(model: type, client_uuid: uuid.UUID, digest: str, inspection: Inspection, what: str):
    existing = model.objects.filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    if existing.inspection_id == inspection.pk and existing.content_hash == digest:
        return existing
    raise Conflict(
        "client_uuid_conflict",
        _("Mã client_uuid đã được dùng cho %(what)s với nội dung khác.") % {"what": what},
        current=existing if existing.inspection_id == inspection.pk else None,
    )


def add_photo(
    *,
    user: User,
    inspection: Inspection,
    client_uuid: uuid.UUID,
    sha256: str,
    data: bytes | None,
    item_id: int | None = None,
    finding_uuid: uuid.UUID | None = None,
    taken_at: datetime | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    caption: str = "",
) -> tuple[Photo, bool]:
    """Store a photo once per content; a resend after a lost response returns the stored one."""
    _require_write(user, inspection)
    sha256 = sha256.lower()
    digest = photo_hash(
        sha256=sha256,
        item_id=item_id,
        finding_uuid=finding_uuid,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
        caption=caption,
    )
    if existing := _same_uuid(Photo, client_uuid, digest, inspection, _("ảnh")):
        return existing, False
    blob = PhotoBlob.objects.filter(sha256=sha256).first()
    if data is None:
        # Metadata only: the bytes are already here (a resend, or the same picture attached
        # twice), so the phone need not upload them again.
        if blob is None:
            raise Invalid(
                "file_required",
                _("Máy chủ chưa có ảnh này; hãy gửi kèm tệp."),
                fields={"file": [_("Trường này là bắt buộc.")]},
            )
    else:
        if len(data) > settings.PHOTO_MAX_BYTES:
            raise TooLarge(
                "photo_too_large",
                _("Ảnh vượt quá %(mb)s MB.") % {"mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)},
                fields={"file": [_("Tệp quá lớn.")]},
            )
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise Invalid(
                "sha256_mismatch",
                _("SHA-256 của tệp không khớp; tệp có thể bị hỏng khi truyền, hãy gửi lại."),
                fields={"sha256": [_("Giá trị tính được: %(v)s") % {"v": actual}]},
            )
        if blob is None:
            try:
                info = inspect_image(data, max_pixels=settings.PHOTO_MAX_PIXELS)
            except ImageRejected as exc:
                raise Invalid(exc.code, str(exc), fields={"file": [str(exc)]}) from exc
            blob = _store_blob(sha256, data, info)
    with transaction.atomic():
        locked = _lock(inspection)
        _require_open(locked)
        item = finding = None
        if item_id is not None:
            item = InspectionItem.objects.filter(inspection=locked, pk=item_id).first()
            if item is None:
                raise Invalid(
                    "invalid_item",
                    _("Câu hỏi không thuộc đợt kiểm tra này."),
                    fields={"item": [_("Câu hỏi không thuộc đợt kiểm tra này.")]},
                )
        if finding_uuid is not None:
            finding = Finding.objects.filter(inspection=locked, client_uuid=finding_uuid).first()
            if finding is None:
                raise Conflict(
                    "depends_on_missing",
                    _("Vi phạm chưa được gửi lên; hãy gửi vi phạm trước rồi thử lại."),
                    fields={"finding": [_("Không tìm thấy.")]},
                )
        try:
            with transaction.atomic():
                photo = Photo.objects.create(
                    client_uuid=client_uuid,
                    inspection=locked,
                    blob=blob,
                    item=item,
                    answer=Answer.objects.filter(inspection=locked, item=item).first()
                    if item
                    else None,
                    finding=finding,
                    caption=caption,
                    taken_at=taken_at,
                    latitude=latitude,
                    longitude=longitude,
                    uploaded_by=user,
                    content_hash=digest,
                )
        except IntegrityError:
            existing = _same_uuid(Photo, client_uuid, digest, inspection, _("ảnh"))
            if existing is None:
                raise
            return existing, False
        _bump(locked)
    return photo, True


def _store_blob(sha256: str, data: bytes, info: Any) -> PhotoBlob:
    # The bytes are stored as sent: EXIF (time, GPS, device) is part of the evidence.
    blob = PhotoBlob(
        sha256=sha256,
        content_type=info.content_type,
        size=len(data),
        width=info.width,
        height=info.height,
    )
    try:
        with transaction.atomic():
            blob.file.save(f"{sha256}", ContentFile(data), save=False)
            blob.save()
    except IntegrityError:
        # A racing upload of the same bytes stored them first: keep theirs, drop our copy.
        blob.file.delete(save=False)
        return PhotoBlob.objects.get(sha256=sha256)
    return blob


# --- Findings -------------------------------------------------------------------------------


def finding_hash(
    *,
    item_id: int | None,
    requirement_id: int | None,
    description: str,
    severity: str,
    remediation_deadline: date | None,
) -> str:
    return content_hash(
        {
            "item": item_id,
            "requirement": requirement_id,
            "description": description,
            "severity": severity,
            "remediation_deadline": remediation_deadline,
        }
    )


def raise_finding(
    *,
    user: User,
    inspection: Inspection,
    client_uuid: uuid.UUID,
    description: str,
    item_id: int | None = None,
    requirement_id: int | None = None,
    severity: str = "",
    remediation_deadline: date | None = None,
) -> tuple[Finding, bool]:
    """A violation found during the inspection, usually on a non-compliant item."""
    _require_write(user, inspection)
    digest = finding_hash(
        item_id=item_id,
        requirement_id=requirement_id,
        description=description,
        severity=severity,
        remediation_deadline=remediation_deadline,
    )
    if existing := _same_uuid(Finding, client_uuid, digest, inspection, _("vi phạm")):
        return existing, False
    with transaction.atomic():
        locked = _lock(inspection)
        _require_open(locked)
        item = None
        if item_id is not None:
            item = InspectionItem.objects.filter(inspection=locked, pk=item_id).first()
            if item is None:
                raise Invalid(
                    "invalid_item",
                    _("Câu hỏi không thuộc đợt kiểm tra này."),
                    fields={"item": [_("Câu hỏi không thuộc đợt kiểm tra này.")]},
                )
        requirement = None
        if item is not None:
            requirement_id = requirement_id or item.requirement_id
        if requirement_id is not None:
            requirement = Requirement.objects.filter(
                pk=requirement_id, version_id=locked.catalogue_version_id
            ).first()
            if requirement is None:
                raise Invalid(
                    "invalid_requirement",
                    _("Yêu cầu không thuộc phiên bản danh mục của đợt kiểm tra."),
                    fields={"requirement": [_("Không hợp lệ.")]},
                )
        try:
            with transaction.atomic():
                finding = Finding.objects.create(
                    client_uuid=client_uuid,
                    inspection=locked,
                    premises_id=locked.premises_id,
                    item=item,
                    answer=Answer.objects.filter(inspection=locked, item=item).first()
                    if item
                    else None,
                    requirement=requirement,
                    description=description,
                    severity=severity or (item.severity if item else "") or "major",
                    remediation_deadline=remediation_deadline,
                    created_by=user,
                    content_hash=digest,
                )
        except IntegrityError:
            existing = _same_uuid(Finding, client_uuid, digest, inspection, _("vi phạm"))
            if existing is None:
                raise
            return existing, False
        _bump(locked)
    return finding, True


# --- Signatures and submission --------------------------------------------------------------


def signature_hash(*, role: str, signer_name: str, position: str, sha256: str) -> str:
    return content_hash(
        {"role": role, "signer_name": signer_name, "position": position, "sha256": sha256}
    )


def add_signature(
    *,
    user: User,
    inspection: Inspection,
    client_uuid: uuid.UUID,
    role: str,
    signer_name: str,
    image: bytes,
    position: str = "",
    signed_at: datetime | None = None,
) -> tuple[Signature, bool]:
    """A drawn signature (PNG), one per role."""
    _require_write(user, inspection)
    sha256 = hashlib.sha256(image).hexdigest()
    digest = signature_hash(role=role, signer_name=signer_name, position=position, sha256=sha256)
    existing = Signature.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        stored = signature_hash(
            role=existing.role,
            signer_name=existing.signer_name,
            position=existing.position,
            sha256=existing.sha256,
        )
        if existing.inspection_id == inspection.pk and stored == digest:
            return existing, False
        raise Conflict(
            "client_uuid_conflict",
            _("Mã client_uuid đã được dùng cho chữ ký khác."),
            current=existing if existing.inspection_id == inspection.pk else None,
        )
    if len(image) > settings.SIGNATURE_MAX_BYTES:
        raise TooLarge("signature_too_large", _("Ảnh chữ ký quá lớn."), fields={"image": []})
    try:
        inspect_image(image, max_pixels=settings.SIGNATURE_MAX_PIXELS, allowed=("PNG",))
    except ImageRejected as exc:
        raise Invalid(exc.code, str(exc), fields={"image": [str(exc)]}) from exc
    with transaction.atomic():
        locked = _lock(inspection)
        _require_open(locked)
        other = Signature.objects.filter(inspection=locked, role=role).first()
        if other is not None:
            raise Conflict(
                "signature_exists",
                _("Đợt kiểm tra đã có chữ ký cho vai trò này."),
                current=other,
            )
        signature = Signature(
            client_uuid=client_uuid,
            inspection=locked,
            role=role,
            signer_name=signer_name,
            position=position,
            sha256=sha256,
            signed_at=signed_at or timezone.now(),
        )
        signature.image.save(f"{sha256}.png", ContentFile(image), save=False)
        signature.save()
        _bump(locked)
    return signature, True


def required_signature_roles(inspection: Inspection) -> tuple[str, ...]:
    if inspection.kind == Inspection.Kind.SELF and inspection.authority_id is None:
        return (Signature.Role.FACILITY_HEAD,)
    return (Signature.Role.INSPECTOR, Signature.Role.REPRESENTATIVE)


def unanswered_required_items(inspection: Inspection) -> list[InspectionItem]:
    return list(
        InspectionItem.objects.filter(inspection=inspection, required=True)
        .exclude(
            pk__in=Answer.objects.filter(inspection=inspection)
            .exclude(value="", number_value__isnull=True, note="")
            .values("item_id")
        )
        .order_by("order")
    )


def submit_inspection(
    *,
    user: User,
    inspection: Inspection,
    version: int,
    recommendations: str = "",
    representative_name: str = "",
    representative_position: str = "",
    ended_at: datetime | None = None,
) -> tuple[Inspection, bool]:
    """in progress → submitted, and queue the signed record. The same submission again is a
    success that changes nothing; a different one after submission is a 409."""
    _require_write(user, inspection)
    with transaction.atomic():
        locked = _lock(inspection)
        signatures = {s.role: s.sha256 for s in Signature.objects.filter(inspection=locked)}
        digest = content_hash(
            {
                "recommendations": recommendations,
                "representative_name": representative_name,
                "representative_position": representative_position,
                "ended_at": ended_at,
                "signatures": signatures,
            }
        )
        if locked.state in (State.SUBMITTED, State.SIGNED):
            if locked.submission_hash == digest:
                return locked, False
            raise Conflict(
                "already_submitted",
                _("Đợt kiểm tra đã được nộp với nội dung khác."),
                current=locked,
            )
        _check_version(locked, version)
        _require_open(locked)
        fields: dict[str, Any] = {}
        missing_roles = [r for r in required_signature_roles(locked) if r not in signatures]
        if missing_roles:
            fields["signatures"] = [
                _("Thiếu chữ ký: %(roles)s")
                % {"roles": ", ".join(str(Signature.Role(r).label) for r in missing_roles)}
            ]
        if missing := unanswered_required_items(locked):
            fields["items"] = [f"{i.pk}:{i.code}" for i in missing]
        if locked.authority_id is not None and not representative_name:
            fields["representative_name"] = [_("Trường này là bắt buộc.")]
        if fields:
            raise Invalid("incomplete", _("Biên bản chưa đủ thông tin để nộp."), fields=fields)
        _transition(
            locked,
            State.SUBMITTED,
            recommendations=recommendations,
            representative_name=representative_name,
            representative_position=representative_position,
            ended_at=ended_at or timezone.now(),
            submitted_at=timezone.now(),
            submission_hash=digest,
        )
        # The record is final: the premises' obligations must reflect it when the head looks.
        refresh_obligations(locked.premises)
        # Rendering and signing the PDF runs in a worker once this transaction commits.
        queue_report(locked)
    return locked, True


__all__ = [
    "AnswerInput",
    "AnswerResult",
    "Conflict",
    "Invalid",
    "ServiceError",
    "add_photo",
    "add_signature",
    "assign_inspectors",
    "cancel_inspection",
    "create_inspection",
    "mark_report_signed",
    "raise_finding",
    "record_answers",
    "start_inspection",
    "start_unplanned_inspection",
    "submit_inspection",
]
