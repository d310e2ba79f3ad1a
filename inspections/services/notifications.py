"""Notification rows: record them once, claim them with a conditional update, send, mark.

Exactly once: a reminder becomes a row keyed by (kind, subject, due date, stage, recipient,
channel) — an insert that skips existing keys (services/notification_rows.py) lets any number
of sweeps propose it — and a row is sent only by the worker whose
``filter(pk=..., status=pending).update(status=sending)`` returned 1. A row left in "sending" past ``NOTIFICATION_CLAIM_TIMEOUT`` (its worker died) is
claimed again with the same conditional update on (status, claimed_at).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from inspections.lookups import AnyOf
from inspections.models import (
    Channel,
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from inspections.rules.reminders.reminder import DueReminder, Reminder
from inspections.selectors.notifications import (
    allowed_modes,
    default_mode,
    is_mandatory,
)
from inspections.services import notification_rows
from inspections.services.digests import delivery_for

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "pccc.notifications.unsubscribe"


# --- Configuration and preferences ---------------------------------------------------------


class PreferenceError(ValueError):
    """A preference the rules do not allow (a mandatory legal deadline switched off)."""


def set_preference(*, user: User, kind: str, mode: str) -> NotificationPreference:
    """How ``user`` receives ``kind``; mandatory legal deadlines can go to the digest, not off."""
    if kind not in NotificationKind.values:
        raise PreferenceError(f"unknown notification kind {kind!r}")
    if mode not in allowed_modes(kind):
        raise PreferenceError(
            f"{kind} is a mandatory legal deadline: it can be moved to the digest, not switched off"
            if mode == Delivery.OFF
            else f"unknown mode {mode!r}"
        )
    pref, _ = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"mode": mode}
    )
    return pref


def modes_for(user_ids: Iterable[int], kinds: Iterable[str]) -> dict[tuple[int, str], str]:
    """Effective mode per (user, kind) in one query (the sweep asks per batch)."""
    user_ids, kinds = set(user_ids), set(kinds)
    stored = {
        (p.user_id, p.kind): p.mode
        for p in NotificationPreference.objects.filter(
            AnyOf(F("user_id"), user_ids), kind__in=kinds
        )
    }
    # Each kind's setting read once, not once per user.
    defaults = {kind: (default_mode(kind), is_mandatory(kind)) for kind in kinds}
    out = {}
    for uid in user_ids:
        for kind in kinds:
            default, mandatory = defaults[kind]
            mode = stored.get((uid, kind), default)
            if mode == Delivery.OFF and mandatory:
                mode = Delivery.DIGEST  # a stale row cannot switch a legal deadline off
            out[(uid, kind)] = mode
    return out


# --- One-click unsubscribe -----------------------------------------------------------------


def unsubscribe_token(user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


@dataclass(frozen=True)
class Unsubscribe:
    user: User
    kind: str

    @property
    def target_mode(self) -> str:
        return Delivery.DIGEST if is_mandatory(self.kind) else Delivery.OFF


class UnsubscribeExpired(Exception):
    """A genuine unsubscribe link older than UNSUBSCRIBE_TOKEN_MAX_DAYS."""


def verify_unsubscribe_token(token: str) -> Unsubscribe | None:
    """The user and kind a token was issued for, or None when it was tampered with. Raises
    UnsubscribeExpired for a genuine but old link: a leaked or forwarded e-mail must not change
    someone's settings forever."""
    max_age = timedelta(days=settings.UNSUBSCRIBE_TOKEN_MAX_DAYS)
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise UnsubscribeExpired from None
    except signing.BadSignature:
        return None
    try:
        user = User.objects.get(pk=int(data["u"]), is_active=True)
        kind = str(data["k"])
    except (User.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    if kind not in NotificationKind.values:
        return None
    return Unsubscribe(user=user, kind=kind)


def unsubscribe(token: str) -> NotificationPreference | None:
    """Apply a one-click unsubscribe: off, or digest for a mandatory legal deadline."""
    try:
        target = verify_unsubscribe_token(token)
    except UnsubscribeExpired:
        return None
    if target is None:
        return None
    return set_preference(user=target.user, kind=target.kind, mode=target.target_mode)


# --- Recording -----------------------------------------------------------------------------

Key = notification_rows.Key
Proposal = notification_rows.Proposal
row_key = notification_rows.row_key
payload_of = notification_rows.payload_of


@dataclass
class Recorded:
    """Rows of one batch after recording: what to send now, what already went out."""

    to_send: list[int]
    already_sent: int
    held_for_digest: int
    suppressed: int


def rows_for(
    reminders: Sequence[Reminder | DueReminder],
    *,
    webhooks_by_authority: dict[int, list[Any]],
) -> tuple[list[Proposal], int]:
    """Rows to record for ``reminders`` (e-mail per user by preference, webhook per endpoint),
    as plain proposals (``notification_rows.Proposal``): ``record`` inserts them. A proposal's
    payload is its reminder's ``payload`` method, called only if the row is new."""
    user_ids = {u for r in reminders for u in r.user_ids}
    modes = modes_for(user_ids, {r.kind for r in reminders})
    # How a (kind, mode, stage) goes out, decided once per batch (it reads the kind's setting).
    deliveries: dict[tuple[str, str, str], str] = {}
    rows: list[Proposal] = []
    suppressed = 0
    email, webhook, immediate = str(Channel.EMAIL), str(Channel.WEBHOOK), str(Delivery.IMMEDIATE)
    for r in reminders:
        # Rendered only if one of its rows is not stored yet (notification_rows.store_rows).
        payload = r.payload
        kind, stage, premises_id = r.kind, r.stage, r.premises_id
        key = (kind, r.subject_key, r.due_on, stage)  # the recipient completes it
        for uid in r.user_ids:
            how = (kind, modes[(uid, kind)], stage)
            mode = deliveries.get(how)
            if mode is None:
                mode = deliveries[how] = str(delivery_for(*how))
            if mode == Delivery.OFF:
                suppressed += 1
                continue
            recipient = f"user:{uid}"
            rows.append(Proposal(*key, recipient, email, uid, None, premises_id, mode, payload))
        for aid in r.authority_ids:
            for hook in webhooks_by_authority.get(aid, ()):
                if hook.wants(kind):
                    recipient, hid = f"webhook:{hook.pk}", hook.pk
                    rows.append(
                        Proposal(
                            *key, recipient, webhook, None, hid, premises_id, immediate, payload
                        )
                    )
    return rows, suppressed


def existing_rows(rows: Sequence[notification_rows.Row]) -> dict[Key, notification_rows.StoredRow]:
    """Stored rows with the same keys as ``rows`` (one query per batch; writes nothing)."""
    return notification_rows.stored_rows(rows)


def record(rows: Sequence[notification_rows.Row], *, suppressed: int = 0) -> Recorded:
    """Insert the rows that do not exist yet (set-based: services/notification_rows.py);
    report what is left to send."""
    stored = notification_rows.store_rows(rows)
    delivery = {row_key(r): r.delivery for r in rows}
    to_send, already, held = [], 0, 0
    for key, row in stored.items():
        if row.status in (Notification.Status.SENT, Notification.Status.SENDING):
            already += 1
        elif row.status == Notification.Status.PENDING:
            if delivery[key] == Delivery.DIGEST:
                held += 1
            else:
                to_send.append(row.id)
        # failed rows stay failed: an administrator re-queues them from the admin log
    return Recorded(
        to_send=sorted(to_send), already_sent=already, held_for_digest=held, suppressed=suppressed
    )


# --- Claiming and delivery -----------------------------------------------------------------


def claim(pk: int, *, now: datetime | None = None) -> Notification | None:
    """Take the row for sending, or None when another worker has it or it is done."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    taken = (
        Notification.objects.filter(due, pk=pk, status=Notification.Status.PENDING).update(
            status=Notification.Status.SENDING,
            claimed_at=now,
            claim_token=token,
            attempts=F("attempts") + 1,
        )
        == 1
    )
    if not taken:
        # A claim older than the timeout belongs to a worker that died mid-send.
        stale_before = now - settings.NOTIFICATION_CLAIM_TIMEOUT
        taken = (
            Notification.objects.filter(
                pk=pk, status=Notification.Status.SENDING, claimed_at__lt=stale_before
            ).update(claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
            == 1
        )
    if not taken:
        return None
    return Notification.objects.select_related("user", "webhook", "webhook__authority").get(pk=pk)


def mark_sent(n: Notification) -> bool:
    return (
        Notification.objects.filter(
            pk=n.pk, status=Notification.Status.SENDING, claim_token=n.claim_token
        ).update(status=Notification.Status.SENT, sent_at=timezone.now(), error="")
        == 1
    )


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff between attempts: 1, 2, 4, 8 ... minutes, at most 2 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def mark_failed(n: Notification, error: str, *, permanent: bool) -> str:
    """Release the claim: back to pending with a backoff, or failed for good."""
    final = permanent or n.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    status = Notification.Status.FAILED if final else Notification.Status.PENDING
    Notification.objects.filter(
        pk=n.pk, status=Notification.Status.SENDING, claim_token=n.claim_token
    ).update(
        status=status,
        error=error[:2000],
        next_attempt_at=None if final else timezone.now() + retry_delay(n.attempts),
    )
    return status


@dataclass
class DeliveryResult:
    status: str  # sent / failed / retry / skipped (claimed elsewhere or done)
    error: str = ""
    notification: Notification | None = None


def deliver(pk: int) -> DeliveryResult:
    """Claim and send one row. Safe to call any number of times, from any number of workers."""
    from inspections.services.transports import TransportError, transport_for

    n = claim(pk)
    if n is None:
        return DeliveryResult("skipped")
    try:
        transport_for(n).notify(n)
    except TransportError as exc:
        status = mark_failed(n, str(exc), permanent=exc.permanent)
        logger.warning("notification %s: %s (%s)", n.pk, exc, status)
        return DeliveryResult(
            "failed" if status == Notification.Status.FAILED else "retry", str(exc)
        )
    except Exception as exc:  # an unexpected bug must not leave the row claimed until timeout
        mark_failed(n, f"{type(exc).__name__}: {exc}", permanent=False)
        raise
    mark_sent(n)
    return DeliveryResult("sent", notification=n)


def pending_ids(*, limit: int, after_id: int = 0) -> list[int]:
    """Immediate rows waiting (or retrying) and stale claims, in id order."""
    now = timezone.now()
    stale_before = now - settings.NOTIFICATION_CLAIM_TIMEOUT
    q = (
        Q(status=Notification.Status.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ) | Q(status=Notification.Status.SENDING, claimed_at__lt=stale_before)
    return list(
        Notification.objects.filter(q, delivery=Delivery.IMMEDIATE, id__gt=after_id)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


# --- Digests -------------------------------------------------------------------------------


def claim_digest(user_id: int) -> tuple[str, list[Notification]]:
    """Claim every pending digest row of a user at once (one conditional update)."""
    now = timezone.now()
    token = uuid.uuid4().hex
    Notification.objects.filter(
        user_id=user_id,
        delivery=Delivery.DIGEST,
        status=Notification.Status.PENDING,
        channel=Channel.EMAIL,
    ).update(
        status=Notification.Status.SENDING,
        claimed_at=now,
        claim_token=token,
        attempts=F("attempts") + 1,
    )
    rows = list(
        Notification.objects.filter(claim_token=token, status=Notification.Status.SENDING)
        .select_related("user")
        .order_by("kind", "due_on", "id")
    )
    return token, rows


def digest_user_ids() -> list[int]:
    return list(
        Notification.objects.filter(
            delivery=Delivery.DIGEST, status=Notification.Status.PENDING, channel=Channel.EMAIL
        )
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
