"""A user's own notification log and preferences, as the portal shows them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User
from inspections.models import Delivery, Notification, NotificationKind, NotificationPreference
from inspections.rules.reminders.schedule import ReminderConfig

# --- Configuration (read by the notification services too) --------------------------------


def reminder_config(kind: str) -> ReminderConfig:
    return ReminderConfig.from_setting(settings.REMINDERS.get(kind, {}))


def is_mandatory(kind: str) -> bool:
    return reminder_config(kind).mandatory


def default_mode(kind: str) -> str:
    return reminder_config(kind).default


def allowed_modes(kind: str) -> tuple[str, ...]:
    if is_mandatory(kind):
        return (Delivery.IMMEDIATE, Delivery.DIGEST)
    return (Delivery.IMMEDIATE, Delivery.DIGEST, Delivery.OFF)


def notifications_for(user: User) -> QuerySet[Notification]:
    """What was (or will be) sent to ``user``, newest first; e-mail rows only."""
    return (
        Notification.objects.filter(user=user)
        .select_related("premises")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str
    mode: str
    default: str
    allowed: tuple[str, ...]
    mandatory: bool  # a legal deadline: digest at most, never off

    @property
    def mode_label(self) -> str:
        return str(Delivery(self.mode).label)


def preferences_for(user: User) -> list[PreferenceRow]:
    """Every kind with the user's effective mode (one query)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    rows = []
    for kind, label in NotificationKind.choices:
        mode = stored.get(kind, default_mode(kind))
        if mode == Delivery.OFF and is_mandatory(kind):
            mode = Delivery.DIGEST
        rows.append(
            PreferenceRow(
                kind=kind,
                label=str(label),
                mode=mode,
                default=default_mode(kind),
                allowed=allowed_modes(kind),
                mandatory=is_mandatory(kind),
            )
        )
    return rows
