"""The head's forms: draft, edit and send the PC04 report, make the PC01 sheet; sign them once."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.models import FormDocument, Premises
from inspections.pdf.forms import REASONS, render_form
from inspections.pdf.signing import open_signing_identity, sign_pdf
from inspections.pdf.verification import sha256_hex
from inspections.rules.forms import pc01_edition, pc04_period
from inspections.selectors.forms import (
    PC04_SECTIONS,
    form_context_for,
    managing_authorities,
    pc01_content,
    pc04_draft_content,
)
from inspections.selectors.reports import claim_timeout

from .errors import Conflict, Invalid

logger = logging.getLogger(__name__)

SECTION_LIMIT = 20000
FAILURE_REASON_LIMIT = 1000


def _require_head(user: User, premises: Premises) -> None:
    if not access.can_manage_forms(user, premises):
        raise PermissionDenied


def draft_pc04(*, user: User, premises: Premises, today: date | None = None) -> FormDocument:
    """The PC04 of the current half-year: created as a draft from what the system knows, or
    the existing one (a draft being edited, or the report already sent)."""
    _require_head(user, premises)
    today = today or timezone.localdate()
    start, end = pc04_period(today)
    existing = FormDocument.objects.filter(
        premises=premises, form=FormDocument.Form.PC04, period_end=end
    ).first()
    if existing:
        return existing
    content = pc04_draft_content(premises, start, end)
    content["signer_name"] = user.full_name or user.email
    recipients = managing_authorities(premises)
    try:
        with transaction.atomic():
            return FormDocument.objects.create(
                premises=premises,
                form=FormDocument.Form.PC04,
                period_start=start,
                period_end=end,
                content=content,
                recipient=recipients[0] if recipients else None,
                created_by=user,
            )
    except IntegrityError:  # a concurrent request drafted it first
        return FormDocument.objects.get(
            premises=premises, form=FormDocument.Form.PC04, period_end=end
        )


def update_pc04(
    *,
    user: User,
    form: FormDocument,
    content: dict[str, str],
    recipient_id: int | None = None,
) -> FormDocument:
    """The head edits the draft's sections (and who receives it) before sending."""
    _require_head(user, form.premises)
    fields: dict[str, list[str]] = {}
    unknown = sorted(set(content) - set(PC04_SECTIONS) - {"signer_name", "number"})
    if unknown:
        fields["content"] = [_("Mục không có trong mẫu: %(keys)s") % {"keys": ", ".join(unknown)}]
    too_long = [k for k, v in content.items() if len(str(v)) > SECTION_LIMIT]
    for key in too_long:
        fields[key] = [_("Nội dung quá dài.")]
    recipient = None
    if recipient_id is not None:
        recipient = next(
            (a for a in managing_authorities(form.premises) if a.pk == recipient_id), None
        )
        if recipient is None:
            fields["recipient"] = [_("Cơ quan này không quản lý cơ sở.")]
    if fields:
        raise Invalid("form_invalid", _("Báo cáo chưa hợp lệ."), fields=fields)
    with transaction.atomic():
        locked = FormDocument.objects.select_for_update().get(pk=form.pk)
        if locked.status != FormDocument.Status.DRAFT:
            raise Conflict(
                "form_sent", _("Báo cáo đã được gửi, không sửa được nữa."), current=locked
            )
        merged = dict(locked.content or {})
        merged.update({k: str(v).replace("\r\n", "\n") for k, v in content.items()})
        locked.content = merged
        if recipient is not None:
            locked.recipient = recipient
        locked.save(update_fields=["content", "recipient", "updated_at"])
    return locked


def send_pc04(*, user: User, form: FormDocument) -> FormDocument:
    """Sign the report and send it to the managing authority (it appears in its portal)."""
    _require_head(user, form.premises)
    with transaction.atomic():
        locked = FormDocument.objects.select_for_update().get(pk=form.pk)
        if locked.status != FormDocument.Status.DRAFT:
            return locked  # sent already: the repeat changes nothing
        if locked.recipient_id is None:
            raise Invalid(
                "form_no_recipient",
                _("Chưa có cơ quan quản lý nhận báo cáo."),
                fields={"recipient": [_("Trường này là bắt buộc.")]},
            )
        locked.status = FormDocument.Status.PENDING
        locked.save(update_fields=["status", "updated_at"])
        _queue(locked)
    return locked


def make_pc01(*, user: User, premises: Premises, today: date | None = None) -> FormDocument:
    """Fill the information sheet from the registry, in the edition in force, and sign it."""
    _require_head(user, premises)
    today = today or timezone.localdate()
    content = pc01_content(premises, today)
    content["signer_name"] = user.full_name or user.email
    with transaction.atomic():
        form = FormDocument.objects.create(
            premises=premises,
            form=FormDocument.Form.PC01,
            status=FormDocument.Status.PENDING,
            content=content,
            edition=pc01_edition(today),
            created_by=user,
        )
        _queue(form)
    return form


def _queue(form: FormDocument) -> None:
    from inspections.queue import enqueue

    transaction.on_commit(lambda: enqueue("inspections.tasks.generate_form_document", form.pk))


def _claim(form: FormDocument):
    now = timezone.now()
    won = (
        FormDocument.objects.filter(pk=form.pk)
        .filter(status__in=(FormDocument.Status.PENDING, FormDocument.Status.FAILED))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout()))
        .update(
            claimed_at=now,
            status=FormDocument.Status.PENDING,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    return now if won == 1 else None


def generate_form(form_id: int) -> FormDocument:
    """Render, sign and store a sent form once; file it in the dossier. Safe to run twice."""
    form = FormDocument.objects.select_related("premises", "recipient").get(pk=form_id)
    if form.status in (FormDocument.Status.READY, FormDocument.Status.DRAFT):
        return form
    claim = _claim(form)
    if claim is None:
        form.refresh_from_db()
        return form
    try:
        # The head's own forms carry the deployment's signature (no authority signs them).
        with open_signing_identity() as identity:
            ctx = form_context_for(
                form,
                verification_code=form.verification_code,
                development_signer=identity.is_development,
            )
            rendered = render_form(ctx)
            signed = sign_pdf(
                rendered.pdf,
                box=rendered.signature_box,
                verification_code=form.verification_code,
                identity=identity,
                reason=REASONS[form.form],
                location=ctx.premises_address[:200],
            )
        digest = sha256_hex(signed.pdf)
        name = f"forms/{digest[:2]}/{digest}.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(signed.pdf))
    except Exception as exc:
        logger.exception("form %s failed", form_id)
        FormDocument.objects.filter(pk=form.pk, claimed_at=claim).update(
            status=FormDocument.Status.FAILED,
            failure_reason=f"{type(exc).__name__}: {exc}"[:FAILURE_REASON_LIMIT],
            claimed_at=None,
            updated_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        now = timezone.now()
        updated = FormDocument.objects.filter(pk=form.pk, claimed_at=claim).update(
            status=FormDocument.Status.READY,
            file=name,
            sha256=digest,
            signer=signed.signer,
            signed_at=signed.signed_at,
            sent_at=now if form.form == FormDocument.Form.PC04 else None,
            failure_reason="",
            claimed_at=None,
            updated_at=now,
        )
        if updated:
            from .dossier import file_signed_form

            form.refresh_from_db()
            file_signed_form(form)
    form.refresh_from_db()
    return form
