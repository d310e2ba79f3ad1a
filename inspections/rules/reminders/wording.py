"""What a reminder says: its title, the action and the reason, through gettext.

Source strings are Vietnamese; the English is in locale/en/LC_MESSAGES/django.po. Each
``*_message`` function renders in the active language; ``in_both_languages`` renders one under
each language a reminder carries (the e-mail shows the recipient's, a webhook gets both). Legal
data that is bilingual by nature (catalogue reasons, citation labels) is passed in as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict, TypeVar

from django.utils import translation
from django.utils.translation import gettext_noop, trans_real

from inspections.dates import format_date
from inspections.rules.reminders.schedule import is_overdue

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LANGUAGES = ("vi", "en")

T = TypeVar("T")

# A sweep renders every reminder in both languages, a dozen texts each. Django's gettext finds
# the active language through a thread-local on every call, which more than doubled the sweep's
# CPU time; while ``in_both_languages`` renders, the texts of this module come from the
# language's catalogue directly and are kept once translated (catalogues do not change while
# the process runs). Outside it, they are Django's gettext in the active language.
_rendering: ContextVar[str | None] = ContextVar("reminder_language", default=None)
_translated: dict[tuple[str, ...], str] = {}


def _(message: str) -> str:
    lang = _rendering.get()
    if lang is None:
        return translation.gettext(message)
    key = (lang, message)
    if key not in _translated:
        _translated[key] = trans_real.translation(lang).gettext(message)
    return _translated[key]


def ngettext(singular: str, plural: str, number: int) -> str:
    lang = _rendering.get()
    if lang is None:
        return translation.ngettext(singular, plural, number)
    key = (lang, singular, plural, str(number))
    if key not in _translated:
        _translated[key] = trans_real.translation(lang).ngettext(singular, plural, number)
    return _translated[key]


def pgettext(context: str, message: str) -> str:
    lang = _rendering.get()
    if lang is None:
        return translation.pgettext(context, message)
    key = (lang, context, message)
    if key not in _translated:
        # Django's own convention for a message with a context (trans_real.pgettext).
        text = trans_real.translation(lang).gettext(f"{context}\x04{message}")
        _translated[key] = message if "\x04" in text else text
    return _translated[key]


@dataclass(frozen=True)
class Message:
    """A reminder's texts in one language."""

    title: str
    what: str
    why: str = ""


class ReminderTexts(TypedDict):
    """A reminder's texts in both languages, as ``Reminder`` fields."""

    title_vi: str
    title_en: str
    what_vi: str
    what_en: str
    why_vi: str
    why_en: str


def in_both_languages(render: Callable[[], Message], *, own_texts: bool = False) -> ReminderTexts:
    """``render`` called under Vietnamese, then under English.

    ``own_texts``: ``render`` says nothing but this module's texts and plain data (no lazy
    model label, no template), so Django's active language is left as it is; switching it
    twice per reminder cost a sweep a tenth of its time.
    """
    vi = in_language("vi", render, switch=not own_texts)
    en = in_language("en", render, switch=not own_texts)
    return ReminderTexts(
        title_vi=vi.title,
        title_en=en.title,
        what_vi=vi.what,
        what_en=en.what,
        why_vi=vi.why,
        why_en=en.why,
    )


def in_language(lang: str, render: Callable[[], T], *, switch: bool = True) -> T:
    """``render`` called under ``lang``: a text a reader asked for in their language.

    ``switch=False`` sets only this module's language (its gettext functions and
    ``in_active_language``), not Django's.
    """
    token = _rendering.set(lang)
    try:
        # Django's active language too: texts from elsewhere (model labels) follow it.
        if not switch or translation.get_language() == lang:
            return render()  # switching costs more than asking (a sweep renders thousands)
        with translation.override(lang):
            return render()
    finally:
        _rendering.reset(token)


def in_active_language(vi: str, en: str) -> str:
    """One of a pair of texts that are bilingual data (a catalogue reason), by the language."""
    return en if (_rendering.get() or translation.get_language()) == "en" else vi


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with "..." when it was longer."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def due_phrase(due: date, today: date, stage: str) -> str:
    """When: 'còn 3 ngày (hạn 03/12/2026)', 'hạn là hôm nay (...)', 'đã quá hạn 2 ngày (...)'."""
    days = (due - today).days
    d = format_date(due)
    if is_overdue(stage):
        return ngettext(
            "đã quá hạn %(days)d ngày (hạn %(due)s)",
            "đã quá hạn %(days)d ngày (hạn %(due)s)",
            -days,
        ) % {"days": -days, "due": d}
    if days == 0:
        return _("hạn là hôm nay (%(due)s)") % {"due": d}
    return ngettext("còn %(days)d ngày (hạn %(due)s)", "còn %(days)d ngày (hạn %(due)s)", days) % {
        "days": days,
        "due": d,
    }


def expiry_state(stage: str) -> str:
    """'sắp hết hạn' up to the date, 'đã hết hạn' after it."""
    if is_overdue(stage):
        return pgettext("reminder", "đã hết hạn")
    return pgettext("reminder", "sắp hết hạn")


# --- Per kind --------------------------------------------------------------------------------


def inspection_message(
    *, premises_name: str, address: str, kind_label: StrOrPromise, when: str, late: bool
) -> Message:
    names = {"premises": premises_name}
    title = (
        _("Quá hạn kiểm tra: %(premises)s") if late else _("Sắp đến lịch kiểm tra: %(premises)s")
    )
    return Message(
        title=title % names,
        what=_("%(kind)s tại %(premises)s (%(address)s) — %(when)s.")
        % {"kind": kind_label, "premises": premises_name, "address": address, "when": when},
        why=_("Bạn được phân công thực hiện đợt kiểm tra này."),
    )


def finding_message(*, premises_name: str, finding: str, when: str, late: bool) -> Message:
    title = (
        _("Quá hạn khắc phục vi phạm: %(premises)s")
        if late
        else _("Hạn khắc phục vi phạm: %(premises)s")
    )
    return Message(
        title=title % {"premises": premises_name},
        what=_("Khắc phục vi phạm “%(finding)s” — %(when)s.") % {"finding": finding, "when": when},
        why=_(
            "Vi phạm được ghi trong biên bản kiểm tra; người đứng đầu cơ sở phải khắc phục "
            "đúng hạn và gửi chứng cứ khắc phục."
        ),
    )


def remediation_decision_message(
    *, premises_name: str, finding: str, authority_name: str, accepted: bool, note: str
) -> Message:
    names = {"premises": premises_name, "finding": finding, "note": note}
    if accepted:
        title = _("Đã xác nhận khắc phục vi phạm: %(premises)s")
        what = _("Không cần làm gì thêm: vi phạm “%(finding)s” đã được xác nhận khắc phục.")
    else:
        title = _("Chưa đạt, cần khắc phục tiếp: %(premises)s")
        what = _("Khắc phục tiếp vi phạm “%(finding)s”: %(note)s")
    return Message(
        title=title % names,
        what=what % names,
        why=_("Kết quả xem xét chứng cứ khắc phục của %(authority)s.")
        % {"authority": authority_name},
    )


def finding_overdue_manager_message(
    *, premises_name: str, ward_name: str, finding: str, when: str
) -> Message:
    return Message(
        title=_("Vi phạm quá hạn khắc phục: %(premises)s (%(ward)s)")
        % {"premises": premises_name, "ward": ward_name},
        what=_("%(premises)s: “%(finding)s” — %(when)s.")
        % {"premises": premises_name, "finding": finding, "when": when},
        why=_(
            "Cơ sở thuộc địa bàn quản lý của cơ quan; cần kiểm tra lại hoặc xử lý theo quy định."
        ),
    )


def training_message(*, premises_name: str, holder_name: str, when: str, state: str) -> Message:
    return Message(
        title=_("Chứng nhận huấn luyện PCCC %(state)s: %(holder)s (%(premises)s)")
        % {"state": state, "holder": holder_name, "premises": premises_name},
        what=_("Chứng nhận huấn luyện nghiệp vụ PCCC của %(holder)s — %(when)s.")
        % {"holder": holder_name, "when": when},
        why=_(
            "Người đứng đầu và lực lượng PCCC tại chỗ phải được huấn luyện, bồi dưỡng nghiệp vụ."
        ),
    )


# Catalogue duties with a deadline: (name of the duty, what to do), per reminder kind.
DUTY_TEXT: dict[str, tuple[str, str]] = {
    "alarm_roadmap": (
        gettext_noop("Lộ trình thiết bị truyền tin báo cháy"),
        gettext_noop(
            "Trang bị thiết bị truyền tin báo cháy, kết nối với Cơ sở dữ liệu về PCCC và khai "
            "báo dữ liệu PCCC"
        ),
    ),
    "drill_due": (
        gettext_noop("Thực tập phương án chữa cháy, cứu nạn, cứu hộ"),
        gettext_noop("Tổ chức thực tập phương án chữa cháy, cứu nạn, cứu hộ và ghi ngày thực tập"),
    ),
    "self_inspection_due": (
        gettext_noop("Tự kiểm tra PCCC định kỳ"),
        gettext_noop("Tự kiểm tra an toàn PCCC định kỳ và lập biên bản (mẫu PC02)"),
    ),
    "regular_check_due": (
        gettext_noop("Tự kiểm tra PCCC thường xuyên"),
        gettext_noop(
            "Tự kiểm tra PCCC thường xuyên (không quá 01 tháng một lần) và ghi ngày kiểm tra"
        ),
    ),
    "pc04_report_due": (
        gettext_noop("Báo cáo kết quả công tác PCCC (mẫu PC04)"),
        gettext_noop(
            "Gửi báo cáo mẫu PC04 cho cơ quan quản lý hoặc cập nhật trên Cơ sở dữ liệu về PCCC"
        ),
    ),
    "data_declaration_due": (
        gettext_noop("Khai báo dữ liệu PCCC lần đầu"),
        gettext_noop(
            "Khai báo dữ liệu PCCC lần đầu trong 03 ngày kể từ khi kết nối thiết bị truyền tin "
            "báo cháy"
        ),
    ),
    "insurance_expiry": (
        gettext_noop("Bảo hiểm cháy, nổ bắt buộc"),
        gettext_noop("Gia hạn bảo hiểm cháy, nổ bắt buộc trước khi giấy chứng nhận hết hiệu lực"),
    ),
}

# The state of the alarm-transmission device, said in the roadmap reminder.
ALARM_STATE_TEXT: dict[str, str] = {
    "none": gettext_noop("chưa trang bị thiết bị"),
    "installed": gettext_noop("đã lắp đặt nhưng chưa kết nối"),
    "connected": gettext_noop("đã kết nối, chưa khai báo dữ liệu PCCC"),
}


def duty_title(*, kind: str, premises_name: str, stage: str, expires: bool) -> str:
    """The title: "Sắp đến hạn: <duty> — <premises>" or "<certificate> sắp hết hạn — <premises>"."""
    names = {"duty": _(DUTY_TEXT[kind][0]), "premises": premises_name}
    if expires:
        # A certificate expires, a duty falls due: "Bảo hiểm ... sắp hết hạn / đã hết hạn".
        return _("%(duty)s %(state)s — %(premises)s") % {**names, "state": expiry_state(stage)}
    if is_overdue(stage):
        return _("Quá hạn: %(duty)s — %(premises)s") % names
    return _("Sắp đến hạn: %(duty)s — %(premises)s") % names


def duty_message(
    *,
    kind: str,
    premises_name: str,
    when: str,
    stage: str,
    expires: bool,
    reason: str,
    alarm_state: str | None,
) -> Message:
    what = _("%(action)s — %(when)s.") % {"action": _(DUTY_TEXT[kind][1]), "when": when}
    if alarm_state is not None:
        state = _(ALARM_STATE_TEXT.get(alarm_state, ALARM_STATE_TEXT["none"]))
        what += " " + _("Hiện trạng: %(state)s.") % {"state": state}
    return Message(
        title=duty_title(kind=kind, premises_name=premises_name, stage=stage, expires=expires),
        what=what,
        why=reason,
    )
