"""When a reminder is due: the stage of a deadline on a given day, from the kind's offsets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

OVERDUE = "overdue"


@dataclass(frozen=True)
class ReminderConfig:
    """One kind's schedule: days before the due date, and how often to repeat once overdue."""

    offsets: tuple[int, ...] = ()
    overdue: bool = True
    overdue_every_days: int = 0
    mandatory: bool = False
    default: str = "immediate"
    cite: tuple[tuple[int, int | None, str | None], ...] = ()

    @cached_property
    def windows(self) -> tuple[str | None, ...]:
        """The stage on each day before the due date (index: days left, 0 to the largest
        offset), worked out once per kind: a sweep asks it 300,000 times."""
        return tuple(_window(self.offsets, d) for d in range(max(self.offsets, default=-1) + 1))

    @classmethod
    def from_setting(cls, raw: Mapping[str, Any]) -> ReminderConfig:
        return cls(
            offsets=tuple(sorted({int(o) for o in raw.get("offsets", [])}, reverse=True)),
            overdue=bool(raw.get("overdue", True)),
            overdue_every_days=int(raw.get("overdue_every_days", 0) or 0),
            mandatory=bool(raw.get("mandatory", False)),
            default=str(raw.get("default", "immediate")),
            cite=tuple(
                (int(c[0]), c[1] if len(c) > 1 else None, c[2] if len(c) > 2 else None)
                for c in raw.get("cite", [])
            ),
        )


def stage_for(due: date, today: date, config: ReminderConfig) -> str | None:
    """The reminder stage whose window contains ``today``, or None when nothing is due.

    With offsets (14, 3): from D-14 to D-4 the stage is "t14", from D-3 to D itself "t3", after
    D "overdue". A sweep that missed days still sends the current stage, and only that one,
    so a late first run does not fire a burst of stale reminders.
    """
    days_left = (due - today).days
    if days_left < 0:
        if not config.overdue:
            return None
        if config.overdue_every_days > 0:
            # Repeats while the duty stays unmet: overdue, overdue-1, overdue-2 ... each once.
            n = (-days_left - 1) // config.overdue_every_days
            return OVERDUE if n == 0 else f"{OVERDUE}-{n}"
        return OVERDUE
    windows = config.windows
    return windows[days_left] if days_left < len(windows) else None


def _window(offsets: tuple[int, ...], days_left: int) -> str | None:
    """The stage ``days_left`` days before the due date: the smallest offset not below it."""
    reached = [k for k in offsets if k >= days_left]
    return f"t{min(reached)}" if reached else None


def is_overdue(stage: str) -> bool:
    """Whether a stage is past the due date (``overdue``, ``overdue-1`` ...)."""
    return stage.startswith(OVERDUE)


def lookahead_days(config: ReminderConfig) -> int:
    """How far ahead the sweep must look for this kind (the largest offset)."""
    return max(config.offsets, default=0)
