"""Scheduled compliance summaries for managers: the period's snapshot and its notification rows.

Recording is idempotent: one ComplianceSnapshot per (authority, period kind, period end) and
one Notification row per recipient on the usual unique key, so beat firing twice, or a task
retried, sends each summary once. The rows go through the notification fan-out every reminder
uses (e-mail per manager by preference, webhook per endpoint); summary_delivery builds the
e-mail with its files.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from accounts.models import Authority, Membership
from inspections.models import ComplianceSnapshot, Delivery, WebhookEndpoint
from inspections.rules.reminders import wording
from inspections.rules.reminders.reminder import Reminder
from inspections.rules.reminders.wording import _
from inspections.selectors.catalogue import current_version, parameters_of
from inspections.selectors.compliance import Period, compliance_summary, period_ending_before
from inspections.services import notifications as notes

KIND_BY_PERIOD = {"weekly": "summary_weekly", "monthly": "summary_monthly"}


def roadmap_deadline() -> str | None:
    """The alarm-transmission deadline of the published catalogue (a decree parameter)."""
    version = current_version()
    if version is None:
        return None
    value = parameters_of(version).get("roadmap.alarm_transmission_deadline")
    return str(value) if value else None


def take_snapshot(authority: Authority, period: Period) -> ComplianceSnapshot:
    """The period's figures, computed once; later calls return the stored snapshot."""
    existing = ComplianceSnapshot.objects.filter(
        authority=authority, period=period.kind, period_end=period.end
    ).first()
    if existing:
        return existing
    summary = compliance_summary(authority, period)
    figures = summary.figures()
    figures["authority"] = {"id": authority.pk, "name": authority.name}
    figures["roadmap_deadline"] = roadmap_deadline()
    figures["previous_period_end"] = (
        summary.previous_period_end.isoformat() if summary.previous_period_end else None
    )
    snapshot, _created = ComplianceSnapshot.objects.get_or_create(
        authority=authority,
        period=period.kind,
        period_end=period.end,
        defaults={
            "period_start": period.start,
            "obligated_premises": summary.total.roadmap_obligated,
            "connected_premises": summary.total.roadmap_connected,
            "figures": figures,
        },
    )
    return snapshot


def summary_notice(
    snapshot: ComplianceSnapshot, period: Period, manager_ids: list[int]
) -> Reminder:
    """The summary as one notice for the fan-out: to the managers and the authority's hooks."""
    authority = snapshot.authority
    kind = KIND_BY_PERIOD[period.kind]
    return Reminder(
        kind=kind,
        subject_key=f"authority:{authority.pk}",
        due_on=period.end,
        stage=period.kind,
        user_ids=tuple(sorted(set(manager_ids))),
        **wording.in_both_languages(lambda: summary_message(period, authority.name)),
        link=("portal:dashboard", ()),
        authority_ids=(authority.pk,),
        extra={
            "snapshot_id": snapshot.pk,
            "authority_id": authority.pk,
            "authority_name": authority.name,
            "figures": snapshot.figures,
        },
    )


def summary_message(period: Period, authority_name: str) -> wording.Message:
    """The summary's title in the active language (the figures come as attachments)."""
    # The period's label is a date written each language's way, not a message.
    label = wording.in_active_language(period.label_vi, period.label_en)
    return wording.Message(
        title=_("Báo cáo tổng hợp tuân thủ PCCC %(period)s — %(authority)s")
        % {"period": label, "authority": authority_name},
        what="",
    )


def record_summaries(*, period: str, today: date | None = None) -> list[int]:
    """Snapshot every authority with managers or webhooks and record its summary rows."""
    p = period_ending_before(period, today or timezone.localdate())
    managers: dict[int, list[int]] = {}
    for aid, uid in Membership.objects.filter(
        role__in=(Membership.Role.MANAGER, Membership.Role.ADMIN), user__is_active=True
    ).values_list("authority_id", "user_id"):
        managers.setdefault(aid, []).append(uid)
    hooks: dict[int, list[WebhookEndpoint]] = {}
    for hook in WebhookEndpoint.objects.filter(active=True):
        hooks.setdefault(hook.authority_id, []).append(hook)

    notices = [
        summary_notice(take_snapshot(authority, p), p, managers.get(authority.pk, []))
        for authority in Authority.objects.filter(pk__in=set(managers) | set(hooks)).order_by("pk")
    ]
    rows, suppressed = notes.rows_for(notices, webhooks_by_authority=hooks)
    # A summary has attachments: it is never folded into the text digest.
    rows = [row._replace(delivery=Delivery.IMMEDIATE) for row in rows]
    return notes.record(rows, suppressed=suppressed).to_send
