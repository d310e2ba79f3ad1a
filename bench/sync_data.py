"""bench_sync.py's data: a published catalogue of 200 requirements (150 of them for
establishments), an inspector assigned to INSPECTIONS answered inspections of 150 items, and one
in-progress inspection of a household business with 200 items. Rebuilt on every run."""

from __future__ import annotations

import os
import uuid

INSPECTIONS = int(os.environ.get("BENCH_INSPECTIONS", 200))
ITEMS = 150
BATCH = 200


def generate() -> dict:
    """Fresh bench data: previous bench rows are removed first (they carry a bench marker)."""
    from django.db import connection, transaction

    from inspections.services import inspections as services

    remove_earlier_bench_rows()
    with transaction.atomic():
        version = generate_catalogue()
        authority, inspector = generate_people()
        premises = generate_premises()
    generate_answered_inspections(version, authority, inspector, premises[:INSPECTIONS])
    batch_inspection, _ = services.start_unplanned_inspection(
        user=inspector,
        premises=premises[-1],
        client_uuid=uuid.uuid4(),
        kind="reinspection",
        authority=authority,
    )
    floor_inspection, _ = services.start_unplanned_inspection(
        user=inspector,
        premises=premises[-1],
        client_uuid=uuid.uuid4(),
        kind="unannounced",
        authority=authority,
        unannounced_reason="bench floor",
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "inspector": inspector,
        "batch_inspection": batch_inspection,
        "floor_inspection": floor_inspection,
    }


def remove_earlier_bench_rows() -> None:
    from accounts.models import Authority, User
    from inspections.models import CatalogueVersion, ChecklistTemplate, Inspection, Premises

    Inspection.objects.filter(premises__external_id__startswith="bench-sync-").delete()
    Premises.objects.filter(external_id__startswith="bench-sync-").delete()
    ChecklistTemplate.objects.filter(version__label="bench-sync").delete()
    CatalogueVersion.objects.filter(label="bench-sync").delete()
    User.objects.filter(email__endswith="@bench-sync.test").delete()
    Authority.objects.filter(name="Bench sync authority").delete()


def generate_catalogue():
    """BATCH requirements for household businesses, the first ITEMS also for establishments."""
    from django.utils import timezone

    from inspections.models import CatalogueVersion, LegalDocument, Provision, Requirement

    # Published last, so it is the current version for new inspections.
    version = CatalogueVersion.objects.create(
        label="bench-sync",
        status="published",
        published_at=timezone.now(),
        effective_on=timezone.localdate(),
    )
    doc, _ = LegalDocument.objects.get_or_create(
        code="BENCH/SYNC", defaults={"kind": "law", "title": "Bench document"}
    )
    reqs = []
    for n in range(BATCH):
        kinds = ["home_business"] + (["establishment"] if n < ITEMS else [])
        reqs.append(
            Requirement(
                version=version,
                code=f"B-{n:03d}",
                title_vi=f"Yêu cầu kiểm tra số {n}",
                question_vi=f"Cơ sở có đáp ứng yêu cầu số {n} về phòng cháy, chữa cháy không?",
                premises_kinds=kinds,
                order=n,
            )
        )
    Requirement.objects.bulk_create(reqs)
    provisions = Provision.objects.bulk_create(
        [
            Provision(
                document=doc,
                article=9000 + n,
                clause=1,
                text_vi="Cơ sở phải bảo đảm điều kiện an toàn về phòng cháy. " * 4,
                order=n,
            )
            for n in range(BATCH)
        ],
        ignore_conflicts=True,
    )
    provisions = list(Provision.objects.filter(document=doc).order_by("article")[:BATCH])
    from inspections.models import Citation

    Citation.objects.bulk_create(
        [
            Citation(requirement=r, provision=p)
            for r, p in zip(
                Requirement.objects.filter(version=version).order_by("order"),
                provisions,
                strict=True,
            )
        ]
    )
    return version


def generate_people():
    """The authority, its inspector (who syncs) and a manager."""
    from accounts.models import Authority, Membership, User

    authority = Authority.objects.create(
        name="Bench sync authority", kind="commune_committee", province_code=1, ward_codes=[70]
    )
    inspector = User.objects.create_user("inspector@bench-sync.test", "x")
    manager = User.objects.create_user("manager@bench-sync.test", "x")
    Membership.objects.create(user=inspector, authority=authority, role="inspector")
    Membership.objects.create(user=manager, authority=authority, role="manager")
    return authority, inspector


def generate_premises() -> list:
    """INSPECTIONS establishments, then the household business of the batch upsert."""
    from inspections.models import Premises

    premises = Premises.objects.bulk_create(
        [
            Premises(
                kind="establishment",
                external_id=f"bench-sync-{n}",
                name=f"Cơ sở bench {n}",
                province_code=1,
                ward_code=70,
                occupancy_category="office",
                floors=3,
            )
            for n in range(INSPECTIONS)
        ]
        + [
            Premises(
                kind="home_business",
                external_id="bench-sync-batch",
                name="Hộ kinh doanh bench",
                province_code=1,
                ward_code=70,
            )
        ]
    )
    return premises


def generate_answered_inspections(version, authority, inspector, premises) -> None:
    """One in-progress inspection per establishment, every item answered."""
    from django.utils import timezone

    from inspections.models import Answer, Inspection, InspectionItem
    from inspections.services.checklists import item_rows, template_for

    template = template_for(version, "establishment")
    today = timezone.localdate()
    # Inspections and their frozen items in bulk (the service path is measured in the tests).
    inspections = Inspection.objects.bulk_create(
        [
            Inspection(
                premises=p,
                authority=authority,
                kind="periodic",
                state="in_progress",
                catalogue_version=version,
                template=template,
                scheduled_for=today,
                started_at=timezone.now(),
            )
            for p in premises
        ]
    )
    Inspection.inspectors.through.objects.bulk_create(
        [
            Inspection.inspectors.through(inspection_id=i.pk, user_id=inspector.pk)
            for i in inspections
        ]
    )
    items = [row for i in inspections for row in item_rows(i, template.items)]
    items = InspectionItem.objects.bulk_create(items, batch_size=2000)
    now = timezone.now()
    Answer.objects.bulk_create(
        [
            Answer(
                client_uuid=uuid.uuid4(),
                inspection_id=item.inspection_id,
                item=item,
                value="compliant",
                answered_at=now,
                content_hash="bench",
            )
            for item in items
        ],
        batch_size=2000,
    )
