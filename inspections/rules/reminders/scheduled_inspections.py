"""Which inspection reminder is due: assigned inspectors before and after the scheduled day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from inspections.rules.reminders import wording
from inspections.rules.reminders.citations import configured_cites
from inspections.rules.reminders.reminder import DueReminder, distinct_ids
from inspections.rules.reminders.schedule import ReminderConfig, is_overdue, stage_for
from inspections.rules.reminders.wording import ReminderTexts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def inspection_reminder(
    *,
    inspection_id: int,
    premises_id: int,
    premises_name: str,
    address: str,
    kind_label: StrOrPromise,
    scheduled_for: date,
    inspector_ids: Iterable[int],
    authority_id: int | None,
    today: date,
    config: ReminderConfig,
) -> DueReminder | None:
    """Assigned inspectors: T-7, T-1 and overdue for an inspection not yet carried out.

    ``kind_label`` is the inspection kind's translatable label, said in each language.
    """
    stage = stage_for(scheduled_for, today, config)
    users = distinct_ids(inspector_ids)
    if stage is None or not users:
        return None

    def texts() -> ReminderTexts:
        return wording.in_both_languages(
            lambda: wording.inspection_message(
                premises_name=premises_name,
                address=address,
                kind_label=kind_label,
                when=wording.due_phrase(scheduled_for, today, stage),
                late=is_overdue(stage),
            )
        )

    return DueReminder(
        kind="inspection_due",
        subject_key=f"inspection:{inspection_id}",
        due_on=scheduled_for,
        stage=stage,
        user_ids=users,
        texts=texts,
        cites=configured_cites(config.cite),
        link=("portal:inspection_detail", (inspection_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
        authority_ids=(authority_id,) if authority_id else (),
    )
