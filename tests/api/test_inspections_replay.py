"""Replay of a recorded offline session with retries, duplicates, lost responses and reorders.

The phone's outbox sends what it recorded offline; the network loses responses (the request
was applied, the phone does not know and sends it again), duplicates requests and reorders
them. Whatever happens, the server must end in the state of one clean run. The phone behaves
like the real app: the creation goes first (everything needs the server id), submission last;
a 409 ``stale_version`` makes it take ``current.version`` and resend; a 409
``depends_on_missing`` (a photo of a finding not yet sent) is retried later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.models import Inspection
from tests import inspection_factories as inf
from tests.api.inspection_helpers import client_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def premises(premises):
    # A public body: the cap of one inspection a year (Resolution 198) does not apply, so the
    # dozens of runs below may all inspect the same premises without a manager's override.
    premises.is_public_body = True
    premises.save(update_fields=["is_public_body"])
    return premises


# The recorded session, by content: (kind, payload). Item indexes refer to the checklist order.
SESSION: list[tuple[str, dict[str, Any]]] = [
    (
        "answers",
        {"rows": [(0, "compliant", 1, ""), (1, "compliant", 1, ""), (2, "compliant", 2, "")]},
    ),
    ("answers", {"rows": [(1, "non_compliant", 5, "Bình chữa cháy hết hạn")]}),
    ("finding", {"key": "f1", "item": 1, "description": "03 bình chữa cháy hết hạn kiểm định"}),
    ("photo", {"key": "p1", "item": 0, "seed": 1, "caption": "Lối thoát nạn"}),
    ("photo", {"key": "p2", "finding": "f1", "seed": 2, "caption": "Bình hết hạn"}),
    ("answers", {"rows": [(2, "not_applicable", 7, "Không có bếp")]}),
    ("answers", {"rows": [(0, "non_compliant", 8, "Lối thoát nạn bị chắn")]}),
    ("finding", {"key": "f2", "item": 0, "description": "Lối thoát nạn bị chắn bởi hàng hóa"}),
    ("photo", {"key": "p3", "finding": "f2", "seed": 3, "caption": ""}),
    ("signature", {"key": "s1", "role": "inspector"}),
    ("signature", {"key": "s2", "role": "representative"}),
]
SUBMIT = {
    "recommendations": "Khắc phục các vi phạm trong 30 ngày.",
    "representative_name": "Nguyễn Văn An",
    "representative_position": "Chủ cơ sở",
    "ended_at": inf.device_time(90).isoformat(),
}


@dataclass
class Phone:
    """The app's outbox for one offline session: stable client UUIDs, last known version."""

    client: Any
    items: list[int] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    inspection_id: int | None = None
    version: int = 1

    def key(self, name: str) -> str:
        return self.keys.setdefault(name, str(uuid.uuid4()))

    def create(self, premises_id: int, authority_id: int):
        body = {
            "client_uuid": self.key("inspection"),
            "premises": premises_id,
            "kind": "unannounced",
            "authority": authority_id,
            "started_at": inf.device_time().isoformat(),
            "unannounced_reason": "Phản ánh của người dân",
        }
        return self.client.post(url("inspections-unplanned"), body, format="json")

    def learn(self, response) -> None:
        body = response.json()
        if response.status_code == 409 and body.get("code") == "stale_version":
            self.version = body["current"]["version"]
        elif response.status_code in (200, 201):
            self.version = body.get("inspection_version", body.get("version", self.version))
            if "items" in body and not self.items:
                self.inspection_id = body["id"]
                self.items = [i["id"] for i in sorted(body["items"], key=lambda i: i["order"])]

    def send(self, op: tuple[str, dict[str, Any]], n: int):
        kind, p = op
        pk = self.inspection_id
        if kind == "answers":
            answers = [
                {
                    "client_uuid": self.key(f"a{n}-{i}"),
                    "item": self.items[i],
                    "value": value,
                    "note": note,
                    "answered_at": inf.device_time(minute).isoformat(),
                }
                for i, value, minute, note in p["rows"]
            ]
            body = {"version": self.version, "answers": answers}
            return self.client.put(url("inspection-answers", pk), body, format="json")
        if kind == "finding":
            body = {
                "client_uuid": self.key(p["key"]),
                "item": self.items[p["item"]],
                "description": p["description"],
                "severity": "major",
                "remediation_deadline": "2026-12-31",
            }
            return self.client.post(url("inspection-findings", pk), body, format="json")
        if kind == "photo":
            data = inf.jpeg_bytes(p["seed"])
            body = {
                "client_uuid": self.key(p["key"]),
                "sha256": inf.sha256(data),
                "file": SimpleUploadedFile("p.jpg", data, content_type="image/jpeg"),
                "caption": p["caption"],
                "taken_at": inf.device_time(p["seed"]).isoformat(),
                "latitude": "21.028511",
                "longitude": "105.852020",
            }
            if "item" in p:
                body["item"] = self.items[p["item"]]
            if "finding" in p:
                body["finding"] = self.key(p["finding"])
            return self.client.post(url("inspection-photos", pk), body, format="multipart")
        if kind == "signature":
            body = {
                "client_uuid": self.key(p["key"]),
                "role": p["role"],
                "signer_name": "Trần Thị Kiểm" if p["role"] == "inspector" else "Nguyễn Văn An",
                "image": SimpleUploadedFile(
                    "s.png",
                    inf.png_bytes(7 if p["role"] == "inspector" else 8),
                    content_type="image/png",
                ),
            }
            return self.client.post(url("inspection-signatures", pk), body, format="multipart")
        if kind == "start":
            return self.client.post(url("inspection-start", pk), {}, format="json")
        if kind == "submit":
            return self.client.post(
                url("inspection-submit", pk), {**SUBMIT, "version": self.version}, format="json"
            )
        raise AssertionError(kind)


RETRY_LATER = {"stale_version", "depends_on_missing"}


def done(response) -> bool:
    """True when the outbox may drop the request; fails the test on a refusal the app can't fix."""
    if response.status_code in (200, 201):
        return True
    code = response.json().get("code")
    assert response.status_code == 409 and code in RETRY_LATER, (
        response.status_code,
        response.json(),
    )
    return False


def clean_run(phone: Phone, premises, authority) -> int:
    phone.learn(phone.create(premises.pk, authority.pk))
    for n, op in enumerate([*SESSION, ("submit", {})]):
        while True:
            r = phone.send(op, n)
            phone.learn(r)
            if done(r):
                break
    return phone.inspection_id


def chaotic_run(phone: Phone, premises, authority, data) -> int:
    # Creation: duplicated and its response lost any number of times, then heard.
    for _ in range(data.draw(st.integers(0, 2), label="create retries")):
        phone.create(premises.pk, authority.pk)
    phone.learn(phone.create(premises.pk, authority.pk))
    pending = list(enumerate(SESSION))
    steps = 0
    while pending:
        steps += 1
        chaos = steps < 60
        index = data.draw(st.integers(0, len(pending) - 1), label="next") if chaos else 0
        n, op = pending[index]
        copies = 1 + (data.draw(st.integers(0, 1), label="duplicate") if chaos else 0)
        responses = [phone.send(op, n) for _ in range(copies)]
        lost = chaos and data.draw(st.booleans(), label="response lost")
        if lost:
            continue  # applied or not, the phone does not know: it stays in the outbox
        r = responses[-1]
        phone.learn(r)
        if done(r):
            pending.pop(index)
    for _ in range(data.draw(st.integers(0, 2), label="submit lost")):
        phone.send(("submit", {}), len(SESSION))
    while True:
        r = phone.send(("submit", {}), len(SESSION))
        phone.learn(r)
        if done(r):
            return phone.inspection_id


def state_of(pk: int) -> dict[str, Any]:
    """Everything the record shows, by content (ids and client UUIDs differ between runs)."""
    inspection = Inspection.objects.get(pk=pk)
    code = {i.pk: i.code for i in inspection.items.all()}
    findings = {f.pk: f for f in inspection.findings.all()}
    return {
        "state": inspection.state,
        "submission_hash": inspection.submission_hash,
        "recommendations": inspection.recommendations,
        "answers": sorted(
            (code[a.item_id], a.value, a.note, a.answered_at.isoformat())
            for a in inspection.answers.all()
        ),
        "findings": sorted(
            (
                code[f.item_id],
                f.description,
                f.severity,
                str(f.remediation_deadline),
                code.get(f.answer.item_id) if f.answer else None,
            )
            for f in findings.values()
        ),
        "photos": sorted(
            (
                p.blob.sha256,
                code.get(p.item_id),
                findings[p.finding_id].description if p.finding_id else None,
                p.caption,
                p.taken_at.isoformat(),
                str(p.latitude),
                code.get(p.answer.item_id) if p.answer else None,
            )
            for p in inspection.photos.select_related("blob", "answer")
        ),
        "signatures": sorted(
            (s.role, s.sha256, s.signer_name) for s in inspection.signatures.all()
        ),
    }


def late_duplicates(phone: Phone, data, premises, authority) -> None:
    """After submission, the outbox resends any of its requests whose reply was lost, in any
    order and any number of times: each is an exact resend of an accepted write, so each must
    answer success (the app would otherwise show an error for work that succeeded)."""
    ops = [("create", {}), *SESSION, ("submit", {}), ("start", {})]
    picks = data.draw(
        st.lists(st.integers(0, len(ops) - 1), min_size=1, max_size=8), label="late resends"
    )
    for n in picks:
        kind, payload = ops[n]
        if kind == "create":
            r = phone.create(premises.pk, authority.pk)
        else:
            r = phone.send((kind, payload), n - 1 if n <= len(SESSION) else len(SESSION))
        assert r.status_code == 200, (kind, r.status_code, r.json())
        if kind == "answers":
            # Nothing is written: each row is the stored answer, or the newer one that
            # replaced it on the server before submission.
            assert {x["status"] for x in r.json()["results"]} <= {"unchanged", "conflict"}
    # Only different content is refused: the same finding UUID with another description.
    other = data.draw(st.sampled_from(["Bình chữa cháy thiếu", "Đèn sự cố hỏng", "Khác"]))
    r = phone.send(("finding", {"key": "f1", "item": 1, "description": other}), 2)
    assert r.status_code == 409 and r.json()["code"] == "client_uuid_conflict"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_chaotic_replay_ends_like_a_clean_run(data, catalogue, inspector, authority, premises):
    clean = clean_run(Phone(client_for(inspector)), premises, authority)
    phone = Phone(client_for(inspector))
    chaotic = chaotic_run(phone, premises, authority, data)
    expected = state_of(clean)
    assert expected["state"] == "submitted"
    assert len(expected["answers"]) == 3 and len(expected["photos"]) == 3
    assert state_of(chaotic) == expected
    late_duplicates(phone, data, premises, authority)
    assert state_of(chaotic) == expected
