"""The fire-safety dossier and the head's forms: dossier page, uploads, PC01, PC04, downloads."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.private_files import serve_private_file
from inspections import access
from inspections.models import FormDocument
from inspections.selectors.dossier import (
    authority_kinds_of,
    document_for,
    dossier_of,
    stored_file,
)
from inspections.selectors.forms import managing_authorities
from inspections.services import dossier as dossier_services
from inspections.services import forms as form_services
from inspections.services.errors import ServiceError

from ..forms.dossier import DossierUploadForm, Pc04Form


def _errors(request: HttpRequest, exc: ServiceError) -> None:
    detail = [exc.detail] + [" ".join(map(str, v)) for v in exc.fields.values()]
    messages.error(request, " ".join(detail))


@login_required
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk)
    entries = dossier_of(premises)
    own_kinds = authority_kinds_of(request.user, premises)
    only_authority = request.GET.get("view") == "authority" and bool(own_kinds)
    if only_authority:
        entries = [e for e in entries if set(e.kept_by) & set(own_kinds)]
    can_edit = access.can_edit_dossier(request.user, premises)
    return render(
        request,
        "portal/dossier/dossier.html",
        {
            "premises": premises,
            "entries": entries,
            "missing": [e for e in entries if e.status == "missing"],
            "can_edit": can_edit,
            "is_head": access.can_manage_forms(request.user, premises),
            "own_kinds": own_kinds,
            "only_authority": only_authority,
            "upload_form": DossierUploadForm(prefix="doc") if can_edit else None,
            "pc04s": FormDocument.objects.filter(
                premises=premises, form=FormDocument.Form.PC04
            ).order_by("-period_end")[:6],
            "pc01s": FormDocument.objects.filter(
                premises=premises, form=FormDocument.Form.PC01
            ).order_by("-created_at")[:3],
            "tab": "dossier",
        },
    )


@login_required
@require_POST
def dossier_upload(request: HttpRequest, pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk)
    form = DossierUploadForm(request.POST, request.FILES, prefix="doc")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.DOSSIER_MAX_BYTES:
            messages.error(request, _("Tệp quá lớn."))
            return _back(request, premises)
        try:
            dossier_services.upload_dossier_document(
                user=request.user,
                premises=premises,
                item=form.cleaned_data["item"],
                title=form.cleaned_data["title"],
                made_on=form.cleaned_data["made_on"],
                data=upload.read(),
                original_name=upload.name or "",
            )
        except ServiceError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã thêm tài liệu vào hồ sơ."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return _back(request, premises)


def _back(request: HttpRequest, premises) -> HttpResponse:
    """Back to the page the upload came from (the premises page uploads evidence beside the
    duty that asks for it), else to the dossier."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("portal:dossier", pk=premises.pk)


@login_required
@require_POST
def dossier_delete(request: HttpRequest, doc_pk: int) -> HttpResponse:
    document = document_for(request.user, doc_pk)
    if document is None:
        raise Http404
    try:
        dossier_services.delete_dossier_document(user=request.user, document=document)
    except ServiceError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã xóa tài liệu khỏi hồ sơ."))
    return redirect("portal:dossier", pk=document.premises_id)


@login_required
def dossier_download(request: HttpRequest, doc_pk: int) -> HttpResponse:
    """The stored file, after the access check, as an attachment (never a public media URL)."""
    document = document_for(request.user, doc_pk)
    if document is None:
        raise Http404
    stored = stored_file(document)
    if not stored:
        raise Http404
    ext = "pdf" if document.content_type == "application/pdf" else stored.name.rsplit(".", 1)[-1]
    return serve_private_file(
        request,
        stored,
        download_name=f"ho-so-{document.item}-{document.pk}.{ext}",
        content_type=document.content_type or "application/octet-stream",
    )


@login_required
def form_download(request: HttpRequest, form_pk: int) -> HttpResponse:
    form = FormDocument.objects.select_related("premises").filter(pk=form_pk).first()
    visible = form is not None and (
        access.can_view_premises(request.user, form.premises)
        or access.forms_received_by(request.user).filter(pk=form.pk).exists()
    )
    if not visible or form.status != FormDocument.Status.READY or not form.file:
        raise Http404
    return serve_private_file(
        request,
        form.file,
        download_name=f"{form.form}-{form.verification_code}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def pc01_make(request: HttpRequest, pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk)
    form_services.make_pc01(user=request.user, premises=premises)
    messages.success(request, _("Đang lập và ký Phiếu thông tin của cơ sở (PC01)."))
    return redirect("portal:dossier", pk=premises.pk)


@login_required
@require_POST
def pc04_start(request: HttpRequest, pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk)
    form = form_services.draft_pc04(user=request.user, premises=premises)
    return redirect("portal:pc04_edit", form_pk=form.pk)


@login_required
def pc04_edit(request: HttpRequest, form_pk: int) -> HttpResponse:
    report = (
        FormDocument.objects.select_related("premises", "recipient")
        .filter(pk=form_pk, form=FormDocument.Form.PC04)
        .first()
    )
    if report is None or not access.can_view_premises(request.user, report.premises):
        raise Http404
    if not access.can_manage_forms(request.user, report.premises):
        raise PermissionDenied
    recipients = managing_authorities(report.premises)
    initial = {**(report.content or {}), "recipient": report.recipient_id}
    form = Pc04Form(request.POST or None, initial=initial, recipients=recipients)
    editable = report.status == FormDocument.Status.DRAFT
    if request.method == "POST" and editable and form.is_valid():
        data = dict(form.cleaned_data)
        recipient = data.pop("recipient")
        try:
            report = form_services.update_pc04(
                user=request.user, form=report, content=data, recipient_id=recipient
            )
            if "send" in request.POST:
                report = form_services.send_pc04(user=request.user, form=report)
        except ServiceError as exc:
            _errors(request, exc)
        else:
            if "send" in request.POST:
                messages.success(
                    request, _("Đã ký và gửi báo cáo PC04 đến %(a)s.") % {"a": report.recipient}
                )
                return redirect("portal:dossier", pk=report.premises_id)
            messages.success(request, _("Đã lưu bản nháp báo cáo."))
            return redirect("portal:pc04_edit", form_pk=report.pk)
    return render(
        request,
        "portal/dossier/pc04_edit.html",
        {
            "premises": report.premises,
            "report": report,
            "form": form,
            "editable": editable,
            "tab": "dossier",
        },
    )


@login_required
def received_reports(request: HttpRequest) -> HttpResponse:
    """Managers: the PC04 reports (and PC01 sheets) sent to their authorities."""
    rows = (
        access.forms_received_by(request.user)
        .select_related("premises", "recipient")
        .order_by("-sent_at", "-pk")[:200]
    )
    return render(request, "portal/dossier/received.html", {"rows": rows})
