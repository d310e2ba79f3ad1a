"""OpenAPI examples of the inspections API, kept out of the view code."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

SCHEDULE = [
    OpenApiExample(
        "Periodic inspection",
        request_only=True,
        value={
            "premises": 12,
            "authority": 3,
            "kind": "periodic",
            "scheduled_for": "2026-12-01",
            "inspectors": [7],
            "client_uuid": "3f1c2b7e-9a51-4c1e-8f7e-2d9c0f6b1a11",
        },
    )
]


START_UNPLANNED = [
    OpenApiExample(
        "Unannounced",
        request_only=True,
        value={
            "client_uuid": "0b7f6a52-3c1d-4d43-9d9e-5b1d6f2e8c01",
            "premises": 12,
            "kind": "unannounced",
            "authority": 3,
            "started_at": "2026-11-23T08:30:00+07:00",
        },
    )
]


ANSWERS_BATCH = [
    OpenApiExample(
        "Two answers",
        request_only=True,
        value={
            "version": 3,
            "answers": [
                {
                    "client_uuid": "5d2c9b0e-1f44-4a8e-b7a1-3e0c2d9f4a10",
                    "item": 101,
                    "value": "compliant",
                    "answered_at": "2026-11-23T09:01:00+07:00",
                },
                {
                    "client_uuid": "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d",
                    "item": 102,
                    "value": "non_compliant",
                    "note": "Bình chữa cháy hết hạn kiểm định",
                    "answered_at": "2026-11-23T09:02:00+07:00",
                },
            ],
        },
    ),
    OpenApiExample(
        "Result",
        response_only=True,
        value={
            "inspection_version": 4,
            "results": [
                {
                    "client_uuid": "5d2c9b0e-1f44-4a8e-b7a1-3e0c2d9f4a10",
                    "status": "created",
                    "detail": "",
                    "answer": {"item": 101, "value": "compliant"},
                }
            ],
        },
    ),
]


FINDING_CREATE = [
    OpenApiExample(
        "Expired extinguishers",
        request_only=True,
        value={
            "client_uuid": "c0ffee00-1111-4222-8333-444455556666",
            "item": 102,
            "description": "03 bình chữa cháy hết hạn kiểm định",
            "severity": "major",
            "remediation_deadline": "2026-12-23",
        },
    )
]


SUBMIT = [
    OpenApiExample(
        "Submit",
        request_only=True,
        value={
            "version": 9,
            "recommendations": "Thay thế bình chữa cháy hết hạn trong 30 ngày.",
            "representative_name": "Nguyễn Văn An",
            "representative_position": "Giám đốc",
            "ended_at": "2026-11-23T10:15:00+07:00",
        },
    )
]
