"""Texts the rules store in both languages (an obligation's reason and detail), through gettext.

Msgids are Vietnamese, with ``%(name)s`` parameters; the English is in
locale/en/LC_MESSAGES/django.po. An obligation keeps its texts in both languages
(``reason_vi``/``reason_en``) so either reader sees them without the rules running again: each
function here returns the (vi, en) pair, translated from each language's catalogue whatever
language is active.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from .reminders.wording import _, in_language

_pairs: dict[str, tuple[str, str]] = {}


class PerLanguage(NamedTuple):
    """A value written differently in each language (a label from the vocabulary)."""

    vi: str
    en: str


def translations(msgid: str) -> tuple[str, str]:
    """(vi, en) of ``msgid``, kept once translated: catalogues do not change while the process
    runs, and a refresh words reasons for every premises."""
    pair = _pairs.get(msgid)
    if pair is None:

        def text() -> str:
            return _(msgid)

        pair = _pairs[msgid] = (
            in_language("vi", text, switch=False),
            in_language("en", text, switch=False),
        )
    return pair


def both(msgid: str, **values: Any) -> tuple[str, str]:
    """(vi, en) of ``msgid`` with its parameters filled in. A date is written as each language
    writes it (31/12/2026, 2026-12-31); a ``PerLanguage`` value gives each its own text."""
    vi, en = translations(msgid)
    if not values:
        return vi, en
    return vi % _shown(values, english=False), en % _shown(values, english=True)


def _shown(values: dict[str, Any], *, english: bool) -> dict[str, Any]:
    shown = {}
    for name, value in values.items():
        if isinstance(value, PerLanguage):
            value = value.en if english else value.vi
        elif isinstance(value, date):
            value = value.isoformat() if english else value.strftime("%d/%m/%Y")
        shown[name] = value
    return shown
