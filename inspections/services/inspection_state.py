"""Shared steps of every inspection change: lock, version check, state move, content hashes."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.models import Inspection, Premises, SyncTombstone

from . import rollups
from .errors import Conflict
from .queued_refresh import queue_refresh

State = Inspection.State


def _canonical(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, (date, Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(type(value))


# What json.dumps(..., sort_keys=True, separators=(",", ":"), default=_canonical) builds on
# every call; built once (a batch hashes hundreds of answers).
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=_canonical)


def content_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of a canonical JSON form: equal content gives an equal hash on every retry."""
    return hashlib.sha256(_CANONICAL_JSON.encode(payload).encode()).hexdigest()


def lock(inspection: Inspection) -> Inspection:
    """Re-read the inspection under a row lock (PostgreSQL); SQLite serialises writers anyway."""
    return Inspection.objects.select_for_update().select_related("premises").get(pk=inspection.pk)


def bump(inspection: Inspection, **fields: Any) -> None:
    inspection.version += 1
    for name, value in fields.items():
        setattr(inspection, name, value)
    inspection.save(update_fields=["version", "updated_at", *fields])


def transition(inspection: Inspection, target: str, **fields: Any) -> None:
    """The only place that changes ``state``: refuses moves the state machine does not allow."""
    if not inspection.can_move_to(target):
        raise Conflict(
            "invalid_state",
            _("Không thể chuyển đợt kiểm tra từ trạng thái “%(from)s” sang “%(to)s”.")
            % {"from": inspection.get_state_display(), "to": State(target).label},
            current=inspection,
        )
    bump(inspection, state=target, **fields)
    rollups.premises_changed([inspection.premises_id])


def require_open(inspection: Inspection) -> None:
    if not inspection.is_open_for_work:
        raise Conflict(
            "invalid_state",
            _("Đợt kiểm tra không ở trạng thái đang kiểm tra (hiện tại: %(state)s).")
            % {"state": inspection.get_state_display()},
            current=inspection,
        )


def check_version(inspection: Inspection, version: int | None) -> None:
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


def obligations_changed(premises: Premises) -> None:
    """Answers feed the premises' obligations: recompute them after commit, off the request."""
    transaction.on_commit(lambda: queue_refresh(premises))


def require_write(user: User, inspection: Inspection) -> None:
    from django.core.exceptions import PermissionDenied

    if not access.can_work_on_inspection(user, inspection):
        raise PermissionDenied


def same_uuid(
    model: type,
    client_uuid: uuid.UUID,
    digest: str,
    inspection: Inspection,
    what: str,
    *,
    user: User,
):
    """The stored object of a resend (same UUID, same content), else None when the UUID is new.

    Other content under the UUID is a 409; a UUID stored where ``user`` may not look is a 404,
    so a reply never shows or confirms another tenant's object.
    """
    existing = model.objects.filter(client_uuid=client_uuid).select_related("inspection").first()
    if existing is None:
        return None
    access.access_stored(user, existing)
    if existing.inspection_id == inspection.pk and existing.content_hash == digest:
        return existing
    raise Conflict(
        "client_uuid_conflict",
        _("Mã client_uuid đã được dùng cho %(what)s với nội dung khác.") % {"what": what},
        current=existing if existing.inspection_id == inspection.pk else None,
    )


def tombstone(inspection: Inspection, user_ids: Iterable[int], reason: str) -> None:
    """Tell these users' phones to drop the inspection (unassigned, cancelled)."""
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
