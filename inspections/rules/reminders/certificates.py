"""Which training-certificate reminder is due: before and after a certificate expires."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from inspections.rules.reminders import wording
from inspections.rules.reminders.citations import Cite, configured_cites, law_cite
from inspections.rules.reminders.reminder import DueReminder, distinct_ids
from inspections.rules.reminders.schedule import ReminderConfig, stage_for
from inspections.rules.reminders.wording import ReminderTexts

# Law Art. 45.1: who must be trained, one point per duty (TrainingDuty in models/training.py).
TRAINING_DUTY_POINTS = {
    "head": "c",
    "team_member": "d",
    "assigned": "đ",
    "hazardous_work": "e",
    "crew": "g",
}


def training_cites(duty: str, config: ReminderConfig) -> tuple[Cite, ...]:
    """The point of Art. 45.1 naming the holder's duty, not the clause's lead-in alone."""
    if duty in TRAINING_DUTY_POINTS:
        return (law_cite(45, 1, TRAINING_DUTY_POINTS[duty]),)
    return configured_cites(config.cite)


def training_reminder(
    *,
    certificate_id: int,
    premises_id: int,
    premises_name: str,
    holder_name: str,
    expires_on: date,
    head_ids: Iterable[int],
    authority_ids: Iterable[int],
    today: date,
    config: ReminderConfig,
    duty: str = "",
) -> DueReminder | None:
    """Facility heads: a person's fire-safety training certificate is expiring or expired."""
    stage = stage_for(expires_on, today, config)
    users = distinct_ids(head_ids)
    if stage is None or not users:
        return None

    def texts() -> ReminderTexts:
        return wording.in_both_languages(
            lambda: wording.training_message(
                premises_name=premises_name,
                holder_name=holder_name,
                when=wording.due_phrase(expires_on, today, stage),
                state=wording.expiry_state(stage),
            ),
            own_texts=True,
        )

    return DueReminder(
        kind="training_expiry",
        subject_key=f"certificate:{certificate_id}",
        due_on=expires_on,
        stage=stage,
        user_ids=users,
        texts=texts,
        cites=training_cites(duty, config),
        link=("portal:premises_detail", (premises_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
        authority_ids=distinct_ids(authority_ids),
    )
