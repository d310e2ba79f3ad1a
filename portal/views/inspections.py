"""Inspection pages: detail with the signed record, and the head's self-inspection in the browser."""

from __future__ import annotations

import base64
import binascii
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import access
from inspections.models import Answer, AnswerType, Inspection, Report, Signature
from inspections.services.errors import ServiceError
from inspections.services.inspections import (
    AnswerInput,
    add_signature,
    record_answers,
    start_unplanned_inspection,
    submit_inspection,
)
from inspections.services.reports import queue_report
from portal.forms import SelfInspectionForm
from portal.typed_signature import typed_signature_png

from .plan import notice_context


def _report_of(inspection: Inspection) -> Report | None:
    from inspections.selectors.reports import report_of

    return report_of(inspection)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, pk)
    return render(
        request,
        "portal/inspection_detail.html",
        {
            "inspection": inspection,
            "premises": inspection.premises,
            "report": _report_of(inspection),
            "inspectors": list(inspection.inspectors.all()),
            "findings": inspection.findings.order_by("remediation_deadline", "pk"),
            "can_manage": access.can_manage_inspection(request.user, inspection),
            **notice_context(inspection),
            "can_work": inspection.kind == Inspection.Kind.SELF
            and inspection.is_open_for_work
            and access.can_work_on_inspection(request.user, inspection),
        },
    )


@login_required
def self_inspection_start(request: HttpRequest, pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk)
    allowed = access.can_start_inspection(request.user, premises, None)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        try:
            inspection, _created = start_unplanned_inspection(
                user=request.user,
                premises=premises,
                client_uuid=uuid.uuid4(),
                kind=Inspection.Kind.SELF,
            )
        except ServiceError as exc:
            messages.error(request, exc.detail)
            return redirect("portal:self_inspection_start", pk=premises.pk)
        return redirect("portal:self_inspection", pk=inspection.pk)
    ongoing = (
        access.inspections_visible_to(request.user)
        .filter(premises=premises, kind=Inspection.Kind.SELF)
        .select_related("report")
        .order_by("-created_at")[:10]
    )
    return render(
        request,
        "portal/head/self_inspection_start.html",
        {"premises": premises, "allowed": allowed, "ongoing": ongoing},
    )


def _parse_answers(
    request: HttpRequest, items, stored: dict[int, Answer]
) -> tuple[list[AnswerInput], list[str]]:
    """Answers the head changed on the form (unchanged ones are not sent again), and the
    errors of notes longer than the API accepts."""
    now = timezone.now()
    out = []
    errors: list[str] = []
    for item in items:
        value = request.POST.get(f"v-{item.pk}", "")
        note = request.POST.get(f"n-{item.pk}", "").strip()
        if len(note) > settings.NOTE_MAX_CHARS:
            errors.append(
                _("Ghi chú câu %(n)s dài quá %(max)d ký tự.")
                % {"n": item.order, "max": settings.NOTE_MAX_CHARS}
            )
            continue
        raw_number = request.POST.get(f"x-{item.pk}", "").strip().replace(",", ".")
        number = None
        if raw_number:
            try:
                number = Decimal(raw_number)
            except InvalidOperation:
                number = None
        if not value and number is None and not note:
            continue
        old = stored.get(item.pk)
        if (
            old is not None
            and (old.value, old.note) == (value, note)
            and (
                old.number_value == number
                or (
                    old.number_value is not None
                    and number is not None
                    and old.number_value == number
                )
            )
        ):
            continue
        out.append(
            AnswerInput(
                client_uuid=uuid.uuid4(),
                item=item.pk,
                answered_at=now,
                value=value,
                number_value=number,
                note=note,
            )
        )
    return out, errors


def _decode_png(data_url: str) -> bytes | None:
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        return None
    try:
        return base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        return None


@login_required
def self_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, pk)
    if inspection.kind != Inspection.Kind.SELF:
        return redirect("portal:inspection_detail", pk=inspection.pk)
    if not inspection.is_open_for_work:
        return redirect("portal:inspection_detail", pk=inspection.pk)
    if not access.can_work_on_inspection(request.user, inspection):
        raise PermissionDenied
    items = list(inspection.items.order_by("order"))
    stored = {a.item_id: a for a in Answer.objects.filter(inspection=inspection)}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = SelfInspectionForm(request.POST)
        answers, note_errors = _parse_answers(request, items, stored)
        if not form.is_valid() or note_errors:
            for name, field_errors in form.errors.items():
                for message in field_errors:
                    messages.error(request, f"{form.fields[name].label}: {message}")
            for message in note_errors:
                messages.error(request, message)
            errors = {**form.errors, "notes": note_errors}
        else:
            try:
                if answers:
                    inspection, results = record_answers(
                        user=request.user,
                        inspection=inspection,
                        answers=answers,
                        version=form.cleaned_data["version"],
                    )
                    errors = {
                        str(r.client_uuid): [r.detail] for r in results if r.status == "conflict"
                    }
                if request.POST.get("action") == "submit" and not errors:
                    return _submit(request, inspection, form.cleaned_data)
            except ServiceError as exc:
                messages.error(request, exc.detail)
            else:
                if not errors:
                    messages.success(request, _("Đã lưu câu trả lời."))
                    return redirect("portal:self_inspection", pk=inspection.pk)
        stored = {a.item_id: a for a in Answer.objects.filter(inspection=inspection)}
    rows = [{"item": i, "answer": stored.get(i.pk)} for i in items]
    return render(
        request,
        "portal/head/self_inspection.html",
        {
            "inspection": inspection,
            "premises": inspection.premises,
            "rows": rows,
            "answered": sum(1 for r in rows if r["answer"]),
            "choices": Answer.Value.choices,
            "yes_no": AnswerType.YES_NO,
            "number": AnswerType.NUMBER,
            "text": AnswerType.TEXT,
        },
    )


def _submit(request: HttpRequest, inspection: Inspection, data: dict) -> HttpResponse:
    """Sign as the facility head and submit; the PC02 record is generated after commit."""
    name = data["signer_name"].strip() or str(request.user)[: settings.NAME_MAX_CHARS]
    image = _decode_png(request.POST.get("signature", ""))
    if not image and request.POST.get("typed_signature") == "1":
        image = typed_signature_png(name)
    if not image:
        messages.error(request, _("Hãy ký vào ô chữ ký trước khi nộp."))
        return redirect("portal:self_inspection", pk=inspection.pk)
    try:
        if not inspection.signatures.filter(role=Signature.Role.FACILITY_HEAD).exists():
            add_signature(
                user=request.user,
                inspection=inspection,
                client_uuid=uuid.uuid4(),
                role=Signature.Role.FACILITY_HEAD,
                signer_name=name,
                position=data["signer_position"].strip(),
                image=image,
            )
            inspection.refresh_from_db()
        submit_inspection(
            user=request.user,
            inspection=inspection,
            version=inspection.version,
            recommendations=data["recommendations"].strip(),
        )
    except ServiceError as exc:
        detail = exc.detail
        if exc.fields.get("items"):
            detail += " " + _("Còn %(n)d câu hỏi bắt buộc chưa trả lời.") % {
                "n": len(exc.fields["items"])
            }
        messages.error(request, detail)
        return redirect("portal:self_inspection", pk=inspection.pk)
    queue_report(inspection)
    messages.success(request, _("Đã nộp kết quả tự kiểm tra. Biên bản PC02 đang được tạo."))
    return redirect("portal:inspection_detail", pk=inspection.pk)
