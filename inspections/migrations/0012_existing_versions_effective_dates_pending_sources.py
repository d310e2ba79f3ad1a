"""Existing catalogue versions get a legal basis and an effective date; the 2026 decrees are
entered as pending sources (their text not confirmed against the gazette)."""

import datetime

from django.db import migrations

# Decree 105/2025 and Law 55/2024 are in force from 1 July 2025: every version loaded before
# effective dates existed (2025.1, its corrections) states the law as in force from then.
LAW_IN_FORCE = datetime.date(2025, 7, 1)

PENDING = [
    {
        "code": "217/2026/NĐ-CP",
        "kind": "decree",
        "title": "Nghị định quy định chi tiết một số điều của Luật Xây dựng về quản lý hoạt động "
        "xây dựng (Điều 74 sửa đổi Nghị định 105/2025/NĐ-CP)",
        "issued_on": datetime.date(2026, 6, 19),
        "effective_on": datetime.date(2026, 7, 1),
        "confidence": "unconfirmed",
        "note": "Art. 74 amended Decree 105 Art. 6.1, 9.4.a and 44.3; repealed by Decree "
        "347/2026 Art. 39 from 15 September 2026. Text known from a crawled copy only.",
    },
    {
        "code": "347/2026/NĐ-CP",
        "kind": "decree",
        "title": "Nghị định sửa đổi, bổ sung một số điều của Nghị định số 169/2025/NĐ-CP; Nghị "
        "định số 105/2025/NĐ-CP; Nghị định số 106/2025/NĐ-CP; Nghị định số 282/2025/NĐ-CP",
        "issued_on": datetime.date(2026, 9, 8),
        "effective_on": datetime.date(2026, 9, 15),
        "confidence": "unconfirmed",
        "note": "Amends Decree 105/2025 from 15 September 2026. Two crawled copies of the text "
        "agree; the signed PDF of the Government Office was not read.",
    },
]


def forwards(apps, schema_editor):
    CatalogueVersion = apps.get_model("inspections", "CatalogueVersion")
    LegalDocument = apps.get_model("inspections", "LegalDocument")
    for doc in PENDING:
        LegalDocument.objects.get_or_create(code=doc["code"], defaults=doc)
    basis = list(
        LegalDocument.objects.filter(code__in=["55/2024/QH15", "105/2025/NĐ-CP", "198/2025/QH15"])
    )
    for version in CatalogueVersion.objects.filter(effective_on__isnull=True):
        version.effective_on = LAW_IN_FORCE
        version.save(update_fields=["effective_on"])
        if not version.legal_basis.exists():
            version.legal_basis.set(basis)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0011_catalogue_effective_dates_and_law_changes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
