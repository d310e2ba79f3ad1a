"""Demo data, fire-safety dossier and forms: the demo head's karaoke has uploaded documents, a
signed PC01, last half-year's PC04 sent to the ward (the manager sees it) and this half-year's
draft to edit and send."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.core.files.base import ContentFile
from django.utils import timezone
from weasyprint import HTML

from accounts.models import User
from inspections.models import DossierDocument, FormDocument, Premises
from inspections.pdf.errors import SigningConfigurationError
from inspections.pdf.signing import load_signing_identity
from inspections.rules.forms import pc01_edition, pc04_period, previous_period_end
from inspections.selectors.forms import managing_authorities, pc01_content, pc04_draft_content
from inspections.services.forms import draft_pc04, generate_form

HEAD = "head@demo.test"
PREMISES = "DEMO-HK-01"
UPLOADS = [
    # (item, title, made on, body)
    (
        "b",
        "Nội quy phòng cháy, chữa cháy, cứu nạn, cứu hộ",
        dt.date(2025, 7, 10),
        "Nội quy PCCC và CNCH của Karaoke Sao Mai, ban hành ngày 10/07/2025.",
    ),
    (
        "d",
        "Quyết định thành lập Đội PCCC và CNCH cơ sở số 03/QĐ-SM",
        dt.date(2025, 8, 1),
        "Quyết định thành lập Đội phòng cháy, chữa cháy và cứu nạn, cứu hộ cơ sở.",
    ),
    (
        "g",
        "Biên bản tự kiểm tra PCCC (bản giấy) tháng 12/2024",
        dt.date(2024, 12, 20),
        "Biên bản tự kiểm tra về phòng cháy, chữa cháy lập trên giấy trước khi dùng hệ thống.",
    ),
]


def _pdf(title: str, body: str) -> bytes:
    html = f"<h1 style='font-size:14pt'>{title}</h1><p>{body}</p><p><i>Tài liệu mẫu (demo).</i></p>"
    return HTML(string=html).write_pdf()


def seed(stdout: TextIO) -> None:
    premises = Premises.objects.filter(external_id=PREMISES).first()
    head = User.objects.filter(email=HEAD).first()
    if premises is None or head is None:
        stdout.write("dossier: demo premises missing, skipped")
        return
    added = 0
    for item, title, made_on, body in UPLOADS:
        if DossierDocument.objects.filter(premises=premises, item=item, title=title).exists():
            continue
        document = DossierDocument(
            premises=premises,
            item=item,
            title=title,
            made_on=made_on,
            origin=DossierDocument.Origin.UPLOADED,
            content_type="application/pdf",
            uploaded_by=head,
        )
        data = _pdf(title, body)
        document.size = len(data)
        document.file.save(f"demo-{premises.pk}-{item}.pdf", ContentFile(data), save=False)
        document.save()
        added += 1

    today = timezone.localdate()
    recipients = managing_authorities(premises)
    try:
        load_signing_identity()  # no key: only the draft below (the same on every run)
        if not FormDocument.objects.filter(premises=premises, form=FormDocument.Form.PC01).exists():
            content = {**pc01_content(premises, today), "signer_name": head.full_name}
            pc01 = FormDocument.objects.create(
                premises=premises,
                form=FormDocument.Form.PC01,
                status=FormDocument.Status.PENDING,
                content=content,
                edition=pc01_edition(today),
                created_by=head,
            )
            generate_form(pc01.pk)
        # Last half-year's report, sent to the ward: what the manager finds in the portal.
        start, end = pc04_period(today)
        last_end = previous_period_end(end)
        last_start = previous_period_end(last_end) + dt.timedelta(days=1)
        if (
            recipients
            and not FormDocument.objects.filter(
                premises=premises, form=FormDocument.Form.PC04, period_end=last_end
            ).exists()
        ):
            content = {
                **pc04_draft_content(premises, last_start, last_end),
                "signer_name": head.full_name,
            }
            sent = FormDocument.objects.create(
                premises=premises,
                form=FormDocument.Form.PC04,
                status=FormDocument.Status.PENDING,
                period_start=last_start,
                period_end=last_end,
                content=content,
                recipient=recipients[0],
                created_by=head,
            )
            generate_form(sent.pk)
    except SigningConfigurationError as exc:
        stdout.write(f"dossier: forms not signed ({exc})")
    # This half-year's report: a draft for the head to edit, sign and send.
    draft_pc04(user=head, premises=premises, today=today)
    count = DossierDocument.objects.filter(premises=premises, deleted_at=None).count()
    stdout.write(f"dossier: {added} documents added, {count} in the demo head's dossier")
