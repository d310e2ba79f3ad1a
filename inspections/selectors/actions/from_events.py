"""Action rows from findings, training certificates and scheduled inspections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from accounts.models import User
from inspections import access
from inspections.models import Finding, Inspection, Premises, TrainingCertificate

from .rows import ActionCitation, ActionRow, Kind, badge, config_citation, fmt_day, window_days


def finding_rows(
    findings: list[Finding],
    premises: dict[int, Premises],
    cites: dict[int, ActionCitation],
    today: dt.date,
) -> Iterable[ActionRow]:
    for f in findings:
        due = f.remediation_deadline
        overdue = due is not None and due < today
        found_on = f.inspection.scheduled_for or timezone.localdate(f.created_at)
        names = {
            "day": fmt_day(found_on),
            # A finding of the head's own self-inspection has no authority.
            "by": str(f.inspection.authority)
            if f.inspection.authority_id
            else pgettext("finding recorded by", "cơ sở"),
        }
        if due is None:
            trigger = _("Vi phạm ghi trong biên bản kiểm tra ngày %(day)s (%(by)s)") % names
        else:
            trigger = _(
                "Vi phạm ghi trong biên bản kiểm tra ngày %(day)s (%(by)s); hạn khắc phục %(due)s"
            ) % (names | {"due": fmt_day(due)})
        yield ActionRow(
            kind=Kind.FINDING,
            premises_id=f.premises_id,
            premises_name=premises[f.premises_id].name,
            due_on=due,
            days_left=(due - today).days if due else None,
            overdue=overdue,
            title=f.description,
            trigger=trigger,
            badge=badge(due, today, overdue=overdue),
            action=_("Tải lên chứng cứ khắc phục"),
            url=reverse("portal:finding_detail", args=[f.pk]),
            citation=cites.get(f.requirement_id) if f.requirement_id else None,
        )


def certificate_rows(
    ids: list[int], premises: dict[int, Premises], today: dt.date
) -> Iterable[ActionRow]:
    """Certificates expired or expiring within the window; one renewed later (same holder,
    duty and kind) is not the head's concern any more."""
    horizon = today + dt.timedelta(days=window_days(Kind.CERTIFICATE))
    latest: dict[tuple, TrainingCertificate] = {}
    for c in TrainingCertificate.objects.filter(
        premises_id__in=ids, expires_on__isnull=False
    ).order_by("expires_on", "pk"):
        latest[(c.premises_id, c.holder_name.strip().lower(), c.duty, c.training_kind)] = c
    cite = config_citation("training_expiry")
    for c in latest.values():
        expires = c.expires_on
        if expires is None or expires > horizon:  # None: not read (filtered above)
            continue
        overdue = expires < today
        yield ActionRow(
            kind=Kind.CERTIFICATE,
            premises_id=c.premises_id,
            premises_name=premises[c.premises_id].name,
            due_on=expires,
            days_left=(expires - today).days,
            overdue=overdue,
            title=_("Chứng nhận huấn luyện PCCC của %(holder)s") % {"holder": c.holder_name},
            trigger=_("Chứng nhận số %(number)s hết hạn ngày %(date)s")
            % {"number": c.number or "—", "date": fmt_day(expires)},
            badge=badge(expires, today, overdue=overdue),
            action=_("Cập nhật chứng nhận"),
            url=reverse("portal:premises_facts", args=[c.premises_id]) + "#certificates",
            citation=cite,
        )


def inspection_rows(
    user: User, ids: list[int], premises: dict[int, Premises], today: dt.date
) -> Iterable[ActionRow]:
    """Inspections an authority has scheduled within the window, with their written notice."""
    horizon = today + dt.timedelta(days=window_days(Kind.INSPECTION))
    cite = config_citation("inspection_due")
    for i in (
        access.inspections_visible_to(user)
        .filter(
            premises_id__in=ids,
            state=Inspection.State.SCHEDULED,
            authority__isnull=False,
            scheduled_for__gte=today,
            scheduled_for__lte=horizon,
        )
        .select_related("authority")
        .order_by("scheduled_for", "pk")
    ):
        scheduled = i.scheduled_for
        if scheduled is None:  # not read (filtered above)
            continue
        if i.notice_sent_at:
            notice = _("thông báo gửi ngày %(day)s") % {
                "day": fmt_day(timezone.localdate(i.notice_sent_at))
            }
        elif i.kind == Inspection.Kind.UNANNOUNCED:
            notice = pgettext("inspection notice", "kiểm tra đột xuất")
        else:
            notice = _("chưa nhận thông báo")
        days = (scheduled - today).days
        yield ActionRow(
            kind=Kind.INSPECTION,
            premises_id=i.premises_id,
            premises_name=premises[i.premises_id].name,
            due_on=scheduled,
            days_left=days,
            overdue=False,
            title=pgettext("upcoming inspection", "%(kind)s: %(authority)s")
            % {"kind": i.get_kind_display(), "authority": i.authority},
            trigger=_("%(authority)s kiểm tra ngày %(day)s; %(notice)s")
            % {"authority": i.authority, "day": fmt_day(scheduled), "notice": notice},
            badge=_("Hôm nay")
            if days == 0
            else ngettext("Sau %(days)d ngày", "Sau %(days)d ngày", days) % {"days": days},
            action=_("Xem đợt kiểm tra, chuẩn bị hồ sơ"),
            url=reverse("portal:inspection_detail", args=[i.pk]),
            citation=cite,
        )
