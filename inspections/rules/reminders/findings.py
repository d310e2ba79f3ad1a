"""Which finding reminder is due: remediation deadlines for heads, overdue findings for managers,
and the authority's decision on a remediation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from inspections.rules.reminders import wording
from inspections.rules.reminders.citations import Cite, configured_cites
from inspections.rules.reminders.reminder import DueReminder, Reminder, distinct_ids
from inspections.rules.reminders.schedule import OVERDUE, ReminderConfig, is_overdue, stage_for
from inspections.rules.reminders.wording import ReminderTexts


def finding_reminder(
    *,
    finding_id: int,
    premises_id: int,
    premises_name: str,
    description: str,
    deadline: date,
    head_ids: Iterable[int],
    cites: Sequence[Cite],
    authority_ids: Iterable[int],
    today: date,
    config: ReminderConfig,
) -> DueReminder | None:
    """Facility heads: remediation deadline of an open finding, T-14, T-3 and overdue."""
    stage = stage_for(deadline, today, config)
    users = distinct_ids(head_ids)
    if stage is None or not users:
        return None

    def texts() -> ReminderTexts:
        return wording.in_both_languages(
            lambda: wording.finding_message(
                premises_name=premises_name,
                finding=wording.shorten(description, 160),
                when=wording.due_phrase(deadline, today, stage),
                late=is_overdue(stage),
            ),
            own_texts=True,
        )

    return DueReminder(
        kind="finding_deadline",
        subject_key=f"finding:{finding_id}",
        due_on=deadline,
        stage=stage,
        user_ids=users,
        texts=texts,
        cites=tuple(cites) or configured_cites(config.cite),
        link=("portal:finding_detail", (finding_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
        authority_ids=distinct_ids(authority_ids),
    )


def remediation_decision_notice(
    *,
    finding_id: int,
    premises_id: int,
    premises_name: str,
    description: str,
    head_ids: Iterable[int],
    authority_name: str,
    accepted: bool,
    note: str,
    decided_at_key: str,
    decided_on: date,
    deadline: date | None,
) -> Reminder | None:
    """Facility heads: the authority confirmed their remediation, or sent it back with a reason.

    One notice per decision: ``decided_at_key`` (the decision's timestamp) is part of the
    subject, so a second send-back after a new report is a new notice, a retry is not.
    """
    users = distinct_ids(head_ids)
    if not users:
        return None
    texts = wording.in_both_languages(
        lambda: wording.remediation_decision_message(
            premises_name=premises_name,
            finding=wording.shorten(description, 160),
            authority_name=authority_name,
            accepted=accepted,
            note=note,
        )
    )
    return Reminder(
        kind="finding_verified",
        subject_key=f"finding:{finding_id}@{decided_at_key}",
        due_on=decided_on if accepted else deadline or decided_on,
        stage="closed" if accepted else "reopened",
        user_ids=users,
        **texts,
        link=("portal:finding_detail", (finding_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
    )


def finding_overdue_manager_reminder(
    *,
    finding_id: int,
    premises_id: int,
    premises_name: str,
    ward_name: str,
    description: str,
    deadline: date,
    manager_ids: Iterable[int],
    today: date,
    config: ReminderConfig,
) -> DueReminder | None:
    """Managers: a finding in their jurisdiction is past its remediation deadline."""
    if deadline >= today:
        return None
    users = distinct_ids(manager_ids)
    if not users:
        return None

    def texts() -> ReminderTexts:
        return wording.in_both_languages(
            lambda: wording.finding_overdue_manager_message(
                premises_name=premises_name,
                ward_name=ward_name,
                finding=wording.shorten(description, 120),
                when=wording.due_phrase(deadline, today, OVERDUE),
            ),
            own_texts=True,
        )

    return DueReminder(
        kind="finding_overdue_manager",
        subject_key=f"finding:{finding_id}",
        due_on=deadline,
        stage=OVERDUE,
        user_ids=users,
        texts=texts,
        cites=configured_cites(config.cite),
        link=("portal:finding_detail", (finding_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
    )
