"""Creating, scheduling and assigning inspections: idempotent by client UUID, under the yearly cap."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Authority, User
from inspections import access
from inspections.models import (
    Inspection,
    Premises,
    SyncTombstone,
)
from inspections.selectors.planning import CAPPED_KINDS, check_inspection_cap

from . import checklists, rollups
from .errors import Conflict, Forbidden, Invalid
from .inspection_state import State, bump, content_hash, lock, tombstone


def _check_cap(
    *,
    user: User,
    premises: Premises,
    authority: Authority | None,
    on: date,
    reason: str,
    kind: str,
) -> str:
    """Resolution 198/2025/QH15 Art. 4: past the yearly cap only with a reason, decided by a
    manager of the authority. Returns the reason to record ("" when the cap is not reached)."""
    if kind not in CAPPED_KINDS:
        return ""
    decision = check_inspection_cap(premises, on, reason)
    if not decision.needs_reason:
        return ""
    if not access.is_manager_of(user, authority.pk if authority else None):
        message = _(
            "Cơ sở đã được kiểm tra đủ số lần trong năm (Nghị quyết 198/2025/QH15 Điều 4); "
            "chỉ lãnh đạo cơ quan kiểm tra mới được quyết định kiểm tra thêm."
        )
        raise Forbidden(
            "cap_override_forbidden", message, fields={"cap_override_reason": [message]}
        )
    if not decision.allowed:
        message = decision.message
        raise Invalid("inspection_cap_reached", message, fields={"cap_override_reason": [message]})
    return decision.reason


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


def _existing_by_uuid(user: User, client_uuid: uuid.UUID, fingerprint: str) -> Inspection | None:
    existing = (
        Inspection.objects.filter(client_uuid=client_uuid)
        .select_related("premises", "authority")
        .first()
    )
    if existing is None:
        return None
    # Asked before comparing: neither a replay nor a conflict reveals what the caller may not see.
    access.access_stored(user, existing)
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
    unannounced_reason: str = "",
    joint_authority: Authority | None = None,
) -> tuple[Inspection, bool]:
    fingerprint = _inspection_fingerprint(
        premises_id=premises.pk,
        kind=kind,
        authority_id=authority.pk if authority else None,
        scheduled_for=scheduled_for,
    )
    if client_uuid is not None and (existing := _existing_by_uuid(user, client_uuid, fingerprint)):
        return existing, False
    unannounced_reason = _require_unannounced_reason(kind, authority, unannounced_reason)
    if joint_authority is not None:
        _validate_joint(premises, authority, joint_authority)
    # An inspection follows the law as in force on its date (scheduled, else today) and keeps
    # that version even when a later one comes into force before it is carried out.
    version = checklists.current_catalogue_version(scheduled_for or timezone.localdate())
    if version is None:
        raise Invalid("no_catalogue", _("Chưa có phiên bản danh mục yêu cầu nào được ban hành."))
    cap_override_reason = _check_cap(
        user=user,
        premises=premises,
        authority=authority,
        on=scheduled_for or timezone.localdate(),
        reason=cap_override_reason,
        kind=kind,
    )
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
                cap_override_by=user if cap_override_reason else None,
                unannounced_reason=unannounced_reason,
                joint_authority=joint_authority,
            )
            inspection.inspectors.set(inspectors)
            checklists.freeze_items(inspection)
            rollups.premises_changed([premises.pk])
    except IntegrityError:
        # Two retries raced; the first one won. Same content: theirs is ours.
        if client_uuid is None:
            raise
        existing = _existing_by_uuid(user, client_uuid, fingerprint)
        if existing is None:
            raise
        return existing, False
    return inspection, True


def _require_unannounced_reason(kind: str, authority: Authority | None, reason: str) -> str:
    """Decree 105 Art. 14.5: a surprise inspection by an authority states its reason."""
    reason = (reason or "").strip()
    if kind == Inspection.Kind.UNANNOUNCED and authority is not None and not reason:
        message = _("Kiểm tra đột xuất phải ghi rõ lý do (Nghị định 105/2025 Điều 14 khoản 5).")
        raise Invalid("reason_required", message, fields={"unannounced_reason": [message]})
    return reason if kind == Inspection.Kind.UNANNOUNCED else ""


def _validate_joint(premises: Premises, authority: Authority | None, joint: Authority) -> None:
    """One joint inspection of an Appendix II business: the police and the construction
    authority (Resolution 198/2025/QH15 Art. 4), both covering the premises."""
    from inspections.selectors.planning import joint_partner_kind

    wanted = joint_partner_kind(premises, authority.kind if authority else "")
    if wanted is None or joint.kind != wanted or joint.pk == getattr(authority, "pk", None):
        message = _("Cơ quan này không thể cùng kiểm tra cơ sở này.")
        raise Invalid("invalid_joint_authority", message, fields={"joint_authority": [message]})
    if not joint.covers(premises.province_code, premises.ward_code):
        message = _("Cơ sở không thuộc địa bàn của cơ quan cùng kiểm tra.")
        raise Invalid("invalid_joint_authority", message, fields={"joint_authority": [message]})


def _validate_inspectors(authority: Authority, inspectors: Iterable[User | int]) -> list[User]:
    """The users to assign, all members of ``authority``; refusals name ids only, so an error
    never tells a manager who another tenant's users are (or whether an id exists)."""
    ids = sorted({u.pk if isinstance(u, User) else int(u) for u in inspectors})
    allowed = set(access.inspectors_of(authority).filter(pk__in=ids).values_list("pk", flat=True))
    bad = [str(pk) for pk in ids if pk not in allowed]
    if bad:
        raise Invalid(
            "inspector_not_member",
            _("Cán bộ không thuộc cơ quan kiểm tra (mã: %(ids)s).") % {"ids": ", ".join(bad)},
            fields={"inspectors": bad},
        )
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def create_inspection(
    *,
    user: User,
    premises: Premises,
    authority: Authority,
    kind: str,
    scheduled_for: date,
    inspectors: Sequence[User | int] = (),
    client_uuid: uuid.UUID | None = None,
    place: str = "",
    cap_override_reason: str = "",
    parent: Inspection | None = None,
    unannounced_reason: str = "",
    joint_authority: Authority | None = None,
) -> tuple[Inspection, bool]:
    """A manager schedules an inspection of a premises in the authority's jurisdiction.

    A resend of the same request answers with the stored inspection even if an inspector has
    since left the authority: its first reply was lost, the work succeeded.
    """
    from django.core.exceptions import PermissionDenied

    if not access.is_manager_of(user, authority.pk):
        raise PermissionDenied
    if client_uuid is not None:
        fingerprint = _inspection_fingerprint(
            premises_id=premises.pk,
            kind=kind,
            authority_id=authority.pk,
            scheduled_for=scheduled_for,
        )
        if existing := _existing_by_uuid(user, client_uuid, fingerprint):
            return existing, False
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
        unannounced_reason=unannounced_reason,
        joint_authority=joint_authority,
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
    unannounced_reason: str = "",
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
        unannounced_reason=unannounced_reason,
    )


def assign_inspectors(
    *, user: User, inspection: Inspection, inspectors: Sequence[User | int]
) -> Inspection:
    """Replace the assigned inspectors; those removed get a tombstone so their phones drop it."""
    from django.core.exceptions import PermissionDenied

    authority = inspection.authority  # a self-inspection has none, and no inspectors
    if authority is None or not access.can_manage_inspection(user, inspection):
        raise PermissionDenied
    inspectors = _validate_inspectors(authority, inspectors)
    with transaction.atomic():
        locked = lock(inspection)
        before = set(locked.inspectors.values_list("pk", flat=True))
        after = {u.pk for u in inspectors}
        if before == after:
            return locked
        locked.inspectors.set(inspectors)
        tombstone(locked, before - after, SyncTombstone.Reason.UNASSIGNED)
        SyncTombstone.objects.filter(inspection_id_value=locked.pk, user_id__in=after).delete()
        bump(locked)
    return locked


def after_planning_change(inspection: Inspection, *, inspectors_before: set[int]) -> None:
    """What the admin's plain model save leaves out: the frozen checklist of a new inspection,
    tombstones for inspectors taken off it (their phones drop it) and a version bump."""
    with transaction.atomic():
        locked = lock(inspection)
        if locked.template_id is None:
            locked.template = checklists.template_for(
                locked.catalogue_version, locked.premises.kind
            )
            locked.save(update_fields=["template"])
        checklists.freeze_items(locked)
        after = set(locked.inspectors.values_list("pk", flat=True))
        tombstone(locked, inspectors_before - after, SyncTombstone.Reason.UNASSIGNED)
        SyncTombstone.objects.filter(inspection_id_value=locked.pk, user_id__in=after).delete()
        if after != inspectors_before:
            bump(locked)
