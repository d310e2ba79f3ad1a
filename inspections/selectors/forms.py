"""Reads for the decree's forms: PC04 drafted from what the system knows, PC01 from the registry,
what a signed form prints, and which forms still wait for their PDF."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import divisions
from accounts.models import Authority
from inspections import access
from inspections.models import (
    AlarmDeviceState,
    Answer,
    DossierDocument,
    Finding,
    FormDocument,
    Inspection,
    Premises,
    TrainingCertificate,
)
from inspections.pdf.forms import FormContext
from inspections.rules.forms import pc01_edition
from inspections.selectors.reports import (
    MAX_ATTEMPTS,
    UNCLAIMED_GRACE,
    _place_name,
    claim_timeout,
    verification_url,
)

# The editable sections of a PC04, in the form's order (Decree 105 Appendix VIII, note (3)).
PC04_SECTIONS = (
    "responsibility",
    "self_inspection",
    "maintenance",
    "insurance",
    "findings",
    "authority_requests",
    "proposals",
)
# Which authority kinds receive a premises' PC04 first (Art. 14.2 lists all three).
RECIPIENT_PREFERENCE = (
    Authority.Kind.COMMUNE_COMMITTEE,
    Authority.Kind.FIRE_POLICE,
    Authority.Kind.CONSTRUCTION,
)


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def managing_authorities(premises: Premises) -> list[Authority]:
    """Authorities whose jurisdiction covers the premises, the usual PC04 recipient first."""
    covering = access.authorities_covering(premises.province_code, premises.ward_code)
    found = [a for a in covering if a.kind in RECIPIENT_PREFERENCE]
    return sorted(found, key=lambda a: (RECIPIENT_PREFERENCE.index(a.kind), a.name, a.pk))


def pc04_draft_content(premises: Premises, start: date, end: date) -> dict[str, str]:
    """The PC04 sections written from the registry, self-inspections, drills, findings and
    insurance of the half-year; the head edits them before signing."""
    since, until = _span(start, end)
    responsibility = _pc04_responsibility(premises, end)
    selfs, self_inspection = _pc04_self_inspections(premises, since, until)
    found = list(
        Finding.objects.filter(premises=premises, created_at__gte=since, created_at__lt=until)
        .select_related("inspection")
        .order_by("remediation_deadline", "pk")
    )
    return {
        "responsibility": responsibility,
        "self_inspection": self_inspection,
        "maintenance": _pc04_maintenance(found, selfs),
        "insurance": _pc04_insurance(premises),
        "findings": _pc04_findings(found),
        "authority_requests": _pc04_authority_requests(premises, since, until),
        "proposals": "",
    }


def _pc04_responsibility(premises: Premises, end: date) -> str:
    """The head, the people trained, the last drill and the alarm device."""
    lines: list[str] = []
    head_names = ", ".join(u.full_name or u.email for u in premises.heads.all()) or "—"
    lines.append(_("Người đứng đầu cơ sở: %(names)s.") % {"names": head_names})
    certificates = list(TrainingCertificate.objects.filter(premises=premises))
    valid = [c for c in certificates if c.expires_on is None or c.expires_on >= end]
    if premises.employees is not None:
        lines.append(_("Số người lao động thường xuyên: %(n)s.") % {"n": premises.employees})
    lines.append(
        _(
            "Người được huấn luyện nghiệp vụ PCCC và CNCH: %(valid)s (còn hiệu lực), "
            "tổng số chứng nhận: %(total)s."
        )
        % {"valid": len(valid), "total": len(certificates)}
    )
    lines.append(
        _("Thực tập phương án chữa cháy, cứu nạn, cứu hộ gần nhất: %(day)s.")
        % {"day": _d(premises.last_drill_on)}
    )
    device = str(AlarmDeviceState(premises.alarm_device_state or "none").label)
    lines.append(
        _(
            "Thiết bị truyền tin báo cháy: %(state)s; ngày kết nối: %(on)s; khai báo dữ liệu "
            "PCCC: %(declared)s."
        )
        % {
            "state": device,
            "on": _d(premises.alarm_connected_on),
            "declared": _d(premises.fire_data_declared_on),
        }
    )
    return "\n".join(lines)


def _pc04_self_inspections(
    premises: Premises, since: datetime, until: datetime
) -> tuple[list[Inspection], str]:
    """The half-year's submitted self-inspections, and the section that tallies their answers."""
    selfs = list(
        Inspection.objects.filter(
            premises=premises,
            kind=Inspection.Kind.SELF,
            state__in=(Inspection.State.SUBMITTED, Inspection.State.SIGNED),
            ended_at__gte=since,
            ended_at__lt=until,
        ).order_by("ended_at")
    )
    if not selfs:
        return selfs, _("Trong kỳ chưa có biên bản tự kiểm tra định kỳ (Mẫu số PC02).")
    tallies = {
        row["inspection_id"]: row
        for row in Answer.objects.filter(inspection__in=selfs)
        .values("inspection_id")
        .annotate(
            ok=_count("compliant"),
            bad=_count("non_compliant"),
        )
    }
    self_lines = [
        _("Trong kỳ đã tự kiểm tra định kỳ %(n)s lần (biên bản Mẫu số PC02):") % {"n": len(selfs)}
    ]
    for insp in selfs:
        t = tallies.get(insp.pk, {})
        self_lines.append(
            _("- Ngày %(day)s%(number)s: %(ok)s nội dung đạt, %(bad)s nội dung không đạt.")
            % {
                "day": _d(timezone.localtime(insp.ended_at).date()),
                "number": f" ({insp.number})" if insp.number else "",
                "ok": t.get("ok", 0),
                "bad": t.get("bad", 0),
            }
        )
    return selfs, "\n".join(self_lines)


def _pc04_maintenance(found: list[Finding], selfs: list[Inspection]) -> str:
    """What the self-inspections found of the equipment (nothing to say without one)."""
    equipment_bad = [f for f in found if f.inspection.kind == Inspection.Kind.SELF]
    if equipment_bad:
        return _(
            "Các lần tự kiểm tra trong kỳ phát hiện %(n)s tồn tại; xem mục sơ hở, thiếu sót."
        ) % {"n": len(equipment_bad)}
    if selfs:
        return _(
            "Phương tiện phòng cháy, chữa cháy được kiểm tra trong các lần tự kiểm tra; "
            "không phát hiện tồn tại."
        )
    return ""


def _pc04_insurance(premises: Premises) -> str:
    if premises.insurer or premises.insurance_policy_number or premises.insurance_expires_on:
        return _(
            "Đã mua bảo hiểm cháy, nổ bắt buộc tại %(insurer)s, hợp đồng số %(policy)s, "
            "hiệu lực đến %(until)s."
        ) % {
            "insurer": premises.insurer or "—",
            "policy": premises.insurance_policy_number or "—",
            "until": _d(premises.insurance_expires_on),
        }
    return _("Chưa có thông tin bảo hiểm cháy, nổ bắt buộc trong hệ thống.")


def _pc04_findings(found: list[Finding]) -> str:
    if not found:
        return _("Không phát hiện sơ hở, thiếu sót, vi phạm trong kỳ.")
    return "\n".join(
        _("- %(desc)s — thời hạn khắc phục %(deadline)s (%(status)s).")
        % {
            "desc": f.description,
            "deadline": _d(f.remediation_deadline),
            "status": f.get_status_display(),
        }
        for f in found
    )


def _pc04_authority_requests(premises: Premises, since: datetime, until: datetime) -> str:
    """Authorities' findings still open, or closed in the half-year, and where each stands."""
    from_authorities = list(
        Finding.objects.filter(premises=premises, inspection__authority__isnull=False)
        .exclude(inspection__kind=Inspection.Kind.SELF)
        .filter(
            Q(status__in=(Finding.Status.OPEN, Finding.Status.REMEDIATED))
            | Q(closed_at__gte=since, closed_at__lt=until)
        )
        .select_related("inspection__authority")
        .order_by("remediation_deadline", "pk")
    )
    return "\n".join(
        _("- %(desc)s (%(authority)s, hạn %(deadline)s): %(status)s.")
        % {
            "desc": f.description,
            "authority": f.inspection.authority.name,
            "deadline": _d(f.remediation_deadline),
            "status": f.get_status_display(),
        }
        for f in from_authorities
    )


def _count(value: str):
    from django.db.models import Count

    return Count("pk", filter=Q(value=value))


def pc01_content(premises: Premises, day: date) -> dict:
    """Form PC01 filled from the registry; what the registry does not hold stays blank."""
    heads = list(premises.heads.all())
    legal = list(
        DossierDocument.objects.filter(premises=premises, item="c", deleted_at=None)
        .order_by("made_on")
        .values_list("title", "made_on")
    )
    certificates = TrainingCertificate.objects.filter(premises=premises).count()
    scale = []
    if premises.floor_area_m2:
        scale.append(_("tổng diện tích sàn %(v)s m²") % {"v": f"{premises.floor_area_m2:f}"})
    if premises.floors:
        scale.append(_("%(n)s tầng") % {"n": premises.floors})
    if premises.height_m:
        scale.append(_("chiều cao %(v)s m") % {"v": f"{premises.height_m:f}"})
    if premises.volume_m3:
        scale.append(_("khối tích %(v)s m³") % {"v": f"{premises.volume_m3:f}"})
    hazardous = bool(premises.trades_hazardous_goods or premises.hazard_class in ("A", "B", "C"))
    return {
        "edition": pc01_edition(day),
        "name": premises.name,
        "address": premises.full_address,
        "trade": premises.occupancy_category,
        "year_in_use": premises.put_into_use_on.year if premises.put_into_use_on else "",
        "in_use_since": _d(premises.put_into_use_on) if premises.put_into_use_on else "",
        "head_name": ", ".join(u.full_name or u.email for u in heads),
        "phone": premises.contact_phone,
        "hazardous": hazardous,
        "legal": [f"{title} ({_d(made)})" for title, made in legal],
        "scale": ", ".join(scale),
        "employees": premises.employees,
        "trained": certificates,
        "alarm_device": str(AlarmDeviceState(premises.alarm_device_state or "none").label),
    }


def form_context_for(
    form: FormDocument, *, verification_code: str, development_signer: bool = False
) -> FormContext:
    premises = form.premises
    dated = timezone.localdate()
    return FormContext(
        form=form.form,
        language=form.language,
        premises_name=premises.name,
        premises_address=premises.full_address,
        recipient=form.recipient.name if form.recipient_id else "",
        period_start=form.period_start,
        period_end=form.period_end,
        content=dict(form.content or {}),
        edition=form.edition,
        dated=dated,
        issued_in=_place_name(divisions.province_name(premises.province_code)),
        signer_name=str((form.content or {}).get("signer_name") or ""),
        verification_code=verification_code,
        verification_url=verification_url(verification_code),
        development_signer=development_signer,
    )


def forms_missing_pdfs(now=None, limit: int = 200) -> QuerySet[FormDocument]:
    """Forms sent for signing whose message was lost, whose worker died, or that may retry."""
    now = now or timezone.now()
    lost = Q(
        status=FormDocument.Status.PENDING,
        claimed_at__isnull=True,
        updated_at__lt=now - UNCLAIMED_GRACE,
    )
    stuck = Q(status=FormDocument.Status.PENDING, claimed_at__lt=now - claim_timeout())
    retryable = Q(
        status=FormDocument.Status.FAILED,
        attempts__lt=MAX_ATTEMPTS,
        updated_at__lt=now - UNCLAIMED_GRACE,
    )
    return FormDocument.objects.filter(lost | stuck | retryable).order_by("updated_at", "pk")[
        :limit
    ]


def form_by_code(code: str) -> FormDocument | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return (
        FormDocument.objects.filter(verification_code=code, status=FormDocument.Status.READY)
        .select_related("premises", "recipient")
        .first()
    )


def form_by_sha256(digest: str) -> FormDocument | None:
    return (
        FormDocument.objects.filter(sha256=digest, status=FormDocument.Status.READY)
        .select_related("premises", "recipient")
        .first()
    )
