"""Channels that deliver a claimed Notification row: e-mail and authority webhooks.

One small class per channel with ``notify(notification)``; a ``TransportError`` says whether
retrying can help (``permanent=False``) or not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import requests
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from accounts.models import User
from inspections.dates import format_date
from inspections.models import Channel, Notification, NotificationKind
from inspections.rules.reminders.citations import cite_label, cite_text

SUMMARY_KINDS = (NotificationKind.SUMMARY_WEEKLY, NotificationKind.SUMMARY_MONTHLY)


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def absolute_url(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{path}"


def portal_url(name: str, args: Sequence[Any] = ()) -> str:
    """Absolute link to a portal page; the portal home when that page does not exist (yet)."""
    try:
        return absolute_url(reverse(name, args=list(args)))
    except NoReverseMatch:
        return absolute_url(reverse("portal:home"))


def unsubscribe_url(user: User, kind: str) -> str:
    from inspections.services.notifications import unsubscribe_token

    return absolute_url(reverse("portal:unsubscribe", args=[unsubscribe_token(user, kind)]))


def preferences_url() -> str:
    return portal_url("portal:notification_preferences")


def _lang(user: User) -> str:
    return user.language if user.language in ("vi", "en") else "vi"


def localised(payload: dict[str, Any], lang: str) -> dict[str, Any]:
    """The payload's texts in one language, the way the templates show them."""
    due = payload.get("due_on")
    due_d = date.fromisoformat(due) if due else None
    link = payload.get("link") or ["portal:home", []]
    return {
        "title": payload.get(f"title_{lang}") or payload.get("title_vi", ""),
        "what": payload.get(f"what_{lang}") or payload.get("what_vi", ""),
        "why": payload.get(f"why_{lang}") or payload.get("why_vi", ""),
        "due_on": due_d,
        "due_text": format_date(due_d),
        "overdue": payload.get("overdue", False),
        "cites": [
            {"label": cite_label(c, lang), "text_vi": cite_text(c)}
            for c in payload.get("cites", [])
        ],
        "url": portal_url(link[0], link[1]),
        "premises_name": payload.get("premises_name", ""),
        # A notice listing several items (what a change in the law changes) and its own label
        # for the date (the day a version applies is no deadline).
        "lines": payload.get(f"lines_{lang}") or payload.get("lines_vi") or [],
        "due_label": payload.get(f"due_label_{lang}") or "",
        "what_label": payload.get(f"what_label_{lang}") or "",
    }


def _headers(user: User, kind: str) -> tuple[dict[str, str], str]:
    url = unsubscribe_url(user, kind)
    # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the URL.
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }, url


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered without HTML escaping: a subject or text body shows
    "Karaoke A & B", never "Karaoke A &amp; B". Only HTML bodies are escaped."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_email(name: str, context: dict[str, Any], lang: str) -> tuple[str, str, str]:
    """(subject, text, html) of templates/emails/<name>-subject.txt, -body.txt, -body.html."""
    with translation.override(lang):
        ctx = {**context, "lang": lang}
        subject = " ".join(render_text(f"emails/{name}-subject.txt", ctx).split())
        text = render_text(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    return subject, text, html


def build_reminder_email(n: Notification) -> EmailMultiAlternatives:
    user = n.user
    lang = _lang(user)
    headers, unsub = _headers(user, n.kind)
    from inspections.selectors.notifications import is_mandatory

    context = {
        "user": user,
        "r": localised(n.payload, lang),
        "unsubscribe_url": unsub,
        "preferences_url": preferences_url(),
        "mandatory": is_mandatory(n.kind),
    }
    subject, text, html = render_email("reminder", context, lang)
    msg = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [user.email], headers=headers
    )
    msg.attach_alternative(html, "text/html")
    return msg


class Transport:
    def notify(self, n: Notification) -> None:
        raise NotImplementedError


class EmailTransport(Transport):
    def notify(self, n: Notification) -> None:
        if n.user is None or not n.user.email or not n.user.is_active:
            raise TransportError("recipient has no active e-mail address", permanent=True)
        if n.kind in SUMMARY_KINDS:
            from inspections.services.summary_delivery import build_summary_email

            msg = build_summary_email(n)
        else:
            msg = build_reminder_email(n)
        try:
            msg.send()
        except (OSError, ConnectionError) as exc:  # smtplib errors derive from OSError
            raise TransportError(f"SMTP: {exc}") from exc


def webhook_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(n: Notification) -> bytes:
    doc = {
        "id": n.pk,
        "kind": n.kind,
        "subject": n.subject_key,
        "due_on": n.due_on.isoformat(),
        "stage": n.stage,
        "authority_id": n.webhook.authority_id if n.webhook else None,
        "sent_at": timezone.now().isoformat(),
        "data": n.payload,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()


class WebhookTransport(Transport):
    """JSON POST signed with HMAC-SHA256 of the body (header X-PCCC-Signature)."""

    def notify(self, n: Notification) -> None:
        hook = n.webhook
        if hook is None or not hook.active:
            raise TransportError("webhook endpoint inactive or deleted", permanent=True)
        body = webhook_body(n)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "PCCC-Inspect-Webhook/1",
            "X-PCCC-Event": n.kind,
            # Receivers deduplicate on this id: a retried delivery carries the same one.
            "X-PCCC-Delivery": str(n.pk),
            "X-PCCC-Signature": webhook_signature(hook.secret, body),
        }
        try:
            resp = requests.post(
                hook.url, data=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
            )
        except requests.RequestException as exc:
            raise TransportError(f"webhook: {exc}") from exc
        if resp.status_code >= 400:
            # 408/429 and 5xx may pass later; other 4xx mean the request itself is refused.
            permanent = resp.status_code < 500 and resp.status_code not in (408, 429)
            raise TransportError(f"webhook answered {resp.status_code}", permanent=permanent)


def transport_for(n: Notification) -> Transport:
    if n.channel == Channel.WEBHOOK:
        return WebhookTransport()
    return EmailTransport()
