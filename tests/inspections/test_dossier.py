"""The fire-safety dossier (Decree 105 Art. 4): generated minutes filed, uploads checked by their
bytes, retention of items g, h, i, l, n for 5 years in the portal, API and admin, and the purge."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from inspections.models import DossierDocument, Report
from inspections.rules.forms import pc01_edition, pc04_period
from inspections.selectors.dossier import dossier_of
from inspections.services import dossier as service
from inspections.services import reports as report_service
from inspections.services.errors import Conflict, Invalid
from tests import factories as f
from tests.conftest import authed, file_bytes

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _upload(head, premises, item="b", made_on=None, data=PDF, title="Nội quy PCCC"):
    return service.upload_dossier_document(
        user=head,
        premises=premises,
        item=item,
        title=title,
        made_on=made_on or timezone.localdate(),
        data=data,
        original_name="noi-quy.pdf",
    )


@pytest.fixture(autouse=True)
def _private_media(media):
    """Every upload of this module goes to the test's own media folder."""
    return media


@pytest.fixture
def old_pc02(self_submitted):
    """A signed PC02 filed in the dossier, made two years ago."""
    report = report_service.generate_report(self_submitted.pk)
    document = DossierDocument.objects.get(report=report)
    two_years_ago = timezone.localdate().replace(year=timezone.localdate().year - 2)
    DossierDocument.objects.filter(pk=document.pk).update(made_on=two_years_ago)
    document.refresh_from_db()
    return document


def test_signed_minutes_are_filed_once_under_their_item(old_pc02, self_submitted):
    assert old_pc02.item == "g" and old_pc02.origin == "generated"
    assert old_pc02.report.form == Report.Form.PC02
    report_service.generate_report(self_submitted.pk)  # a second run files nothing new
    assert DossierDocument.objects.filter(premises=self_submitted.premises).count() == 1
    entry = next(e for e in dossier_of(self_submitted.premises) if e.item == "g")
    assert entry.status == "present" and entry.retained


def test_head_is_refused_deleting_a_two_year_old_pc02_in_the_portal(client, old_pc02, head):
    client.force_login(head)
    response = client.post(reverse("portal:dossier_delete", args=[old_pc02.pk]), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "phải lưu trữ tối thiểu 05 năm" in text
    until = date(old_pc02.made_on.year + 5, 12, 31) + timedelta(days=1)
    assert until.strftime("%d/%m/%Y") in text
    old_pc02.refresh_from_db()
    assert old_pc02.deleted_at is None


def test_head_is_refused_deleting_a_retained_document_through_the_api(api_client, premises, head):
    scan = _upload(head, premises, item="g", made_on=date(2024, 3, 1), title="PC02 giấy")
    response = authed(api_client, head).delete(reverse("api:dossier-document", args=[scan.pk]))
    assert response.status_code == 409
    assert response.json()["code"] == "dossier_retained"
    assert DossierDocument.objects.get(pk=scan.pk).deleted_at is None


def test_admin_cannot_delete_retained_documents(client, premises, head):
    admin = f.UserFactory(email="root@test.vn", is_staff=True, is_superuser=True)
    scan = _upload(head, premises, item="n", made_on=date(2023, 5, 1), title="Biên bản vi phạm")
    client.force_login(admin)
    changelist = reverse("admin:inspections_dossierdocument_changelist")
    response = client.post(
        changelist,
        {"action": "remove_from_dossier", "_selected_action": [scan.pk]},
        follow=True,
    )
    assert "05 năm" in response.content.decode()
    assert DossierDocument.objects.get(pk=scan.pk).deleted_at is None
    # The generic bulk delete is not offered at all.
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [scan.pk], "post": "yes"}
    )
    assert DossierDocument.objects.filter(pk=scan.pk).exists()


def test_documents_past_retention_or_not_retained_can_be_removed(premises, head):
    old = _upload(head, premises, item="g", made_on=date(2019, 6, 1), title="PC02 2019")
    rules = _upload(head, premises, item="b", made_on=date(2026, 1, 5))
    for document in (old, rules):
        removed = service.delete_dossier_document(
            user=head, document=document, today=date(2026, 11, 30)
        )
        assert removed.deleted_at is not None
    # Made in 2021: kept through 31 December 2026, removable from 1 January 2027.
    recent = _upload(head, premises, item="h", made_on=date(2021, 12, 31), title="PC04 2021")
    with pytest.raises(Conflict):
        service.delete_dossier_document(user=head, document=recent, today=date(2026, 12, 31))
    service.delete_dossier_document(user=head, document=recent, today=date(2027, 1, 1))


def test_purge_removes_files_of_removed_documents_but_never_a_retained_one(
    premises, head, settings
):
    removed = _upload(head, premises, item="b", made_on=date(2025, 1, 1))
    service.delete_dossier_document(user=head, document=removed)
    retained = _upload(head, premises, item="l", made_on=timezone.localdate(), title="Vụ cháy")
    # Whatever put it there (a bug, a manual SQL fix), a retained row stays.
    DossierDocument.objects.filter(pk__in=[removed.pk, retained.pk]).update(
        deleted_at=timezone.now() - timedelta(days=settings.DOSSIER_DELETED_KEEP_DAYS + 1)
    )
    name = removed.file.name
    assert default_storage.exists(name)
    assert service.purge_deleted_dossier_documents() == 1
    assert not DossierDocument.objects.filter(pk=removed.pk).exists()
    assert not default_storage.exists(name)
    assert DossierDocument.objects.filter(pk=retained.pk).exists()
    assert default_storage.exists(retained.file.name)


def test_uploads_are_checked_by_their_bytes_and_size(premises, head, settings):
    with pytest.raises(Invalid) as exc:
        _upload(head, premises, data=b"MZ\x90\x00 pretending.pdf")
    assert exc.value.code == "dossier_file_type"
    settings.DOSSIER_MAX_BYTES = 100
    with pytest.raises(service.TooLarge):
        _upload(head, premises, data=PDF + b"0" * 200)
    settings.DOSSIER_MAX_BYTES = 20 * 1024 * 1024
    photo = _upload(head, premises, item="e", data=f_jpeg(), title="Sổ theo dõi (ảnh)")
    assert photo.content_type == "image/jpeg" and photo.file.name.endswith(".jpg")


def f_jpeg() -> bytes:
    from tests import inspection_factories as inf

    return inf.jpeg_bytes(4, size=(120, 90))


def test_outsiders_and_other_heads_cannot_upload_see_or_download(
    client, api_client, premises, head, outsider
):
    document = _upload(head, premises)
    client.force_login(outsider)
    assert client.get(reverse("portal:dossier", args=[premises.pk])).status_code == 404
    assert client.get(reverse("portal:dossier_download", args=[document.pk])).status_code == 404
    api = authed(api_client, outsider)
    assert api.get(reverse("api:premises-dossier", args=[premises.pk])).status_code == 404
    assert api.get(reverse("api:dossier-document-file", args=[document.pk])).status_code == 404
    upload = api.post(
        reverse("api:premises-dossier", args=[premises.pk]),
        {
            "item": "b",
            "title": "x",
            "made_on": "2026-01-01",
            "file": SimpleUploadedFile("a.pdf", PDF),
        },
        format="multipart",
    )
    assert upload.status_code == 404


def test_inspector_app_lists_the_dossier_with_missing_items_and_downloads(
    api_client, premises, head, inspector, media
):
    document = _upload(head, premises)
    api = authed(api_client, inspector)
    rows = api.get(reverse("api:premises-dossier", args=[premises.pk])).json()
    assert [r["item"] for r in rows] == list("abcdđeghiklmno")
    by_item = {r["item"]: r for r in rows}
    assert by_item["b"]["status"] == "present"
    assert by_item["b"]["documents"][0]["title"] == "Nội quy PCCC"
    assert by_item["a"]["status"] == "missing" and by_item["c"]["status"] == "conditional"
    # A commune committee keeps a, h, k, l, m, n, o of its premises (Art. 4.3.c).
    mine = sorted(r["item"] for r in rows if r["kept_by_my_authority"])
    assert mine == sorted("ahklmno")
    file = api.get(by_item["b"]["documents"][0]["download_url"])
    assert file.status_code == 200
    assert file_bytes(file) == PDF
    assert "attachment" in file["Content-Disposition"]
    # An inspector sees but does not change the head's dossier.
    refused = api.delete(reverse("api:dossier-document", args=[document.pk]))
    assert refused.status_code == 403


def test_manager_of_another_authority_sees_nothing(client, premises, head, other_authority):
    document = _upload(head, premises)
    stranger = f.UserFactory(email="m2@test.vn")
    f.MembershipFactory(user=stranger, authority=other_authority, role=Membership.Role.MANAGER)
    client.force_login(stranger)
    assert client.get(reverse("portal:dossier_download", args=[document.pk])).status_code == 404


def test_pc04_half_years_end_on_15_june_and_15_december():
    assert pc04_period(date(2026, 3, 1)) == (date(2025, 12, 16), date(2026, 6, 15))
    assert pc04_period(date(2026, 6, 15)) == (date(2025, 12, 16), date(2026, 6, 15))
    assert pc04_period(date(2026, 6, 16)) == (date(2026, 6, 16), date(2026, 12, 15))
    assert pc04_period(date(2026, 12, 16)) == (date(2026, 12, 16), date(2027, 6, 15))


def test_pc01_edition_in_force_by_date():
    assert pc01_edition(date(2026, 9, 14)) == "nd105-2025"
    assert pc01_edition(date(2026, 9, 15)) == "nd347-2026"


def test_dossier_listing_reads_in_constant_queries(api_client, premises, head, inspector):
    api = authed(api_client, inspector)
    endpoint = reverse("api:premises-dossier", args=[premises.pk])
    _upload(head, premises, item="b")
    api.get(endpoint)  # warm the user's membership cache path
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert api.get(endpoint).status_code == 200
    for n in range(6):
        _upload(head, premises, item="degh"[n % 4], title=f"Tài liệu {n}")
    with CaptureQueriesContext(connection) as many:
        rows = api.get(endpoint).json()
    assert sum(len(r["documents"]) for r in rows) == 7
    assert len(many.captured_queries) == len(few.captured_queries)
