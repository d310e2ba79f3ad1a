"""Daily digests: one e-mail per person per day grouped by premises; urgent legal deadlines
at once; the wording, dates and citations a reader sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from inspections.models import Delivery, DigestLog, Notification
from inspections.services.digests import delivery_for, is_urgent, send_daily_digests
from inspections.services.notifications import set_preference
from inspections.services.reminders.sweep import run_sweep
from tests import factories as f

from .conftest import TODAY


def mails_to(email: str) -> list:
    return [m for m in mail.outbox if email in m.to]


@pytest.mark.parametrize(
    ("stage", "urgent"),
    [("t30", False), ("t14", False), ("t7", False), ("t3", True), ("t1", True), ("overdue", True),
     ("overdue-2", True), ("closed", False)],
)  # fmt: skip
def test_urgent_means_due_within_three_days_or_overdue(stage, urgent):
    assert is_urgent(stage) is urgent


def test_legal_deadline_goes_out_at_once_only_when_urgent(settings):
    assert delivery_for("finding_deadline", Delivery.DIGEST, "t14") == Delivery.DIGEST
    assert delivery_for("finding_deadline", Delivery.DIGEST, "t3") == Delivery.IMMEDIATE
    assert delivery_for("finding_deadline", Delivery.DIGEST, "overdue") == Delivery.IMMEDIATE
    # Not a legal deadline: the person's choice holds even when it is close.
    assert delivery_for("inspection_due", Delivery.DIGEST, "t1") == Delivery.DIGEST
    # Asked for at once: at once.
    assert delivery_for("training_expiry", Delivery.IMMEDIATE, "t30") == Delivery.IMMEDIATE


def test_by_default_one_digest_per_person_grouped_by_premises(world, head):
    second = f.PremisesFactory(name="Nhà hàng Hồ Gươm", heads=[head], insurance_expires_on=None)
    from inspections.models import TrainingCertificate

    TrainingCertificate.objects.create(
        premises=second, holder_name="Ngô Văn Đội", duty="team_member",
        expires_on=TODAY + timedelta(days=25),
    )  # fmt: skip
    run_sweep(today=TODAY, digests=True)
    head_mails = mails_to("head@test.vn")
    digests = [m for m in head_mails if "Bản tin nhắc việc" in m.subject]
    assert len(digests) == 1
    digest = digests[0]
    assert f"ngày {TODAY.strftime('%d/%m/%Y')}" in digest.subject
    # Both certificates (20 and 25 days ahead: not urgent) wait for the digest, each under
    # its premises.
    body = digest.body
    assert "== Karaoke Hoàn Kiếm" in body and "== Nhà hàng Hồ Gươm" in body
    assert body.index("của Lê Thị Chủ") > body.index("== Karaoke Hoàn Kiếm")
    assert body.index("của Ngô Văn Đội") > body.index("== Nhà hàng Hồ Gươm")
    # Urgent legal deadlines came as their own e-mails: due in 3 days, and 2 days late.
    subjects = [m.subject for m in head_mails if m is not digest]
    assert any("] Hạn khắc phục vi phạm" in s for s in subjects)
    assert any("] Quá hạn khắc phục vi phạm" in s for s in subjects)
    assert not any("Chứng nhận huấn luyện" in s for s in subjects)


def test_a_second_run_the_same_day_sends_no_second_digest(world, head):
    run_sweep(today=TODAY, digests=True)
    assert len([m for m in mails_to("head@test.vn") if "Bản tin" in m.subject]) == 1
    # Something new arrives for the digest later that day: it waits for tomorrow's.
    new = f.PremisesFactory(name="Quán Đồng Xuân", heads=[head])
    from inspections.models import TrainingCertificate

    TrainingCertificate.objects.create(
        premises=new, holder_name="Đỗ Thị Mới", expires_on=TODAY + timedelta(days=28)
    )
    run_sweep(today=TODAY, digests=True)
    assert send_daily_digests(today=TODAY) == 0
    assert len([m for m in mails_to("head@test.vn") if "Bản tin" in m.subject]) == 1
    assert Notification.objects.filter(
        user=head, delivery=Delivery.DIGEST, status=Notification.Status.PENDING
    ).exists()
    assert send_daily_digests(today=TODAY + timedelta(days=1)) == 1
    tomorrow = [m for m in mails_to("head@test.vn") if "Bản tin" in m.subject][-1]
    assert "của Đỗ Thị Mới" in tomorrow.body and "của Lê Thị Chủ" not in tomorrow.body
    assert DigestLog.objects.filter(user=head).count() == 2


def test_failed_digest_is_tried_again_the_same_day(world, head, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    run_sweep(today=TODAY, digests=False, send=False)
    assert send_daily_digests(today=TODAY) == 0
    assert not DigestLog.objects.filter(user=head).exists()
    monkeypatch.undo()
    assert send_daily_digests(today=TODAY) > 0
    assert len([m for m in mails_to("head@test.vn") if "Bản tin" in m.subject]) == 1


def test_explicit_immediate_preference_is_kept(world, head):
    set_preference(user=head, kind="training_expiry", mode=Delivery.IMMEDIATE)
    run_sweep(today=TODAY, digests=True)
    assert any(
        "Chứng nhận huấn luyện PCCC sắp hết hạn" in m.subject for m in mails_to("head@test.vn")
    )


def test_english_digest_dates_and_citations(world):
    run_sweep(today=TODAY, digests=True)
    english = [m for m in mails_to("head-en@test.vn") if "Daily digest" in m.subject]
    assert len(english) == 1
    body = english[0].body
    due = (TODAY + timedelta(days=20)).strftime("%d/%m/%Y")
    assert f"By: {due}" in body
    assert TODAY.strftime("%d/%m/%Y") in english[0].subject
    assert "Fire-safety training certificate expiring" in body
    # The certificate is the head's (the default duty): point c of Art. 45.1.
    assert "Legal basis: Art. 45.1.c of Law 55/2024/QH15" in body


def test_expiry_wording_before_and_after_the_date(world):
    from inspections.models import TrainingCertificate

    cert = TrainingCertificate.objects.get(pk=world["certificate"].pk)
    cert.expires_on = TODAY - timedelta(days=1)
    cert.duty = "head"
    cert.save()
    run_sweep(today=TODAY, digests=True)
    subjects = [m.subject for m in mails_to("head@test.vn")]
    assert any("Chứng nhận huấn luyện PCCC đã hết hạn" in s for s in subjects)
    msg = next(m for m in mails_to("head@test.vn") if "đã hết hạn" in m.subject)
    # The point of Art. 45.1 that names the head, with its words, not the clause's lead-in.
    assert "Căn cứ: điểm c khoản 1 Điều 45 Luật 55/2024/QH15" in msg.body
    assert '"Người đứng đầu cơ sở;"' in msg.body
    assert "bao gồm:" not in msg.body


def test_items_of_no_premises_are_grouped_under_other_in_the_readers_language():
    from django.utils import translation

    from inspections.services.digests import group_by_premises

    rows = [
        Notification(premises_id=None, payload={"title_vi": "A", "due_on": None}),
        Notification(premises_id=3, payload={"title_vi": "B", "premises_name": "Karaoke Sao Mai"}),
    ]
    with translation.override("vi"):
        assert [g.name for g in group_by_premises(rows, "en")] == ["Karaoke Sao Mai", "Other"]
    with translation.override("en"):
        assert [g.name for g in group_by_premises(rows, "vi")] == ["Karaoke Sao Mai", "Khác"]
