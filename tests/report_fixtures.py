"""A submitted inspection with answers, a finding, a photo and both signatures (via services)."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.models import Answer, Inspection
from inspections.pdf.samples import drawn_signature_png
from inspections.services import inspections as services
from tests import inspection_factories as inf


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path / "media"


def complete(inspection: Inspection, inspector) -> Inspection:
    """Answer every item (the first non-compliant), add a photo, a finding, two signatures."""
    items = list(inspection.items.order_by("order"))
    answers = [
        services.AnswerInput(
            client_uuid=inf.new_uuid(),
            item=item.pk,
            answered_at=inf.device_time(i),
            value=Answer.Value.NON_COMPLIANT if i == 0 else Answer.Value.COMPLIANT,
            note="Bình chữa cháy hết hạn kiểm định." if i == 0 else "",
        )
        for i, item in enumerate(items)
    ]
    inspection.refresh_from_db()
    services.record_answers(
        user=inspector, inspection=inspection, answers=answers, version=inspection.version
    )
    photo = inf.jpeg_bytes(3, size=(320, 240))
    services.add_photo(
        user=inspector,
        inspection=inspection,
        client_uuid=inf.new_uuid(),
        sha256=inf.sha256(photo),
        data=photo,
        item_id=items[0].pk,
        taken_at=inf.device_time(5),
        caption="Bình chữa cháy tại hành lang tầng 2",
    )
    services.raise_finding(
        user=inspector,
        inspection=inspection,
        client_uuid=inf.new_uuid(),
        description="Bình chữa cháy xách tay hết hạn kiểm định.",
        item_id=items[0].pk,
        severity="major",
        remediation_deadline=date(2026, 12, 31),
    )
    for role, name, seed in (
        ("inspector", "Trần Thị Kiểm", 1),
        ("representative", "Lê Văn Đại Diện", 2),
    ):
        services.add_signature(
            user=inspector,
            inspection=inspection,
            client_uuid=inf.new_uuid(),
            role=role,
            signer_name=name,
            image=drawn_signature_png(seed),
        )
    inspection.refresh_from_db()
    inspection, _ = services.submit_inspection(
        user=inspector,
        inspection=inspection,
        version=inspection.version,
        recommendations="Thay bình chữa cháy trong 30 ngày.",
        representative_name="Lê Văn Đại Diện",
        representative_position="Quản lý",
        ended_at=inf.device_time(90),
    )
    return inspection


@pytest.fixture
def submitted(in_progress, inspector, media, signing_settings) -> Inspection:
    return complete(in_progress, inspector)


@pytest.fixture
def self_submitted(catalogue, head, premises, media, signing_settings) -> Inspection:
    """A facility head's self-inspection, answered and signed by the head, submitted."""
    inspection, _ = services.start_unplanned_inspection(
        user=head, premises=premises, client_uuid=inf.new_uuid(), kind=Inspection.Kind.SELF
    )
    items = list(inspection.items.order_by("order"))
    inspection.refresh_from_db()
    services.record_answers(
        user=head,
        inspection=inspection,
        answers=[
            services.AnswerInput(
                client_uuid=inf.new_uuid(),
                item=item.pk,
                answered_at=inf.device_time(i),
                value=Answer.Value.COMPLIANT,
            )
            for i, item in enumerate(items)
        ],
        version=inspection.version,
    )
    services.add_signature(
        user=head,
        inspection=inspection,
        client_uuid=inf.new_uuid(),
        role="facility_head",
        signer_name="Lê Thị Chủ",
        position="Giám đốc",
        image=drawn_signature_png(3),
    )
    inspection.refresh_from_db()
    inspection, _ = services.submit_inspection(
        user=head, inspection=inspection, version=inspection.version
    )
    return inspection
