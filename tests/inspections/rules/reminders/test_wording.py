"""What reminders say: due phrases, expiry words and the duty texts, in Vietnamese (the source
strings) and in English (locale/en), and rendered under each language by in_both_languages."""

from __future__ import annotations

import pytest
from django.utils import translation

from inspections.rules.reminders import wording

from .common import TODAY, in_days


def _both(render):
    out = []
    for lang in ("vi", "en"):
        with translation.override(lang):
            out.append(render())
    return tuple(out)


@pytest.mark.parametrize(
    ("days", "stage", "vi", "en"),
    [
        (3, "t3", "còn 3 ngày (hạn 03/12/2026)", "due in 3 days (03/12/2026)"),
        (1, "t3", "còn 1 ngày (hạn 01/12/2026)", "due in 1 day (01/12/2026)"),
        (0, "t3", "hạn là hôm nay (30/11/2026)", "due today (30/11/2026)"),
        (-1, "overdue", "đã quá hạn 1 ngày (hạn 29/11/2026)", "1 day overdue (due 29/11/2026)"),
        (-8, "overdue-1", "đã quá hạn 8 ngày (hạn 22/11/2026)", "8 days overdue (due 22/11/2026)"),
    ],
)
def test_due_phrase_in_both_languages(days, stage, vi, en):
    assert _both(lambda: wording.due_phrase(in_days(days), TODAY, stage)) == (vi, en)


def test_expiry_state_before_and_after_the_date():
    assert _both(lambda: wording.expiry_state("t30")) == ("sắp hết hạn", "expiring")
    assert _both(lambda: wording.expiry_state("overdue-2")) == ("đã hết hạn", "expired")


@pytest.mark.parametrize(("limit", "text", "cut"), [(5, "abcde", "abcde"), (5, "abcdef", "ab...")])
def test_shorten_keeps_text_up_to_the_limit(limit, text, cut):
    assert wording.shorten(text, limit) == cut


def test_in_both_languages_renders_under_each_language_and_restores_the_active_one():
    def render():
        return wording.Message(
            title=translation.get_language(), what=wording.in_active_language("vi", "en")
        )

    with translation.override("en"):
        texts = wording.in_both_languages(render)
        assert translation.get_language() == "en"
    assert texts == {
        "title_vi": "vi",
        "title_en": "en",
        "what_vi": "vi",
        "what_en": "en",
        "why_vi": "",
        "why_en": "",
    }


def test_in_both_languages_with_own_texts_leaves_djangos_language_alone():
    def render():
        return wording.Message(
            title=wording._("Áp dụng từ"),
            what=wording.in_active_language("vi", "en"),
            why=translation.get_language(),
        )

    with translation.override("vi"):
        texts = wording.in_both_languages(render, own_texts=True)
        assert translation.get_language() == "vi"
        assert wording._("Áp dụng từ") == "Áp dụng từ"
    # This module's texts follow the language rendered; Django's stays the caller's.
    assert texts == {
        "title_vi": "Áp dụng từ",
        "title_en": "Applies from",
        "what_vi": "vi",
        "what_en": "en",
        "why_vi": "vi",
        "why_en": "vi",
    }


def test_in_language_without_switch_sets_only_this_modules_language():
    def render():
        return translation.get_language(), wording._("Áp dụng từ")

    with translation.override("vi"):
        assert wording.in_language("en", render, switch=False) == ("vi", "Applies from")
        assert wording.in_language("en", render) == ("en", "Applies from")


def test_in_language_renders_any_value_under_that_language_then_restores_the_active_one():
    def render():
        return translation.get_language(), wording._("Áp dụng từ"), wording.in_active_language(1, 2)

    with translation.override("vi"):
        assert wording.in_language("en", render) == ("en", "Applies from", 2)
        assert wording._("Áp dụng từ") == "Áp dụng từ"
    with translation.override("en"):
        assert wording.in_language("vi", render) == ("vi", "Áp dụng từ", 1)
        assert translation.get_language() == "en"


def test_every_duty_and_alarm_state_has_an_english_text():
    for name, action in wording.DUTY_TEXT.values():
        vi, en = _both(lambda n=name, a=action: (wording._(n), wording._(a)))
        assert vi != en, vi
    for state in wording.ALARM_STATE_TEXT.values():
        vi_state, en_state = _both(lambda s=state: wording._(s))
        assert vi_state != en_state, vi_state


def test_alarm_state_sentence_only_when_a_state_is_given():
    def message(state):
        return wording.duty_message(
            kind="alarm_roadmap",
            premises_name="Karaoke Sao Mai",
            when="…",
            stage="t7",
            expires=False,
            reason="Lý do",
            alarm_state=state,
        )

    with translation.override("en"):
        assert message("connected").what.endswith(
            "— …. Current state: connected, fire data not declared."
        )
        assert message(None).what.endswith("— ….")
        assert message(None).why == "Lý do"


def _no_language_switch(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("Django's active language switched")

    monkeypatch.setattr(wording.translation, "override", refuse)


@pytest.mark.parametrize("build", ["duty", "training", "finding", "manager"])
def test_hot_reminders_render_english_without_switching_djangos_language(build, monkeypatch):
    from . import test_certificates, test_duties, test_findings

    make = {
        "duty": test_duties._duty,
        "training": test_certificates._training,
        "finding": test_findings._finding,
        "manager": test_findings._manager,
    }[build]
    with translation.override("vi"):
        _no_language_switch(monkeypatch)
        rem = make()
    # English texts all the same (the rules' own tests check them word for word).
    assert rem.title_en != rem.title_vi and rem.what_en != rem.what_vi
