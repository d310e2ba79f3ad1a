"""Inspection pages: detail with the signed record, and the head's self-inspection in the browser."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import access
from inspections.inputs import parse_ascii_int
from inspections.models import Answer, AnswerType, Inspection, Report
from inspections.selectors.inspections import checklist_results
from inspections.services.errors import ServiceError
from inspections.services.inspections import AnswerInput, start_unplanned_inspection
from inspections.services.self_inspection import (
    save_self_inspection_answers,
    submit_self_inspection,
)
from portal.forms.self_inspection import SelfInspectionForm
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
            # Recorded results, once the inspection is submitted (a draft is still changing).
            "results": checklist_results(inspection)
            if inspection.state in (Inspection.State.SUBMITTED, Inspection.State.SIGNED)
            else [],
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


@dataclass
class _Typed:
    """What the head typed for one question, kept as typed (also when it is invalid)."""

    value: str = ""
    number: str = ""
    note: str = ""


def _typed(data, item_pk: int) -> _Typed:
    return _Typed(
        value=data.get(f"v-{item_pk}", ""),
        number=data.get(f"x-{item_pk}", "").strip(),
        note=data.get(f"n-{item_pk}", "").strip(),
    )


def _as_input(item, typed: _Typed, now) -> tuple[AnswerInput | None, list[str]]:
    """The answer to store for one question, or the error to show at it."""
    number = None
    if typed.number:
        try:
            number = Decimal(typed.number.replace(",", "."))
        except InvalidOperation:
            return None, [_("Số đo không hợp lệ: hãy nhập một số, ví dụ 2 hoặc 2,5.")]
        if not number.is_finite():
            return None, [_("Số đo không hợp lệ: hãy nhập một số, ví dụ 2 hoặc 2,5.")]
    if item.answer_type in (AnswerType.YES_NO, AnswerType.YES_NO_NA) and not typed.value:
        # A note alone cannot be stored for a yes/no question: say so here, keep the note.
        return None, [_("Hãy chọn một kết quả cho câu hỏi này; ghi chú của bạn vẫn được giữ.")]
    answer = AnswerInput(
        client_uuid=uuid.uuid4(),
        item=item.pk,
        answered_at=now,
        value=typed.value,
        number_value=number,
        note=typed.note,
    )
    return answer, []


def _unchanged(old: Answer | None, answer: AnswerInput) -> bool:
    if old is None:
        return False
    if (old.value, old.note) != (answer.value, answer.note):
        return False
    if old.number_value is None or answer.number_value is None:
        return old.number_value is None and answer.number_value is None
    return old.number_value == answer.number_value


def _save_typed(
    request: HttpRequest, inspection: Inspection, items, stored: dict[int, Answer]
) -> tuple[dict[int, _Typed], dict[int, list[str]]]:
    """Save every question the head changed; returns what was typed and the errors per
    question (an invalid answer never stops the others from being saved)."""
    now = timezone.now()
    typed: dict[int, _Typed] = {}
    errors: dict[int, list[str]] = {}
    answers: list[AnswerInput] = []
    for item in items:
        typed[item.pk] = t = _typed(request.POST, item.pk)
        if not (t.value or t.number or t.note) and item.pk not in stored:
            continue
        answer, problems = _as_input(item, t, now)
        if problems:
            errors[item.pk] = problems
        elif answer is not None and not _unchanged(stored.get(item.pk), answer):
            answers.append(answer)
    if answers:
        saved = save_self_inspection_answers(
            user=request.user, inspection=inspection, answers=answers
        )
        errors.update(saved.errors)
    return typed, errors


def _decode_png(data_url: str) -> bytes | None:
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        return None
    try:
        return base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        return None


def _open_self_inspection(request: HttpRequest, pk: int) -> Inspection | HttpResponse:
    inspection = access.access_inspection(request.user, pk)
    if inspection.kind != Inspection.Kind.SELF or not inspection.is_open_for_work:
        return redirect("portal:inspection_detail", pk=inspection.pk)
    if not access.can_work_on_inspection(request.user, inspection):
        raise PermissionDenied
    return inspection


@login_required
def self_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist: answers are saved as they are given (static/portal/self_inspection.js);
    without JavaScript the form's buttons save them. On any error the page comes back with
    everything typed (answers, notes, recommendations, signature) and the error at its place."""
    inspection = _open_self_inspection(request, pk)
    if isinstance(inspection, HttpResponse):
        return inspection
    items = list(inspection.items.order_by("order"))
    stored = {a.item_id: a for a in Answer.objects.filter(inspection=inspection)}
    if request.method != "POST":
        return _render_checklist(request, inspection, items, stored)
    form = SelfInspectionForm(request.POST)
    try:
        typed, errors = _save_typed(request, inspection, items, stored)
    except ServiceError as exc:
        # Refused as a whole (submitted from another tab meanwhile, say): nothing was saved;
        # the page says why and keeps everything typed.
        messages.error(request, exc.detail)
        typed = {item.pk: _typed(request.POST, item.pk) for item in items}
        form.is_valid()
        return _render_checklist(
            request, inspection, items, stored, typed=typed, form=form, status=exc.status
        )
    form_ok = form.is_valid()
    if not errors and form_ok and request.POST.get("action") == "submit":
        submitted = _submit(request, inspection, form, items)
        if submitted is not None:
            return submitted
    elif not errors and form_ok:
        messages.success(request, _("Đã lưu câu trả lời."))
        return redirect("portal:self_inspection", pk=inspection.pk)
    if errors:
        messages.error(
            request,
            _("%(n)d câu trả lời chưa lưu được: xem thông báo tại từng câu hỏi.")
            % {"n": len(errors)},
        )
    stored = {a.item_id: a for a in Answer.objects.filter(inspection=inspection)}
    return _render_checklist(
        request, inspection, items, stored, typed=typed, errors=errors, form=form, status=400
    )


def _submit(
    request: HttpRequest, inspection: Inspection, form: SelfInspectionForm, items
) -> HttpResponse | None:
    """Sign and submit; None (with the errors on the form) when refused."""
    data = form.cleaned_data
    name = data["signer_name"].strip() or str(request.user)[: settings.NAME_MAX_CHARS]
    image = _decode_png(request.POST.get("signature", ""))
    if not image and request.POST.get("typed_signature") == "1":
        image = typed_signature_png(name)
    if not image:
        form.add_error(None, _("Hãy ký vào ô chữ ký trước khi nộp."))
        messages.error(request, _("Hãy ký vào ô chữ ký trước khi nộp."))
        return None
    try:
        submit_self_inspection(
            user=request.user,
            inspection=inspection,
            signer_name=name,
            signer_position=data["signer_position"],
            signature_png=image,
            recommendations=data["recommendations"],
        )
    except ServiceError as exc:
        detail = exc.detail
        missing = exc.fields.get("items") or []
        if missing:
            detail += " " + _("Còn %(n)d câu hỏi bắt buộc chưa trả lời.") % {"n": len(missing)}
            form.unanswered = {int(str(m).split(":", 1)[0]) for m in missing}
        messages.error(request, detail)
        return None
    messages.success(request, _("Đã nộp kết quả tự kiểm tra. Biên bản PC02 đang được tạo."))
    return redirect("portal:inspection_detail", pk=inspection.pk)


def _render_checklist(
    request: HttpRequest,
    inspection: Inspection,
    items,
    stored: dict[int, Answer],
    *,
    typed: dict[int, _Typed] | None = None,
    errors: dict[int, list[str]] | None = None,
    form: SelfInspectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = dict(errors or {})
    for pk in getattr(form, "unanswered", ()):
        errors.setdefault(pk, [_("Câu hỏi bắt buộc: hãy trả lời trước khi nộp.")])
    rows = []
    for item in items:
        answer = stored.get(item.pk)
        shown = (typed or {}).get(item.pk) or _Typed(
            value=answer.value if answer else "",
            number=str(answer.number_value.normalize())
            if answer and answer.number_value is not None
            else "",
            note=answer.note if answer else "",
        )
        rows.append(
            {"item": item, "answer": answer, "typed": shown, "errors": errors.get(item.pk, [])}
        )
    return render(
        request,
        "portal/head/self_inspection.html",
        {
            "inspection": inspection,
            "premises": inspection.premises,
            "rows": rows,
            "answered": len(stored),
            "error_count": len(errors),
            "first_error": next((r["item"].pk for r in rows if r["errors"]), None),
            "form": form,
            "signature": request.POST.get("signature", "") if form is not None else "",
            "typed_signature": request.POST.get("typed_signature") == "1",
            "choices": Answer.Value.choices,
            "yes_no": AnswerType.YES_NO,
            "number": AnswerType.NUMBER,
            "text": AnswerType.TEXT,
        },
        status=status,
    )


@login_required
@require_POST
def self_inspection_answer(request: HttpRequest, pk: int) -> JsonResponse:
    """Save one answer as it is given (the page's script); the error shape of the API."""
    inspection = _open_self_inspection(request, pk)
    if isinstance(inspection, HttpResponse):
        return _json_error("not_open", _("Đợt tự kiểm tra đã nộp hoặc đã đóng."), status=409)
    item_pk = parse_ascii_int(request.POST.get("item"))
    item = inspection.items.filter(pk=item_pk).first() if item_pk is not None else None
    if item is None:
        return _json_error("invalid_item", _("Câu hỏi không thuộc đợt kiểm tra này."))
    answer, problems = _as_input(item, _typed(request.POST, item.pk), timezone.now())
    if not problems and answer is not None:
        try:
            saved = save_self_inspection_answers(
                user=request.user, inspection=inspection, answers=[answer]
            )
        except ServiceError as exc:
            return _json_error(exc.code, exc.detail, status=exc.status)
        problems = saved.errors.get(item.pk, [])
    if problems:
        return _json_error(
            "invalid_answer", " ".join(problems), fields={f"item-{item.pk}": problems}
        )
    answered = Answer.objects.filter(inspection=inspection).count()
    return JsonResponse({"item": item.pk, "saved": True, "answered": answered})


def _json_error(code: str, detail: str, *, fields=None, status: int = 400) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail, "fields": fields or {}}, status=status)
