"""Synthetic records of any size (for the benchmark, tests and demo drawings); citations are real.

Citation texts come from the parsed Law 55/2024/QH15, never typed here.
"""

from __future__ import annotations

import io
import math
import random
from datetime import UTC, date, datetime, timedelta

from PIL import Image, ImageDraw

from inspections.legal.parser import LAW_DOCUMENT, vendored_law

from .context import (
    CitationRef,
    FindingRow,
    ItemRow,
    PersonRef,
    PhotoRef,
    PremisesInfo,
    RecordContext,
    SignatureMark,
    short_citation_text,
)
from .photos import print_ready_jpeg

# Chapter II (fire prevention duties of premises) carries the checkable points.
_ARTICLES = (17, 18, 19, 20, 21, 22, 23, 24)


def drawn_signature_png(seed: int = 1, width: int = 480, height: int = 180) -> bytes:
    """A hand-drawn-looking signature stroke on a transparent background (PNG)."""
    rnd = random.Random(seed)  # noqa: S311 (drawing jitter, not a secret)
    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points = []
    phase = rnd.uniform(0, math.pi)
    for i in range(120):
        t = i / 119
        x = 20 + t * (width - 40)
        y = height / 2 + math.sin(t * 9 + phase) * 40 * (1 - t * 0.5) + rnd.uniform(-4, 4)
        points.append((x, y))
    draw.line(points, fill=(10, 30, 120, 255), width=5, joint="curve")
    draw.line([(40, height - 40), (width - 60, height - 50)], fill=(10, 30, 120, 255), width=3)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def sample_photo_jpeg(seed: int, width: int = 1600, height: int = 1200) -> bytes:
    """A phone-sized JPEG with enough detail that it compresses like a real photo."""
    rnd = random.Random(seed)  # noqa: S311 (drawing jitter, not a secret)
    img = Image.new("RGB", (width, height), (rnd.randint(90, 200),) * 3)
    draw = ImageDraw.Draw(img)
    for _ in range(400):
        x, y = rnd.randint(0, width), rnd.randint(0, height)
        r = rnd.randint(10, 160)
        color = tuple(rnd.randint(0, 255) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=color)
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    img = Image.blend(img, noise, 0.25)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def law_citations() -> list[CitationRef]:
    provisions = [
        p for p in vendored_law().provisions if p.article in _ARTICLES and p.clause is not None
    ]
    return [
        CitationRef(label=f"{p.label_vi} Luật {LAW_DOCUMENT}", text=short_citation_text(p.text))
        for p in provisions
    ]


def _photo_bytes(seed: int, print_ready: bool) -> bytes:
    data = sample_photo_jpeg(seed)
    return print_ready_jpeg(data) if print_ready else data


def _sample_rows(rnd: random.Random, items: int) -> list[ItemRow]:
    """``items`` rows, each citing a real provision of the law (cycling through them)."""
    cites = law_citations()
    rows = []
    for n in range(1, items + 1):
        cite = cites[(n - 1) % len(cites)]
        result = rnd.choices(["compliant", "non_compliant", "not_applicable"], [7, 2, 1])[0]
        rows.append(
            ItemRow(
                number=n,
                code=f"L55-{n:03d}",
                title=cite.text.split(";")[0][:120].rstrip(" ,:"),
                question=f"Cơ sở đã thực hiện đúng quy định tại {cite.label}?",
                result=result,
                note="Đã kiểm tra thực tế tại tầng 1 và tầng 2." if n % 7 == 0 else "",
                citations=(cite,),
            )
        )
    return rows


def _sample_findings(
    rnd: random.Random, rows: list[ItemRow], limit: int | None
) -> tuple[FindingRow, ...]:
    """One finding per failed row (the first ``limit`` of them, if given)."""
    failing = [r for r in rows if r.result == "non_compliant"]
    if limit is not None:
        failing = failing[:limit]
    return tuple(
        FindingRow(
            number=i,
            description=f"Chưa đáp ứng: {r.title}.",
            severity=rnd.choice(["critical", "major", "minor"]),
            deadline=date(2026, 12, 20) + timedelta(days=15 * (i % 3)),
            citations=r.citations,
            item_code=r.code,
        )
        for i, r in enumerate(failing, start=1)
    )


def _sample_signatures(
    inspector: PersonRef, representative: PersonRef
) -> tuple[SignatureMark, ...]:
    return (
        SignatureMark("inspector", inspector.name, inspector.position, drawn_signature_png(1)),
        SignatureMark(
            "representative", representative.name, representative.position, drawn_signature_png(2)
        ),
        SignatureMark("facility_head", "Lê Thị Chủ", "Giám đốc", drawn_signature_png(3)),
    )


def sample_context(
    *,
    items: int = 20,
    photos: int = 0,
    form: str = "pc03",
    language: str = "vi",
    findings: int | None = None,
    verification_code: str = "K7P2M9XR4TQ3",
    seed: int = 7,
    print_ready: bool = True,
) -> RecordContext:
    """A realistic record; ``print_ready`` photos are the derivatives stored at upload (as a
    stored inspection's are), otherwise the phone's full-size JPEGs."""
    rnd = random.Random(seed)  # noqa: S311 (drawing jitter, not a secret)
    started = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội
    rows = _sample_rows(rnd, items)
    finding_rows = _sample_findings(rnd, rows, findings)
    photo_refs = tuple(
        PhotoRef(
            caption=f"Hiện trạng lối thoát nạn khu vực {i} (tầng {1 + i % 4}).",
            taken_at=started + timedelta(minutes=3 * i),
            data=_photo_bytes(seed * 1000 + i, print_ready),
            content_type="image/jpeg",
            print_ready=print_ready,
        )
        for i in range(1, photos + 1)
    )
    inspector = PersonRef("Trần Thị Kiểm", "Cán bộ Phòng Kinh tế, Hạ tầng và Đô thị")
    representative = PersonRef("Lê Văn Đại Diện", "Quản lý cơ sở")
    return RecordContext(
        form=form,
        language=language,
        authority_name="" if form == "pc02" else "Ủy ban nhân dân phường Hoàn Kiếm",
        authority_parent="" if form == "pc02" else "Thành phố Hà Nội",
        number="12/BB-KTPCCC",
        kind="Tự kiểm tra" if form == "pc02" else "Kiểm tra định kỳ",
        place="Karaoke Hoàn Kiếm, 12 Hàng Bài, phường Hoàn Kiếm, Thành phố Hà Nội",
        started_at=started,
        ended_at=started + timedelta(hours=2, minutes=15),
        inspectors=(inspector, PersonRef("Nguyễn Văn Phòng", "Cán bộ Công an phường")),
        premises=PremisesInfo(
            name="Karaoke Hoàn Kiếm",
            address="12 Hàng Bài, phường Hoàn Kiếm, Thành phố Hà Nội",
            kind="Cơ sở",
            occupancy="karaoke",
            phone="024 3826 0000",
            facts=(("Số tầng", "3"), ("Tổng diện tích sàn", "400 m²")),
        ),
        representative=representative,
        items=tuple(rows),
        findings=finding_rows,
        recommendations=(
            "Cơ sở khắc phục các tồn tại nêu tại mục 1 trong thời hạn đã ghi; "
            "báo cáo kết quả khắc phục kèm hình ảnh qua cổng thông tin."
        ),
        photos=photo_refs,
        signatures=_sample_signatures(inspector, representative),
        verification_code=verification_code,
        verification_url=f"http://127.0.0.1:8000/verify/{verification_code}/",
        catalogue_version="2025.1",
        development_signer=True,
        issued_in="Hà Nội",
        representative_comments=(
            "" if form == "pc02" else "Cơ sở đã ký hợp đồng bảo dưỡng hệ thống báo cháy."
        ),
    )


def sample_pc04_context(*, findings: int = 10, verification_code: str = "P4R7M2XK9TQ3"):
    """A PC04 report with ``findings`` lines in its findings section (bench, previews)."""
    from .forms import FormContext

    lines = "\n".join(
        f"- Bình chữa cháy tầng {1 + i % 4} hết hạn kiểm định — thời hạn khắc phục "
        f"{(date(2026, 12, 1) + timedelta(days=i)).strftime('%d/%m/%Y')} (Chưa khắc phục)."
        for i in range(findings)
    )
    return FormContext(
        form="pc04",
        language="vi",
        premises_name="Karaoke Hoàn Kiếm",
        premises_address="12 Hàng Bài, phường Hoàn Kiếm, Thành phố Hà Nội",
        dated=date(2026, 12, 10),
        verification_code=verification_code,
        verification_url=f"http://127.0.0.1:8000/verify/{verification_code}/",
        recipient="Ủy ban nhân dân phường Hoàn Kiếm",
        period_start=date(2026, 6, 16),
        period_end=date(2026, 12, 15),
        content={
            "responsibility": "Người đứng đầu cơ sở: Lê Thị Chủ.\nSố người lao động: 18.",
            "self_inspection": "Trong kỳ đã tự kiểm tra định kỳ 1 lần (biên bản Mẫu số PC02).",
            "maintenance": "Đã bảo dưỡng hệ thống báo cháy ngày 01/11/2026.",
            "insurance": "Đã mua bảo hiểm cháy, nổ bắt buộc.",
            "findings": lines,
            "authority_requests": "",
            "proposals": "",
        },
        issued_in="Hà Nội",
        signer_name="Lê Thị Chủ",
        development_signer=True,
    )
