"""Demo data, inspections: what inspector@demo.test finds on the phone at the first sync.

Scheduled inspections across premises kinds in the Hoàn Kiếm jurisdiction, one in progress with
a few answers, and one completed (answers, findings, photos, both signatures, submitted). Every
object has a fixed client UUID, so running the seed again finds it instead of adding another.
Everything goes through the same services as the mobile API.
"""

from __future__ import annotations

import hashlib
import io
import math
import uuid
from datetime import datetime, timedelta
from typing import TextIO

from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Authority, User
from inspections.models import Answer, AnswerType, Inspection, InspectionItem, Premises
from inspections.services import inspections as services
from inspections.services.errors import ServiceError

from .accounts import HOAN_KIEM_AUTHORITY

INSPECTOR = "inspector@demo.test"
MANAGER = "manager@demo.test"
NAMESPACE = uuid.UUID("6f1d2a8e-5b4c-4e7a-9d3f-1c2b3a4d5e6f")


def key(name: str) -> uuid.UUID:
    """A stable client UUID per demo object: the seed finds what it made last time."""
    return uuid.uuid5(NAMESPACE, name)


def demo_jpeg(seed: int, label: str) -> bytes:
    """A small real JPEG with EXIF (camera, time), as a phone would send."""
    image = Image.new("RGB", (320, 240), (40 + seed * 30 % 200, 60, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 220), outline=(250, 250, 250), width=4)
    draw.text((30, 100), label, fill=(255, 255, 0))
    exif = Image.Exif()
    exif[0x010F] = "PCCC Demo Phone"  # Make
    exif[0x0132] = f"2026:11:20 09:{10 + seed:02d}:00"  # DateTime
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80, exif=exif)
    return buf.getvalue()


def demo_signature(seed: int) -> bytes:
    """A drawn signature: a pen stroke on a transparent PNG."""
    image = Image.new("RGBA", (400, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (20 + x * 6, 60 + 30 * math.sin((x + seed * 5) / 4) * math.cos(x / (9 + seed)))
        for x in range(60)
    ]
    draw.line(points, fill=(10, 30, 120, 255), width=4)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def _premises_by_kind(authority: Authority) -> tuple[list[Premises], list[Premises]]:
    """One premises of each kind in the jurisdiction, and the others (demo rows first).

    The in-progress and completed inspections go to premises without a scheduled one, so the
    yearly cap of Resolution 198 is respected by the demo too.
    """
    chosen: dict[str, Premises] = {}
    others: list[Premises] = []
    qs = Premises.objects.filter(province_code=authority.province_code)
    if authority.ward_codes:
        qs = qs.filter(ward_code__in=authority.ward_codes)
    for premises in qs.order_by("external_id", "id"):
        if premises.kind in chosen:
            others.append(premises)
        else:
            chosen[premises.kind] = premises
    return list(chosen.values()), others


def _value_for(item: InspectionItem, compliant: bool) -> dict:
    if item.answer_type == AnswerType.NUMBER:
        return {"number_value": 2, "value": ""}
    if item.answer_type == AnswerType.TEXT:
        return {"note": "Đã kiểm tra, không có ghi chú thêm.", "value": ""}
    return {"value": Answer.Value.COMPLIANT if compliant else Answer.Value.NON_COMPLIANT}


def _answer_all(
    inspector: User, inspection: Inspection, name: str, non_compliant: set[int], limit=None
):
    items = list(inspection.items.order_by("order"))[:limit]
    started = inspection.started_at or timezone.now()
    rows = [
        services.AnswerInput(
            client_uuid=key(f"{name}-answer-{item.code}"),
            item=item.pk,
            answered_at=started + timedelta(minutes=2 + n),
            note="Phát hiện tại hiện trường." if n in non_compliant else "",
            **_value_for(item, n not in non_compliant),
        )
        for n, item in enumerate(items)
    ]
    inspection, _ = services.record_answers(
        user=inspector, inspection=inspection, answers=rows, version=inspection.version
    )
    return inspection, [i for n, i in enumerate(items) if n in non_compliant]


def _schedule(manager, inspector, authority, premises, *, name, day, kind=Inspection.Kind.PERIODIC):
    existing = Inspection.objects.filter(client_uuid=key(name)).first()
    if existing is not None:
        return existing, False
    return services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=kind,
        scheduled_for=timezone.localdate() + timedelta(days=day),
        inspectors=[inspector],
        client_uuid=key(name),
        unannounced_reason=(
            "Phản ánh của người dân về lối thoát nạn bị chắn"
            if kind == Inspection.Kind.UNANNOUNCED
            else ""
        ),
    )


def _complete(inspector: User, inspection: Inspection, name: str) -> Inspection:
    if inspection.state != Inspection.State.IN_PROGRESS:
        return inspection
    inspection, failing = _answer_all(inspector, inspection, name, non_compliant={1, 4})
    findings = []
    for n, item in enumerate(failing):
        finding, _ = services.raise_finding(
            user=inspector,
            inspection=inspection,
            client_uuid=key(f"{name}-finding-{n}"),
            item_id=item.pk,
            description=[
                "03 bình chữa cháy xách tay hết hạn kiểm định, đặt sai vị trí quy định.",
                "Lối thoát nạn tầng 2 bị chắn bởi hàng hóa, đèn chỉ dẫn thoát nạn không sáng.",
            ][n % 2],
            remediation_deadline=timezone.localdate() + timedelta(days=30),
        )
        findings.append(finding)
    photos = [
        ("Bình chữa cháy hết hạn", None, findings[0] if findings else None),
        ("Lối thoát nạn bị chắn", None, findings[-1] if findings else None),
        ("Tủ trung tâm báo cháy", inspection.items.order_by("order").first(), None),
    ]
    for n, (caption, item, finding) in enumerate(photos):
        data = demo_jpeg(n, caption)
        services.add_photo(
            user=inspector,
            inspection=inspection,
            client_uuid=key(f"{name}-photo-{n}"),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            item_id=item.pk if item else None,
            finding_uuid=finding.client_uuid if finding else None,
            taken_at=(inspection.started_at or timezone.now()) + timedelta(minutes=10 + n),
            latitude="21.028511",
            longitude="105.852020",
            caption=caption,
        )
    for role, signer, position, seed in (
        ("inspector", inspector.full_name or inspector.email, "Cán bộ kiểm tra", 1),
        ("representative", "Phạm Quốc Bảo", "Chủ cơ sở", 2),
    ):
        services.add_signature(
            user=inspector,
            inspection=inspection,
            client_uuid=key(f"{name}-signature-{role}"),
            role=role,
            signer_name=signer,
            position=position,
            image=demo_signature(seed),
            signed_at=(inspection.started_at or timezone.now()) + timedelta(minutes=55),
        )
    inspection.refresh_from_db()
    inspection, _ = services.submit_inspection(
        user=inspector,
        inspection=inspection,
        version=inspection.version,
        recommendations=(
            "Thay thế, kiểm định lại bình chữa cháy; giải phóng lối thoát nạn; "
            "báo cáo kết quả khắc phục trong 30 ngày."
        ),
        representative_name="Phạm Quốc Bảo",
        representative_position="Chủ cơ sở",
        ended_at=(inspection.started_at or timezone.now()) + timedelta(hours=1),
    )
    return inspection


def seed(stdout: TextIO) -> None:
    inspector = User.objects.filter(email=INSPECTOR).first()
    manager = User.objects.filter(email=MANAGER).first()
    authority = Authority.objects.filter(name=HOAN_KIEM_AUTHORITY).first()
    if inspector is None or manager is None or authority is None:
        stdout.write("inspections: demo accounts missing, skipped\n")
        return
    places, others = _premises_by_kind(authority)
    if len(others) < 2:
        stdout.write("inspections: no demo premises in the Hoàn Kiếm jurisdiction, skipped\n")
        return
    made = {"scheduled": 0, "in_progress": 0, "submitted": 0, "kept": 0}
    try:
        for n, premises in enumerate(places):
            _, created = _schedule(
                manager,
                inspector,
                authority,
                premises,
                name=f"scheduled-{premises.pk}",
                day=2 + 3 * n,
            )
            made["scheduled" if created else "kept"] += 1
        active, created = _schedule(
            manager,
            inspector,
            authority,
            others[0],
            name="in-progress",
            day=0,
            kind=Inspection.Kind.UNANNOUNCED,
        )
        if active.state == Inspection.State.SCHEDULED:
            active, _ = services.start_inspection(user=inspector, inspection=active)
            _answer_all(inspector, active, "in-progress", non_compliant={2}, limit=5)
            made["in_progress"] += 1
        done, created = _schedule(
            manager,
            inspector,
            authority,
            others[1],
            name="completed",
            day=-3,
            kind=Inspection.Kind.UNANNOUNCED,
        )
        if done.state == Inspection.State.SCHEDULED:
            done, _ = services.start_inspection(
                user=inspector,
                inspection=done,
                started_at=timezone.make_aware(
                    datetime.combine(done.scheduled_for, datetime.min.time()).replace(hour=8)
                ),
            )
        if done.state == Inspection.State.IN_PROGRESS:
            _complete(inspector, done, "completed")
            made["submitted"] += 1
    except ServiceError as exc:
        stdout.write(f"inspections: stopped — {exc.code}: {exc.detail}\n")
        return
    total = Inspection.objects.filter(inspectors=inspector).count()
    stdout.write(
        f"inspections: {made['scheduled']} scheduled, {made['in_progress']} started, "
        f"{made['submitted']} submitted now, {made['kept']} kept; "
        f"{total} assigned to {INSPECTOR}\n"
    )
