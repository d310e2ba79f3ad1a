"""Written notice of a periodic inspection to the inspected party (Decree 105 Art. 14.3)."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.models import Inspection
from inspections.rules.yearly_plan import inspection_notice
from inspections.selectors.yearly_plan import earliest_periodic_day, notice_deadline_for

from . import notifications
from .errors import Conflict, Invalid
from .inspection_state import bump, lock

logger = logging.getLogger(__name__)


def send_inspection_notice(
    *, user: User, inspection: Inspection, today: date | None = None
) -> Inspection:
    """Record the notice to every head of the premises, mark the inspection notified, and
    e-mail it after commit. Sending again is a success that changes nothing."""
    if not access.can_manage_inspection(user, inspection):
        raise PermissionDenied
    if inspection.kind != Inspection.Kind.PERIODIC:
        raise Invalid(
            "notice_not_required",
            _("Chỉ kiểm tra định kỳ mới phải thông báo trước bằng văn bản."),
        )
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = lock(inspection)
        if locked.notice_sent_at is not None:
            return locked
        if locked.state != Inspection.State.SCHEDULED or locked.scheduled_for is None:
            raise Conflict(
                "invalid_state",
                _("Chỉ gửi thông báo cho đợt kiểm tra đã lên lịch, chưa bắt đầu."),
                current=locked,
            )
        deadline = notice_deadline_for(locked.scheduled_for)
        if today > deadline:
            earliest = earliest_periodic_day(today)
            message = _(
                "Đã quá hạn gửi thông báo (chậm nhất ngày %(deadline)s, trước 03 ngày làm việc); "
                "hãy dời lịch kiểm tra sang ngày %(earliest)s trở đi."
            ) % {"deadline": f"{deadline:%d/%m/%Y}", "earliest": f"{earliest:%d/%m/%Y}"}
            raise Invalid("notice_too_late", message, fields={"scheduled_for": [message]})
        heads = list(locked.premises.heads.filter(is_active=True).values_list("pk", flat=True))
        notice = inspection_notice(
            inspection_id=locked.pk,
            premises_id=locked.premises_id,
            premises_name=locked.premises.name,
            head_ids=heads,
            authority_name=locked.authority.name if locked.authority else "",
            joint_authority_name=locked.joint_authority.name if locked.joint_authority else "",
            day=locked.scheduled_for,
            place=locked.place or locked.premises.full_address,
            inspector_names=[u.get_full_name() for u in locked.inspectors.order_by("pk")],
            content_vi=_content_vi(locked),
            content_en=_content_en(locked),
        )
        if notice is None:
            message = _("Cơ sở chưa có người đứng đầu nhận thông báo; hãy bổ sung trước.")
            raise Invalid("no_recipient", message)
        rows, suppressed = notifications.rows_for([notice], webhooks_by_authority={})
        to_send = notifications.record(rows, suppressed=suppressed).to_send
        bump(locked, notice_sent_at=timezone.now())
        transaction.on_commit(lambda: _enqueue(to_send))
    return locked


def _points(inspection: Inspection) -> str:
    """The Art. 13.1 points this authority checks at this premises ("" when not derived)."""
    from inspections.selectors.planning import regimes_for

    kind = inspection.authority.kind if inspection.authority else ""
    points = [
        p
        for r in regimes_for(inspection.premises)
        if r.authority_kind == kind
        for p in r.content_points
    ]
    return ", ".join(dict.fromkeys(points))


def _content_vi(inspection: Inspection) -> str:
    points = _points(inspection)
    if points:
        return f"điểm {points} khoản 1 Điều 13 Nghị định 105/2025/NĐ-CP"
    return f"các yêu cầu về PCCC theo danh mục {inspection.catalogue_version.label}"


def _content_en(inspection: Inspection) -> str:
    points = _points(inspection)
    if points:
        return f"points {points} of Decree 105/2025 Art. 13.1"
    return f"the fire-safety requirements of catalogue {inspection.catalogue_version.label}"


def _enqueue(ids: list[int]) -> None:
    from inspections.queue import enqueue

    try:
        for pk in ids:
            enqueue("inspections.tasks.send_notification", pk)
    except Exception:
        # The notice is recorded; the pending rows go out with the next reminder sweep.
        logger.exception("could not queue the inspection notice")
