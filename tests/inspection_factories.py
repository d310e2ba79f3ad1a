"""Factories for the mobile inspection tests: a small published catalogue and inspections."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, date, datetime, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from inspections.models import (
    AnswerType,
    CatalogueVersion,
    Citation,
    LegalDocument,
    Provision,
    Requirement,
)

ALL_KINDS = ("establishment", "home", "home_business", "construction_site", "vehicle")


class LegalDocumentFactory(DjangoModelFactory):
    class Meta:
        model = LegalDocument
        django_get_or_create = ("code",)

    code = "55/2024/QH15"
    kind = LegalDocument.Kind.LAW
    title = "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ"


class ProvisionFactory(DjangoModelFactory):
    class Meta:
        model = Provision

    document = factory.SubFactory(LegalDocumentFactory)
    article = factory.Sequence(lambda n: 1000 + n)
    clause = 1
    heading = "Điều khoản thử nghiệm"
    text_vi = factory.Sequence(lambda n: f"Nội dung khoản {n}.")


class CatalogueVersionFactory(DjangoModelFactory):
    class Meta:
        model = CatalogueVersion

    label = factory.Sequence(lambda n: f"test-{n}")
    status = CatalogueVersion.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    effective_on = date(2025, 7, 1)  # in force since the law applies


class RequirementFactory(DjangoModelFactory):
    class Meta:
        model = Requirement

    version = factory.SubFactory(CatalogueVersionFactory)
    code = factory.Sequence(lambda n: f"REQ-{n:04d}")
    title_vi = factory.Sequence(lambda n: f"Yêu cầu {n}")
    question_vi = factory.Sequence(lambda n: f"Cơ sở có đáp ứng yêu cầu {n} không?")
    premises_kinds = factory.LazyFunction(lambda: list(ALL_KINDS))
    applicability = factory.LazyFunction(dict)
    answer_type = AnswerType.YES_NO_NA
    order = factory.Sequence(int)


def make_catalogue(n: int = 3, *, kinds: list[str] | None = None, **extra) -> CatalogueVersion:
    """A published version with ``n`` requirements, each citing one provision."""
    version = CatalogueVersionFactory(**extra)
    for i in range(n):
        req = RequirementFactory(version=version, premises_kinds=kinds or list(ALL_KINDS), order=i)
        Citation.objects.create(requirement=req, provision=ProvisionFactory(), order=0)
    return version


def jpeg_bytes(seed: int = 0, size: tuple[int, int] = (32, 24)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (seed % 256, (seed * 7) % 256, 90)).save(buf, "JPEG")
    return buf.getvalue()


def png_bytes(seed: int = 0, size: tuple[int, int] = (60, 20)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", size, (0, 0, seed % 256, 255)).save(buf, "PNG")
    return buf.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def device_time(minutes: int = 0) -> datetime:
    return datetime(2026, 11, 23, 2, 0, tzinfo=UTC) + timedelta(minutes=minutes)


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()
