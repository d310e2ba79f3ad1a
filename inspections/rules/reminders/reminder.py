"""The value every reminder rule returns: what is due, by when, why (with the article), where."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspections.rules.reminders.citations import Cite
from inspections.rules.reminders.schedule import is_overdue
from inspections.rules.reminders.wording import ReminderTexts


@dataclass
class Reminder:
    """A reminder due today: what, by when, why (with the article), where to act.

    The texts are carried in both languages (rendered by ``wording``): the e-mail shows the
    recipient's language, a webhook receiver gets both.
    """

    kind: str
    subject_key: str
    due_on: date
    stage: str
    user_ids: tuple[int, ...]
    title_vi: str
    title_en: str
    what_vi: str
    what_en: str
    why_vi: str = ""
    why_en: str = ""
    cites: tuple[Cite, ...] = ()
    link: tuple[str, tuple[Any, ...]] = ("portal:home", ())
    premises_id: int | None = None
    premises_name: str = ""
    # Authorities concerned (jurisdiction of the premises): their webhooks get a copy.
    authority_ids: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def overdue(self) -> bool:
        return is_overdue(self.stage)

    def payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title_vi": self.title_vi,
            "title_en": self.title_en,
            "what_vi": self.what_vi,
            "what_en": self.what_en,
            "why_vi": self.why_vi,
            "why_en": self.why_en,
            "due_on": self.due_on.isoformat(),
            "stage": self.stage,
            "overdue": self.overdue,
            "cites": [c.as_dict() for c in self.cites],
            "link": [self.link[0], list(self.link[1])],
            "premises_id": self.premises_id,
            "premises_name": self.premises_name,
            **self.extra,
        }


@dataclass(frozen=True)
class DueReminder:
    """A reminder that is due, not worded yet: everything a ``Reminder`` carries but its texts,
    which ``texts`` renders (in both languages) only when ``reminder()`` or ``payload()`` asks.

    Its notification keys (kind, subject, due date, stage, recipient) need no text: a daily
    sweep finds most of its reminders recorded already and words only the new ones (wording
    every reminder in two languages was a third of a sweep's CPU time).
    """

    kind: str
    subject_key: str
    due_on: date
    stage: str
    user_ids: tuple[int, ...]
    texts: Callable[[], ReminderTexts] = field(compare=False, repr=False)
    cites: tuple[Cite, ...] = ()
    link: tuple[str, tuple[Any, ...]] = ("portal:home", ())
    premises_id: int | None = None
    premises_name: str = ""
    authority_ids: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def reminder(self) -> Reminder:
        """The reminder, worded."""
        return Reminder(
            kind=self.kind,
            subject_key=self.subject_key,
            due_on=self.due_on,
            stage=self.stage,
            user_ids=self.user_ids,
            **self.texts(),
            cites=self.cites,
            link=self.link,
            premises_id=self.premises_id,
            premises_name=self.premises_name,
            authority_ids=self.authority_ids,
            extra=dict(self.extra),
        )

    def payload(self) -> dict[str, Any]:
        return self.reminder().payload()


def distinct_ids(ids: Iterable[int]) -> tuple[int, ...]:
    """Each user or authority once, in a stable order."""
    return tuple(sorted(set(ids)))
