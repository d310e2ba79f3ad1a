"""What a phone needs offline, changed since its cursor, one page at a time.

A cursor remembers three watermarks: the last inspection sent, by (updated_at, id); when
premises and obligations were last sent; the last tombstone sent. Inspections are paged by
keyset so a page is never repeated within a pass. When a pass ends, the watermarks are moved
back by ``SAFETY`` so a change whose transaction committed late is sent again rather than
lost: the device applies everything as an idempotent upsert.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from inspections import access
from inspections.models import (
    Answer,
    ChecklistTemplate,
    Inspection,
    InspectionItem,
    Obligation,
    Premises,
    SyncTombstone,
)

from .inspections import with_contents

SAFETY = timedelta(seconds=5)


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class SyncCursor:
    inspection_at: datetime | None = None
    inspection_id: int = 0
    premises_at: datetime | None = None
    tombstone_id: int = 0

    def encode(self) -> str:
        data = {
            "i": [
                self.inspection_at.isoformat() if self.inspection_at else None,
                self.inspection_id,
            ],
            "p": self.premises_at.isoformat() if self.premises_at else None,
            "x": self.tombstone_id,
        }
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> SyncCursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            data = json.loads(raw)
            at, iid = data["i"]
            return cls(
                inspection_at=datetime.fromisoformat(at) if at else None,
                inspection_id=int(iid),
                premises_at=datetime.fromisoformat(data["p"]) if data["p"] else None,
                tombstone_id=int(data["x"]),
            )
        except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise InvalidCursor(str(exc)) from exc


@dataclass
class SyncPage:
    inspections: list[Inspection]
    premises: list[Premises]
    templates: list[ChecklistTemplate]
    tombstones: list[SyncTombstone]
    cursor: SyncCursor
    has_more: bool
    full: bool = field(default=False)


def sync_page(user: User, cursor: SyncCursor | None, page_size: int) -> SyncPage:
    now = timezone.now()
    full = cursor is None
    cursor = cursor or SyncCursor()
    assigned = access.inspections_assigned_to(user).exclude(state=Inspection.State.CANCELLED)

    page_qs = assigned
    if cursor.inspection_at is not None:
        page_qs = page_qs.filter(
            Q(updated_at__gt=cursor.inspection_at)
            | Q(updated_at=cursor.inspection_at, id__gt=cursor.inspection_id)
        )
    # Items and answers change only with the inspection's version: the API keeps their rows
    # cached per version (items_of, answers_of read the ones not cached yet).
    rows = list(
        with_contents(page_qs.order_by("updated_at", "id"), items=False, answers=False)[
            : page_size + 1
        ]
    )
    has_more = len(rows) > page_size
    inspections = rows[:page_size]

    tombstones = list(
        SyncTombstone.objects.filter(user=user, id__gt=cursor.tombstone_id).order_by("id")
    )
    if full:
        # A first sync is the whole set: nothing to forget, only the watermark to start from.
        tombstones_sent: list[SyncTombstone] = []
    else:
        tombstones_sent = tombstones
    last_tombstone = tombstones[-1].pk if tombstones else cursor.tombstone_id

    premises_q = Q(pk__in={i.premises_id for i in inspections})
    if not has_more:
        changed = (
            Q(updated_at__gt=cursor.premises_at)
            | Exists(
                Obligation.objects.filter(
                    premises=OuterRef("pk"), computed_at__gt=cursor.premises_at
                )
            )
            if cursor.premises_at
            else Q()
        )
        if cursor.premises_at is not None:
            premises_q |= Q(pk__in=assigned.values("premises_id")) & changed
    premises = list(
        Premises.objects.filter(premises_q).prefetch_related(_obligations_prefetch()).order_by("id")
    )
    template_ids = {i.template_id for i in inspections if i.template_id}
    templates = list(
        ChecklistTemplate.objects.filter(pk__in=template_ids).select_related("version")
    )

    if has_more:
        last = inspections[-1]
        next_cursor = SyncCursor(last.updated_at, last.pk, cursor.premises_at, last_tombstone)
    else:
        horizon = now - SAFETY
        if inspections and inspections[-1].updated_at < horizon:
            at, iid = inspections[-1].updated_at, inspections[-1].pk
        elif (
            cursor.inspection_at is not None and cursor.inspection_at < horizon and not inspections
        ):
            at, iid = cursor.inspection_at, cursor.inspection_id
        else:
            at, iid = horizon, 0
        next_cursor = SyncCursor(at, iid, horizon, last_tombstone)
    return SyncPage(
        inspections=inspections,
        premises=premises,
        templates=templates,
        tombstones=tombstones_sent,
        cursor=next_cursor,
        has_more=has_more,
        full=full,
    )


def items_of(inspection_ids: Iterable[int]) -> dict[int, list[InspectionItem]]:
    """The checklist items of these inspections, in order: one query."""
    by_inspection: dict[int, list[InspectionItem]] = {i: [] for i in inspection_ids}
    for item in InspectionItem.objects.filter(inspection_id__in=list(by_inspection)).order_by(
        "inspection_id", "order"
    ):
        by_inspection[item.inspection_id].append(item)
    return by_inspection


def answers_of(inspection_ids: Iterable[int]) -> dict[int, list[Answer]]:
    """The answers of these inspections, by item: one query."""
    by_inspection: dict[int, list[Answer]] = {i: [] for i in inspection_ids}
    for answer in Answer.objects.filter(inspection_id__in=list(by_inspection)).order_by(
        "inspection_id", "item_id"
    ):
        by_inspection[answer.inspection_id].append(answer)
    return by_inspection


def _obligations_prefetch():
    from django.db.models import Prefetch

    return Prefetch(
        "obligations",
        queryset=Obligation.objects.select_related("requirement").order_by(
            "requirement__order", "id"
        ),
    )
