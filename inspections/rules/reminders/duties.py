"""Which catalogue-duty reminder is due: alarm roadmap, drills, self-inspections, PC04 report,
first data declaration, insurance (the duties whose requirement carries a deadline rule)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from inspections.rules.reminders import wording
from inspections.rules.reminders.citations import Cite, configured_cites
from inspections.rules.reminders.reminder import DueReminder, distinct_ids
from inspections.rules.reminders.schedule import ReminderConfig, stage_for
from inspections.rules.reminders.wording import ReminderTexts

# A deadline rule's type(s), the field naming what it tracks, its value, and the reminder kind;
# the first row that matches wins.
_DUTY_KINDS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("roadmap",), "track", "alarm_device", "alarm_roadmap"),
    (("recurring", "calendar_year"), "fact", "last_drill_on", "drill_due"),
    (("recurring",), "fact", "last_regular_check_on", "regular_check_due"),
    (("calendar",), "fact", "last_pc04_report_on", "pc04_report_due"),
    (("within_days",), "fact", "alarm_connected_on", "data_declaration_due"),
    (("recurring",), "fact", "last_self_inspection_on", "self_inspection_due"),
    (("expiry",), "fact", "insurance_expires_on", "insurance_expiry"),
)

# Duties that are a certificate running out rather than a task falling due.
EXPIRY_KINDS = frozenset({"insurance_expiry"})


def duty_kind(deadline_rule: Mapping[str, Any] | None) -> str | None:
    """The reminder kind of a catalogue duty tracked by ``deadline_rule``; None when untracked."""
    rule = deadline_rule or {}
    for types, field, value, kind in _DUTY_KINDS:
        if rule.get("type") in types and rule.get(field) == value:
            return kind
    return None


def duty_reminder(
    *,
    kind: str,
    premises_id: int,
    premises_name: str,
    due: date,
    head_ids: Iterable[int],
    reason_vi: str,
    reason_en: str,
    cites: Sequence[Cite],
    authority_ids: Iterable[int],
    today: date,
    config: ReminderConfig,
    alarm_state: str | None = None,
) -> DueReminder | None:
    """Facility heads: a catalogue duty with a deadline (roadmap, drill, self-inspection, insurance).

    The caller has already decided with the catalogue's applicability rules that the duty
    applies and is not met; ``reason_vi``/``reason_en`` are the catalogue's own reasons.
    """
    stage = stage_for(due, today, config)
    users = distinct_ids(head_ids)
    if stage is None or not users:
        return None
    # The device's state belongs to the alarm roadmap only.
    state = alarm_state if kind == "alarm_roadmap" and alarm_state else None

    def texts() -> ReminderTexts:
        return wording.in_both_languages(
            lambda: wording.duty_message(
                kind=kind,
                premises_name=premises_name,
                when=wording.due_phrase(due, today, stage),
                stage=stage,
                expires=kind in EXPIRY_KINDS,
                reason=wording.in_active_language(reason_vi, reason_en),
                alarm_state=state,
            ),
            own_texts=True,
        )

    return DueReminder(
        kind=kind,
        subject_key=f"premises:{premises_id}",
        due_on=due,
        stage=stage,
        user_ids=users,
        texts=texts,
        cites=tuple(cites) or configured_cites(config.cite),
        link=("portal:premises_detail", (premises_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
        authority_ids=distinct_ids(authority_ids),
        extra={"alarm_device_state": state} if state else {},
    )
