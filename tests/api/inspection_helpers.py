"""Request helpers shared by the mobile inspection API tests."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tests import inspection_factories as inf


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"api:{name}", args=[pk] if pk is not None else [])


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def answers_body(inspection, version: int, answers: list[dict[str, Any]]) -> dict[str, Any]:
    return {"version": version, "answers": answers}


def one_answer(item_id: int, minutes: int = 0, value: str = "compliant", **extra) -> dict[str, Any]:
    return {
        "client_uuid": str(extra.pop("client_uuid", uuid.uuid4())),
        "item": item_id,
        "value": value,
        "answered_at": inf.device_time(minutes).isoformat(),
        **extra,
    }


def photo_body(data: bytes, client_uuid=None, name: str = "photo.jpg", **extra) -> dict[str, Any]:
    return {
        "client_uuid": str(client_uuid or uuid.uuid4()),
        "sha256": inf.sha256(data),
        "file": SimpleUploadedFile(name, data, content_type="image/jpeg"),
        **extra,
    }


def signature_body(role: str, data: bytes | None = None, client_uuid=None) -> dict[str, Any]:
    data = data or inf.png_bytes(1 if role == "inspector" else 2)
    return {
        "client_uuid": str(client_uuid or uuid.uuid4()),
        "role": role,
        "signer_name": "Trần Thị Kiểm" if role == "inspector" else "Nguyễn Văn An",
        "position": "Cán bộ" if role == "inspector" else "Giám đốc",
        "image": SimpleUploadedFile("sig.png", data, content_type="image/png"),
    }
