"""Facility head pages: my premises, obligations, roadmap, inspections, findings, facts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.private_files import serve_private_file
from inspections import access
from inspections.inputs import parse_ascii_int
from inspections.models import DossierItem, Finding, PremisesKind, TrainingCertificate
from inspections.selectors.actions import actions_for_head
from inspections.selectors.dashboard import FINDING_AGES, finding_age_q
from inspections.selectors.overview import compliance_state, with_compliance_counts
from inspections.selectors.premises_page import (
    obligations_page,
    premises_changes,
    roadmap_card,
)
from inspections.services import certificates as certificate_services
from inspections.services import remediation, reports
from inspections.services.errors import ServiceError
from inspections.services.premises import update_premises_facts

from ..forms.premises import PremisesFactsForm, TrainingCertificateForm
from ..forms.remediation import EvidenceForm, RemediatedForm, VerifyRemediationForm
from ..listing import build_listing

_EVIDENCE_EXT = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}
PREMISES_SORTS = {"name": "name", "ward": "ward_code", "kind": "kind", "updated": "updated_at"}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Heads land on what to do next across their premises (then the premises themselves);
    managers who head nothing land on the dashboard; inspectors go to their app."""
    if access.is_manager(request.user) and not access.is_facility_head(request.user):
        return redirect("portal:dashboard")
    if access.is_inspector_only(request.user):
        return redirect("fieldapp:shell")
    qs = access.premises_visible_to(request.user).filter(heads=request.user)
    listing = build_listing(
        request,
        qs,
        sorts=PREMISES_SORTS,
        default_sort="name",
        search_fields=("search_text",),
        decorate=with_compliance_counts,
    )
    rows = listing.rows
    for row in rows:
        row.state = compliance_state(row)
    return render(
        request,
        "portal/head/my_premises.html",
        {
            "listing": listing,
            "rows": rows,
            "default_sort": "name",
            "actions": actions_for_head(request.user, today=timezone.localdate()),
            "is_inspector": access.is_inspector(request.user),
        },
    )


@login_required
def premises_detail(request: HttpRequest, pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk)
    status = request.GET.get("status", "")
    page = obligations_page(premises, on=timezone.localdate(), status=status or None)
    open_findings = Finding.objects.filter(premises=premises, status=Finding.Status.OPEN).order_by(
        "remediation_deadline", "pk"
    )[:5]
    return render(
        request,
        "portal/head/premises_detail.html",
        {
            "premises": premises,
            "page": page,
            "status": status,
            "roadmap": roadmap_card(premises, page, on=timezone.localdate()),
            "open_findings": open_findings,
            "can_edit": access.can_edit_premises_facts(request.user, premises),
            "can_edit_dossier": access.can_edit_dossier(request.user, premises),
            "dossier_items": DossierItem.choices,
            "can_self_inspect": access.can_start_inspection(request.user, premises, None),
        },
    )


@login_required
def premises_inspections(request: HttpRequest, pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk)
    qs = (
        access.inspections_visible_to(request.user)
        .filter(premises=premises)
        .select_related("authority", "report")
    )
    listing = build_listing(
        request,
        qs,
        sorts={"date": "scheduled_for", "created": "created_at", "state": "state", "kind": "kind"},
        default_sort="-created",
    )
    return render(
        request,
        "portal/head/premises_inspections.html",
        {"premises": premises, "listing": listing, "default_sort": "-created"},
    )


@login_required
def premises_facts(request: HttpRequest, pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk, write=request.method == "POST")
    can_edit = access.can_edit_premises_facts(request.user, premises)
    initial = {name: getattr(premises, name) for name in PremisesFactsForm.FIELDS}
    form = PremisesFactsForm(request.POST or None, initial=initial)
    cert_form = TrainingCertificateForm(prefix="cert")
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in PremisesFactsForm.FIELDS}
        try:
            change = update_premises_facts(
                premises, user=request.user, changes=changes, source="portal"
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if change is None:
                messages.info(request, _("Không có thay đổi nào."))
            else:
                messages.success(request, _("Đã lưu. Nghĩa vụ của cơ sở đã được cập nhật."))
            return redirect("portal:premises_facts", pk=premises.pk)
    return render(
        request,
        "portal/head/premises_facts.html",
        {
            "premises": premises,
            "form": form,
            "cert_form": cert_form,
            "can_edit": can_edit,
            "certificates": premises.training_certificates.order_by("expires_on", "pk"),
            "changes": premises_changes(premises, limit=20),
        },
    )


@login_required
@require_POST
def certificate_add(request: HttpRequest, pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk, write=True)
    form = TrainingCertificateForm(request.POST, prefix="cert")
    if form.is_valid():
        try:
            certificate_services.add_training_certificate(
                user=request.user, premises=premises, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã thêm chứng nhận huấn luyện."))
            return redirect("portal:premises_facts", pk=premises.pk)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("portal:premises_facts", pk=premises.pk)


@login_required
@require_POST
def certificate_remove(request: HttpRequest, pk: int, cert_pk: int) -> HttpResponse:
    premises = access.access_premises(request.user, pk, write=True)
    certificate = get_object_or_404(TrainingCertificate, pk=cert_pk, premises=premises)
    certificate_services.remove_training_certificate(user=request.user, certificate=certificate)
    messages.success(request, _("Đã xóa chứng nhận huấn luyện."))
    return redirect("portal:premises_facts", pk=premises.pk)


# --- Findings -------------------------------------------------------------------------------

FINDING_SORTS = {
    "deadline": "remediation_deadline",
    "premises": "premises__name",
    "status": "status",
    "created": "created_at",
}


@login_required
def findings(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = access.findings_visible_to(request.user)
    if status in Finding.Status.values:
        qs = qs.filter(status=status)
    premises_id = parse_ascii_int(request.GET.get("premises"))
    if premises_id is not None:
        qs = qs.filter(premises_id=premises_id)
    # The dashboard's "open findings by age" links: open ones this far past their deadline.
    age = request.GET.get("age", "")
    if age in FINDING_AGES:
        qs = qs.filter(finding_age_q(age, timezone.localdate()))
    if request.GET.get("overdue") == "1":
        qs = qs.filter(status=Finding.Status.OPEN, remediation_deadline__lt=timezone.localdate())
    ward = parse_ascii_int(request.GET.get("ward"))
    if ward is not None:
        qs = qs.filter(premises__ward_code=ward)
    if request.GET.get("kind") in PremisesKind.values:
        qs = qs.filter(premises__kind=request.GET["kind"])
    listing = build_listing(
        request,
        qs,
        sorts=FINDING_SORTS,
        default_sort="deadline",
        search_fields=("description", "premises__search_text"),
        decorate=lambda page: page.select_related("premises", "inspection"),
    )
    return render(
        request,
        "portal/head/findings.html",
        {
            "listing": listing,
            "status": status,
            "age": age if age in FINDING_AGES else "",
            "statuses": Finding.Status.choices,
            "default_sort": "deadline",
            "today": timezone.localdate(),
        },
    )


def _access_finding(request: HttpRequest, pk: int) -> Finding:
    finding = (
        access.findings_visible_to(request.user)
        .select_related("premises", "inspection", "requirement")
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise Http404
    return finding


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _access_finding(request, pk)
    can_answer = access.can_remediate_finding(request.user, finding) and finding.status in (
        remediation.ANSWERABLE
    )
    evidence_form = EvidenceForm()
    if request.method == "POST":
        if not access.can_remediate_finding(request.user, finding):
            raise PermissionDenied
        evidence_form = EvidenceForm(request.POST, request.FILES)
        if evidence_form.is_valid():
            upload = evidence_form.cleaned_data["file"]
            try:
                remediation.add_finding_evidence(
                    user=request.user,
                    finding=finding,
                    data=upload.read(),
                    original_name=upload.name,
                    note=evidence_form.cleaned_data["note"],
                )
            except ServiceError as exc:
                evidence_form.add_error("file", exc.detail)
            else:
                messages.success(request, _("Đã tải lên chứng cứ."))
                return redirect("portal:finding_detail", pk=finding.pk)
    return render(
        request,
        "portal/head/finding_detail.html",
        {
            "finding": finding,
            "evidence": finding.evidence.select_related("uploaded_by").order_by("uploaded_at"),
            "evidence_form": evidence_form,
            "remediated_form": RemediatedForm(),
            "can_answer": can_answer,
            "can_verify": finding.status == Finding.Status.REMEDIATED
            and access.can_verify_remediation(request.user, finding),
            "verify_form": VerifyRemediationForm(),
        },
    )


@login_required
@require_POST
def finding_remediated(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _access_finding(request, pk)
    form = RemediatedForm(request.POST)
    form.is_valid()
    try:
        remediation.mark_finding_remediated(
            user=request.user, finding=finding, note=form.cleaned_data.get("note", "")
        )
    except ServiceError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Đã báo cáo khắc phục. Cơ quan kiểm tra sẽ xác nhận."))
    return redirect("portal:finding_detail", pk=finding.pk)


@login_required
@require_POST
def finding_verify(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _access_finding(request, pk)
    form = VerifyRemediationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn kết quả xác nhận."))
        return redirect("portal:finding_detail", pk=finding.pk)
    accepted = form.cleaned_data["decision"] == "accept"
    try:
        remediation.verify_remediation(
            user=request.user, finding=finding, accepted=accepted, note=form.cleaned_data["note"]
        )
    except ServiceError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            _("Đã xác nhận vi phạm được khắc phục.")
            if accepted
            else _("Đã trả lại: cơ sở cần khắc phục tiếp."),
        )
    return redirect("portal:finding_detail", pk=finding.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access.access_evidence(request.user, pk)
    content_type = evidence.content_type or "application/octet-stream"
    ext = _EVIDENCE_EXT.get(content_type, "bin")
    stem = (evidence.original_name or "").rsplit(".", 1)[0] or f"minh-chung-{evidence.pk}"
    return serve_private_file(
        request,
        evidence.file,
        # The extension follows the checked content, never the uploaded name.
        download_name=f"{stem}.{ext}",
        # Only images checked by their bytes open in the browser; documents are downloaded.
        as_attachment=not content_type.startswith("image/"),
        content_type=content_type,
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.access_report(request.user, pk)
    if request.GET.get("lang") == "en":
        return serve_private_file(
            request,
            reports.english_copy(report),
            download_name=f"bien-ban-{report.verification_code}-en-translation-unsigned.pdf",
            content_type="application/pdf",
        )
    return serve_private_file(
        request,
        report.file,
        download_name=f"bien-ban-{report.verification_code}.pdf",
        content_type="application/pdf",
    )
