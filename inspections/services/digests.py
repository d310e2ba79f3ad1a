"""Daily digests: which reminders wait for the digest, and one e-mail per person per day.

By default every reminder goes to the person's daily digest, grouped by premises. A legal
deadline (a mandatory kind) is sent at once when it is due within ``DIGEST_URGENT_DAYS`` days
or overdue, whatever the preference says, because a day's wait could cost the deadline. A
person who asked for a kind "immediately" gets it immediately.

Exactly once: the digest rows are claimed with the conditional update of
services/notifications.py; the e-mail of a day is owned by whoever inserts the (user, day)
``DigestLog`` row first, so a second beat run, a manual ``run_reminders`` or a second worker
sends nothing that day.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from inspections.dates import format_date
from inspections.models import Delivery, DigestLog, Notification
from inspections.rules.reminders.schedule import OVERDUE
from inspections.rules.reminders.wording import _, in_language
from inspections.selectors.notifications import is_mandatory

logger = logging.getLogger(__name__)

_STAGE_DAYS = re.compile(r"^t(\d+)$")


def is_urgent(stage: str) -> bool:
    """Overdue, or in the reminder window of ``DIGEST_URGENT_DAYS`` days or fewer."""
    if stage.startswith(OVERDUE):
        return True
    m = _STAGE_DAYS.match(stage)
    return m is not None and int(m.group(1)) <= settings.DIGEST_URGENT_DAYS


def delivery_for(kind: str, mode: str, stage: str) -> str:
    """How one reminder goes out, given the person's mode for its kind."""
    if mode == Delivery.DIGEST and is_mandatory(kind) and is_urgent(stage):
        return Delivery.IMMEDIATE
    return mode


# --- The e-mail ----------------------------------------------------------------------------


@dataclass
class PremisesGroup:
    name: str
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i["overdue"])


def group_by_premises(rows: Sequence[Notification], lang: str) -> list[PremisesGroup]:
    """Premises in name order, the ones with overdue items first; items by due date."""
    from inspections.services.transports import localised

    groups: dict[Any, PremisesGroup] = {}
    for row in rows:
        item = localised(row.payload, lang)
        key = row.premises_id or 0
        name = item["premises_name"] or in_language(lang, lambda: _("Khác"))
        groups.setdefault(key, PremisesGroup(name=name)).items.append(item)
    for g in groups.values():
        g.items.sort(key=lambda i: (i["due_on"] or date.max, i["title"]))
    return sorted(groups.values(), key=lambda g: (g.overdue == 0, g.name.casefold()))


def build_digest_email(user: User, rows: Sequence[Notification], day: date):
    from inspections.services.transports import _lang, preferences_url, render_email

    lang = _lang(user)
    groups = group_by_premises(rows, lang)
    context = {
        "user": user,
        "groups": groups,
        "count": len(rows),
        "day_text": format_date(day),
        "preferences_url": preferences_url(),
        "home_url": f"{settings.PUBLIC_BASE_URL}{reverse('portal:home')}",
    }
    subject, text, html = render_email("digest", context, lang)
    msg = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    msg.attach_alternative(html, "text/html")
    return msg


# --- Sending -------------------------------------------------------------------------------


def _claim_day(user_id: int, day: date) -> DigestLog | None:
    """The day's digest of this person, or None when it is already sent (or being sent)."""
    try:
        with transaction.atomic():
            return DigestLog.objects.create(user_id=user_id, day=day)
    except IntegrityError:
        return None


def send_daily_digests(
    *, today: date | None = None, on_line: Callable[[str], None] | None = None
) -> int:
    """One e-mail per person with every reminder held for the digest; returns rows sent."""
    from inspections.services import notifications as notes
    from inspections.services.transports import TransportError

    day = today or timezone.localdate()
    # A digest claimed by a worker that died mid-send goes back to the queue after the timeout.
    Notification.objects.filter(
        delivery=Delivery.DIGEST,
        status=Notification.Status.SENDING,
        claimed_at__lt=timezone.now() - settings.NOTIFICATION_CLAIM_TIMEOUT,
    ).update(status=Notification.Status.PENDING)
    sent = 0
    for uid in notes.digest_user_ids():
        log = _claim_day(uid, day)
        if log is None:
            continue  # today's digest went out: what arrived since waits for tomorrow's
        token, rows = notes.claim_digest(uid)
        if not rows:
            log.delete()
            continue
        user = rows[0].user
        if user is None:  # claimed by user id: every row has its user
            raise LookupError(f"digest rows of user {uid} have no user")
        try:
            build_digest_email(user, rows, day).send()
        except (OSError, ConnectionError, TransportError) as exc:
            Notification.objects.filter(
                claim_token=token, status=Notification.Status.SENDING
            ).update(status=Notification.Status.PENDING, error=str(exc)[:2000])
            log.delete()  # the next run may try again today
            logger.warning("digest for user %s failed: %s", uid, exc)
            continue
        done = Notification.objects.filter(
            claim_token=token, status=Notification.Status.SENDING
        ).update(status=Notification.Status.SENT, sent_at=timezone.now(), error="")
        DigestLog.objects.filter(pk=log.pk).update(reminders=done, sent_at=timezone.now())
        sent += done
        if on_line:
            on_line(f"sent digest user:{uid}: {done} reminders held for the digest")
    return sent
