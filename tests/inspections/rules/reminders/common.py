"""What the reminder rules' tests share: the day, and citations written out by hand."""

from __future__ import annotations

from datetime import date, timedelta

from inspections.legal.parser import provision_text
from inspections.rules.reminders.citations import Cite
from inspections.rules.reminders.reminder import DueReminder, Reminder

TODAY = date(2026, 11, 30)
# The expected citation of Law Art. 20.5, written out (never built by the code under test).
ART_20_5 = Cite(
    label_vi="khoản 5 Điều 20 Luật 55/2024/QH15",
    label_en="Art. 20.5 of Law 55/2024/QH15",
    text_vi=provision_text(20, 5),
    law_ref=(20, 5, None),
)
ART_23_1_C = Cite(
    label_vi="điểm c khoản 1 Điều 23 Luật 55/2024/QH15",
    label_en="Art. 23.1.c of Law 55/2024/QH15",
    text_vi=provision_text(23, 1, "c"),
    law_ref=(23, 1, "c"),
)
DECREE_CITE = Cite(
    "khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP", "Art. 14.2 of Decree 105/2025/NĐ-CP", "…"
)


def in_days(days: int) -> date:
    return TODAY + timedelta(days=days)


def worded(due: DueReminder | None) -> Reminder | None:
    """A rule's due reminder with its texts, as the sweep records a new one."""
    return None if due is None else due.reminder()
