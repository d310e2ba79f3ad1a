"""E-mail subjects and text bodies are plain text, never HTML-escaped."""

from __future__ import annotations

from django.core import mail

from inspections.services.reminders.sweep import run_sweep

from .conftest import TODAY


def test_subject_and_text_keep_ampersands_and_brackets(world):
    world["premises"].name = 'Karaoke "A & B" <Hoàn Kiếm>'
    world["premises"].save()
    run_sweep(today=TODAY)
    messages = [m for m in mail.outbox if "head@test.vn" in m.to]
    assert messages
    subjects = " ".join(m.subject for m in messages)
    assert 'Karaoke "A & B" <Hoàn Kiếm>' in subjects
    assert "&amp;" not in subjects and "&lt;" not in subjects and "&quot;" not in subjects
    assert all("&amp;" not in m.body for m in messages)
    html = messages[0].alternatives[0][0]
    assert "&amp;" in html  # the HTML part is still escaped
