"""Answers recorded in batches: one transaction, constant queries, last device time wins."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from json.encoder import encode_basestring_ascii as _json_str  # json.dumps' own
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.lookups import AnyOf
from inspections.models import (
    Answer,
    AnswerType,
    Finding,
    Inspection,
    InspectionItem,
    Photo,
)

from .answer_upsert import upsert_answers
from .errors import Invalid
from .inspection_state import (
    bump,
    check_version,
    content_hash,
    obligations_changed,
    require_open,
)

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


def _hashed_content(a: AnswerInput) -> dict[str, Any]:
    return {
        "item": a.item,
        "value": a.value,
        "number_value": _normalise_number(a.number_value),
        "note": a.note,
        "answered_at": a.answered_at,
    }


def answer_hash(a: AnswerInput) -> str:
    """``content_hash(_hashed_content(a))``, its canonical JSON written out (a batch hashes
    hundreds of answers); anything unusual goes the general way."""
    if type(a.item) is not int or not isinstance(a.answered_at, datetime):
        return content_hash(_hashed_content(a))
    number = _normalise_number(a.number_value)
    text = (
        f'{{"answered_at":{_json_str(a.answered_at.astimezone(UTC).isoformat())},'
        f'"item":{a.item},"note":{_json_str(a.note)},'
        f'"number_value":{"null" if number is None else _json_str(str(number))},'
        f'"value":{_json_str(a.value)}}}'
    )
    return hashlib.sha256(text.encode()).hexdigest()


# Answer.number_value is NUMERIC(14, 3): a larger number would make PostgreSQL refuse the row.
NUMBER_LIMIT = Decimal(10) ** 11
# Built once: the choices' labels are lazy translations, costly to walk for every answer.
VALUES = frozenset(Answer.Value.values)
CHOICES_OF_TYPE = {
    AnswerType.YES_NO: frozenset({Answer.Value.COMPLIANT, Answer.Value.NON_COMPLIANT}),
    AnswerType.YES_NO_NA: VALUES,
}


def _answer_errors(a: AnswerInput, answer_type: str | None) -> dict[str, list[str]]:
    if answer_type is None:
        return {"item": [_("Câu hỏi không thuộc đợt kiểm tra này.")]}
    return _column_errors(a) or _type_errors(a, answer_type)


def _column_errors(a: AnswerInput) -> dict[str, list[str]]:
    """Whatever the caller (API, portal form), the row must fit its columns."""
    if a.value and a.value not in VALUES:
        return {
            "value": [
                _("Giá trị phải là một trong: %(values)s") % {"values": ", ".join(sorted(VALUES))}
            ]
        }
    number = _normalise_number(a.number_value)
    if a.number_value is not None and (number is None or abs(number) >= NUMBER_LIMIT):
        return {"number_value": [_("Số đo không hợp lệ hoặc quá lớn.")]}
    if len(a.note) > settings.NOTE_MAX_CHARS:
        return {"note": [_("Ghi chú dài quá %(max)d ký tự.") % {"max": settings.NOTE_MAX_CHARS}]}
    return {}


def _type_errors(a: AnswerInput, answer_type: str) -> dict[str, list[str]]:
    """The answer must be one its question's type accepts."""
    choices = CHOICES_OF_TYPE.get(answer_type)
    if choices is not None:
        if a.value not in choices:
            return {
                "value": [
                    _("Giá trị phải là một trong: %(values)s")
                    % {"values": ", ".join(sorted(choices))}
                ]
            }
    elif answer_type == AnswerType.NUMBER:
        if a.number_value is None and a.value != Answer.Value.NOT_APPLICABLE:
            return {"number_value": [_("Câu hỏi này cần một số đo.")]}
    elif answer_type == AnswerType.TEXT and not (a.note or a.value):
        return {"note": [_("Câu hỏi này cần ghi chú.")]}
    return {}


def _newer(a: AnswerInput, stored: _Stored | Answer) -> bool:
    # Last writer wins by device time, then by UUID: any order of arrival gives one result.
    # ``upsert_answers`` repeats this rule in SQL, so no write can replace a newer answer. UUIDs
    # compare as 128-bit numbers, the order of their fixed-width hex text, which SQL compares.
    return (a.answered_at, a.client_uuid) > (stored.answered_at, stored.client_uuid)


def record_answers(
    *,
    user: User,
    inspection: Inspection | int,
    answers: Sequence[AnswerInput],
    version: int | None,
) -> tuple[Inspection, list[AnswerResult]]:
    """Upsert a batch of answers in one transaction with a constant number of queries.

    ``inspection`` (or its id) is read once, under its row lock, with the user's permissions:
    404 when the user may not see it, 403 when they may not work on it.

    Per answer: ``created``; ``updated`` (a newer answer to the same item); ``unchanged`` (a
    retry); ``conflict`` (the UUID was stored with other content, or the stored answer to the
    item is newer). The whole batch is refused with a 409 if it would change something and
    ``version`` is not the current one; ``None`` skips that check (a writer that follows no
    version: the order of answers to one item still decides).
    """
    pk = inspection if isinstance(inspection, int) else inspection.pk
    for attempt in range(2):
        try:
            with transaction.atomic():
                locked = access.access_inspection(user, pk, write=True, lock=True)
                return _record_answers(user, locked, answers, version)
        except IntegrityError:
            # A racing retry of the same batch inserted first; the second pass sees its rows.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _record_answers(
    user: User, locked: Inspection, answers: Sequence[AnswerInput], version: int | None
) -> tuple[Inspection, list[AnswerResult]]:
    item_ids = {a.item for a in answers}
    uuids = [a.client_uuid for a in answers]
    # Only what validation needs: the frozen item texts and citations are not read. No
    # ordering (the models' default joins the inspection) and one array per list of values.
    answer_types = dict(
        InspectionItem.objects.filter(AnyOf(F("pk"), item_ids), inspection_id=locked.pk)
        .order_by()
        .values_list("pk", "answer_type")
    )
    errors = {
        str(n): e
        for n, a in enumerate(answers)
        if (e := _answer_errors(a, answer_types.get(a.item)))
    }
    if errors:
        raise Invalid(
            "invalid_answers", _("Một số câu trả lời không hợp lệ."), fields={"answers": errors}
        )
    by_uuid, by_item = _stored_answers(user, locked, item_ids, uuids)
    writes: dict[int, Answer] = {}  # item id -> the row to store (one per item: one upsert)
    decided: list[_Decision] = []
    for a in answers:
        digest = answer_hash(a)
        same_uuid = by_uuid.get(a.client_uuid)
        if same_uuid is not None:
            if same_uuid.content_hash == digest:
                decided.append((a.client_uuid, "unchanged", same_uuid, ""))
            else:
                mine = same_uuid if same_uuid.inspection_id == locked.pk else None
                detail = _("Mã client_uuid đã được dùng với nội dung khác.")
                decided.append((a.client_uuid, "conflict", mine, detail))
            continue
        current = by_item.get(a.item)
        if current is not None and not _newer(a, current):
            detail = _("Đã có câu trả lời mới hơn cho câu hỏi này.")
            decided.append((a.client_uuid, "conflict", current, detail))
            continue
        row = _row_to_write(locked, a, current, user, digest)
        # The replaced UUID stays known for the rest of the batch: reusing it is a conflict.
        by_uuid[a.client_uuid] = row
        by_item[a.item] = row
        writes[a.item] = row
        decided.append((a.client_uuid, "created" if row.pk is None else "updated", row, ""))
    if writes:
        check_version(locked, version)
        require_open(locked)
        now = timezone.now()
        created = upsert_answers(list(writes.values()), now=now)
        if created:
            _link_to_answers(locked)
        bump(locked)
        obligations_changed(locked.premises)
    results = _results(decided, writes.values())
    # A row answered twice in one batch reports its final state for both UUIDs.
    for r in results:
        if r.status in ("created", "updated") and r.answer is not None:
            r.status = r.status if r.answer.client_uuid == r.client_uuid else "conflict"
    return locked, results


class _Stored(NamedTuple):
    """What deciding needs of a stored answer; the whole row is read only if it is reported."""

    pk: int
    client_uuid: uuid.UUID
    inspection_id: int
    item_id: int
    answered_at: datetime
    content_hash: str
    created_at: datetime


# (client UUID, status, the answer to report, detail)
_Decision = tuple[uuid.UUID, str, _Stored | Answer | None, str]


def _stored_answers(
    user: User, locked: Inspection, item_ids: set[int], uuids: list[uuid.UUID]
) -> tuple[dict[uuid.UUID, _Stored | Answer], dict[int, _Stored | Answer]]:
    """The stored answers to the batch's items and under its UUIDs, by UUID and by item.

    Tuples, not model instances: in the usual batch every one of them is replaced.
    """
    stored = [
        _Stored(*row)
        for row in Answer.objects.filter(
            Q(AnyOf(F("item_id"), item_ids), inspection_id=locked.pk)
            | Q(AnyOf(F("client_uuid"), uuids))
        )
        .order_by()
        .values_list(*_Stored._fields)
    ]
    foreign = [a.pk for a in stored if a.inspection_id != locked.pk]
    if foreign:
        for answer in Answer.objects.filter(AnyOf(F("pk"), foreign)):
            # A UUID stored in another inspection: a conflict only if the caller may see it.
            access.access_stored(user, answer)
    by_uuid: dict[uuid.UUID, _Stored | Answer] = {a.client_uuid: a for a in stored}
    by_item: dict[int, _Stored | Answer] = {
        a.item_id: a for a in stored if a.inspection_id == locked.pk
    }
    return by_uuid, by_item


# Every column of a row to write, in the model's order: ``from_db`` builds the instance the way
# a query does, positionally, at half the cost of keyword arguments (200 per batch).
_ROW_FIELDS = (
    "id",
    "client_uuid",
    "inspection_id",
    "item_id",
    "value",
    "number_value",
    "note",
    "answered_at",
    "answered_by_id",
    "content_hash",
    "created_at",
    "updated_at",
)


def _row_to_write(
    locked: Inspection, a: AnswerInput, current: _Stored | Answer | None, user: User, digest: str
) -> Answer:
    number = _normalise_number(a.number_value)
    if isinstance(current, Answer):
        # Written earlier in this batch: one row per item, its results share its final state.
        current.client_uuid, current.value, current.number_value = a.client_uuid, a.value, number
        current.note, current.answered_at, current.content_hash = a.note, a.answered_at, digest
        current.answered_by_id = user.pk
        return current
    pk, created_at = (None, None) if current is None else (current.pk, current.created_at)
    values = (pk, a.client_uuid, locked.pk, a.item, a.value, number, a.note, a.answered_at)
    # updated_at is set by upsert_answers.
    return Answer.from_db(None, _ROW_FIELDS, (*values, user.pk, digest, created_at, None))


def _results(decided: list[_Decision], written: Iterable[Answer]) -> list[AnswerResult]:
    """The results, with the stored answers they hand back (a retry, a newer answer kept) read
    whole in one query. A row replaced later in the batch is reported as written."""
    rows: dict[int, Answer] = {row.pk: row for row in written if row.pk is not None}
    wanted = {a.pk for _, _, a, _ in decided if isinstance(a, _Stored) and a.pk not in rows}
    if wanted:
        rows.update((row.pk, row) for row in Answer.objects.filter(AnyOf(F("pk"), wanted)))
    return [
        AnswerResult(client_uuid, status, rows[a.pk] if isinstance(a, _Stored) else a, detail)
        for client_uuid, status, a, detail in decided
    ]


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
