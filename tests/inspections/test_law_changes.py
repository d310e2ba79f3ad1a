"""Changes in the law: effective-dated versions, amendment files, the switch on the day, notices."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from inspections.legal.catalogue_file import (
    CATALOGUE_DIR,
    CatalogueFileError,
    catalogue_files,
    read_catalogue,
)
from inspections.models import (
    CatalogueVersion,
    LawChange,
    LegalDocument,
    Notification,
    Obligation,
    PremisesKind,
    PremisesLawChange,
)
from inspections.services import catalogue as services
from inspections.services import catalogue_loading
from inspections.services.lawchanges import apply_version_in_force, projected_effect
from tests import factories as f
from tests.conftest import authed

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

CITE = {
    "document": "999/2026/NĐ-CP",
    "article": 3,
    "clause": 2,
    "text_vi": "Sửa đổi khoản 2 Điều 3 (văn bản thử).",
    "confidence": "verified",
}


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


# --- Amendment files ---------------------------------------------------------------------


def _amendment(tmp_path, body: str):
    shutil.copy(CATALOGUE_DIR / "2025.1.yaml", tmp_path / "2025.1.yaml")
    path = tmp_path / "2025.5.yaml"
    path.write_text(body, encoding="utf-8")
    return path


AMENDMENT = """
version: "2025.5"
based_on: "2025.1"
effective_on: "2026-03-01"
documents:
  - {code: "999/2026/NĐ-CP", kind: decree, title: "Nghị định thử", effective_on: "2026-03-01"}
x-cite: &cite {document: "999/2026/NĐ-CP", article: 3, clause: 2, text_vi: "Sửa đổi khoản 2 Điều 3.", confidence: verified}
amend:
  parameters:
    replace:
      - {key: frequency.drill_months, value: 6, amended_by: [*cite]}
    rows:
      - key: appendix_vii
        replace:
          - {id: vii.karaoke, categories: [karaoke, bar], when: {fact: floor_area_m2, gte: 100}, label_vi: "Karaoke từ 100 m²", label_en: "Karaoke of 100+ m²", confidence: verified}
        remove: [vii.car_park]
        amended_by: [*cite]
  requirements:
    change:
      - {code: L55-8.3.a, set: {severity: critical}, amended_by: [*cite]}
    add:
      - code: ND999-3.2
        after: L55-8.3.a
        title_vi: Nghĩa vụ mới
        title_en: New duty
        question_vi: Đã thực hiện chưa?
        question_en: Done?
        premises_kinds: [establishment]
        citations: [*cite]
        amended_by: [*cite]
    remove:
      - {code: L55-43.2, amended_by: [*cite]}
"""


def test_amendment_file_builds_the_full_version_from_its_base(tmp_path):
    base = read_catalogue(CATALOGUE_DIR / "2025.1.yaml")
    data = read_catalogue(_amendment(tmp_path, AMENDMENT))
    assert (data.version, data.based_on, data.effective_on) == (
        "2025.5",
        "2025.1",
        date(2026, 3, 1),
    )
    assert "999/2026/NĐ-CP" in data.legal_basis and "105/2025/NĐ-CP" in data.legal_basis
    params = data.params
    assert params["frequency.drill_months"] == 6
    rows = {r["id"]: r for r in params["appendix_vii"]}
    assert "vii.car_park" not in rows and rows["vii.karaoke"]["when"]["gte"] == 100
    assert (
        params["roadmap.alarm_transmission_deadline"]
        == base.params["roadmap.alarm_transmission_deadline"]
    )
    codes = [r.code for r in data.requirements]
    assert "L55-43.2" not in codes and data.repealed["L55-43.2"][0]["article"] == 3
    assert codes[codes.index("L55-8.3.a") + 1] == "ND999-3.2"
    changed = next(r for r in data.requirements if r.code == "L55-8.3.a")
    assert changed.severity == "critical" and changed.amended_by[0]["document"] == "999/2026/NĐ-CP"
    # What the amendment does not name is the base's, unchanged.
    untouched = {r.code: r for r in base.requirements}
    same = [r for r in data.requirements if r.code not in ("L55-8.3.a", "ND999-3.2")]
    assert same == [untouched[r.code] for r in same]


def test_amendment_errors_are_reported_together(tmp_path):
    body = """
version: "2025.5"
based_on: "2025.1"
effective_on: "2026-03-01"
amend:
  parameters:
    replace: [{key: no.such.key, value: 1, amended_by: [{document: X, article: 1, text_vi: t}]}]
  requirements:
    change: [{code: L55-8.3.a, set: {severity: minor}}]
    remove: [{code: NOPE, amended_by: [{document: X, article: 1, text_vi: t}]}]
"""
    with pytest.raises(CatalogueFileError) as exc:
        read_catalogue(_amendment(tmp_path, body))
    text = "\n".join(exc.value.errors)
    assert "no.such.key: no such parameter" in text
    assert "L55-8.3.a: amended_by must cite the amending provision" in text
    assert "NOPE: no such requirement" in text
    (tmp_path / "2025.1.yaml").unlink()
    with pytest.raises(CatalogueFileError, match="2025.1.yaml not found"):
        read_catalogue(tmp_path / "2025.5.yaml")


def test_decree_347_version_is_built_on_2025_2():
    data = read_catalogue(CATALOGUE_DIR / "2026.1.yaml")
    base = read_catalogue(CATALOGUE_DIR / "2025.2.yaml")
    assert data.effective_on == date(2026, 9, 15) and "347/2026/NĐ-CP" in data.legal_basis
    dossier = next(r for r in data.requirements if r.code == "L55-8.3.g")
    assert [(c["article"], c["clause"]) for c in dossier.amended_by] == [(11, 1), (11, 2), (31, 3)]
    assert "PC01" in dossier.question_vi and "05 năm" in dossier.question_vi
    assert (
        len(dossier.citations)
        == len(next(r for r in base.requirements if r.code == "L55-8.3.g").citations) + 3
    )
    added = {r.code for r in data.requirements} - {r.code for r in base.requirements}
    assert added == {"ND105-12.1.dd"}


# --- Version in force by date ------------------------------------------------------------


@pytest.fixture
def all_versions(db):
    """Every catalogue file of the repository loaded and published, in version order."""
    for path in catalogue_files():
        catalogue_loading.load_catalogue(path, publish=True)
    return {v.label: v for v in CatalogueVersion.objects.all()}


def _preview(tmp_path, facts: dict, on: str) -> dict:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    out = io.StringIO()
    call_command("preview_obligations", str(path), "--on", on, stdout=out)
    return json.loads(out.getvalue())


def test_preview_before_and_after_decree_347(all_versions, tmp_path):
    site = {"kind": "construction_site", "province_code": 1, "ward_code": 70}
    before = _preview(tmp_path, site, "2026-09-01")
    after = _preview(tmp_path, site, "2026-10-01")
    assert (before["catalogue_version"], after["catalogue_version"]) == ("2025.2", "2026.1")
    assert after["catalogue_effective_on"] == "2026-09-15"
    codes = lambda view: {o["requirement"] for o in view["obligations"]}  # noqa: E731
    assert codes(after) - codes(before) == {"ND105-12.1.dd"}

    karaoke = {"kind": "establishment", "occupancy_category": "karaoke", "floors": 3,
               "floor_area_m2": 400, "province_code": 1, "ward_code": 70}  # fmt: skip
    dossier = lambda view: next(  # noqa: E731
        o for o in view["obligations"] if o["requirement"] == "L55-8.3.g"
    )
    docs = lambda o: {c["document"] for c in o["citations"]}  # noqa: E731
    assert "347/2026/NĐ-CP" not in docs(dossier(_preview(tmp_path, karaoke, "2026-09-14")))
    assert "347/2026/NĐ-CP" in docs(dossier(_preview(tmp_path, karaoke, "2026-09-15")))


def test_police_inspect_inland_cargo_vessels_yearly_from_15_september_2026(all_versions, tmp_path):
    vessel = {"kind": "vehicle", "occupancy_category": "inland_waterway", "capacity": 60,
              "province_code": 1, "ward_code": 70}  # fmt: skip

    def regimes(on: str) -> dict:
        derived = _preview(tmp_path, vessel, on)["derived"]
        return {
            a["authority_kind"]: a["interval_months"] for a in derived["inspecting_authorities"]
        }

    assert regimes("2026-09-14") == {"vehicle_registry": None}
    assert regimes("2026-09-15") == {"fire_police": 12, "vehicle_registry": None}


def test_inspection_keeps_the_version_in_force_on_its_date(all_versions, manager, authority):
    from inspections.services.inspections import create_inspection

    site = f.PremisesFactory(kind=PremisesKind.ESTABLISHMENT)
    early, _ = create_inspection(
        user=manager, premises=site, authority=authority, kind="periodic",
        scheduled_for=date(2026, 9, 14),
    )  # fmt: skip
    late, _ = create_inspection(
        user=manager, premises=site, authority=authority, kind="unannounced",
        scheduled_for=date(2026, 9, 15), cap_override_reason="Dấu hiệu vi phạm (thử)",
        unannounced_reason="Phản ánh về vi phạm (thử)",
    )  # fmt: skip
    assert early.catalogue_version.label == "2025.2"
    assert late.catalogue_version.label == "2026.1"


# --- Publish ahead, switch on the day, notices -------------------------------------------


@pytest.fixture
def tomorrows_version(published_catalogue):
    """A version published on 1 Dec 2026 that applies from 2 Dec 2026: one requirement
    amended (L55-8.3.a), one repealed (L55-8.3.h)."""
    with time_machine.travel(at(date(2026, 12, 1)), tick=False):
        draft = services.clone_version(published_catalogue, label="2026.9")
        draft.effective_on = date(2026, 12, 2)
        draft.repealed = {"L55-8.3.h": [CITE]}
        draft.save()
        services.update_requirement(
            draft.requirements.get(code="L55-8.3.a"), severity="critical", amended_by=[CITE]
        )
        draft.requirements.get(code="L55-8.3.h").delete()
        return services.publish_version(draft)


def test_publish_ahead_then_switch_on_the_day_notifies_once(
    eager,
    tomorrows_version,
    published_catalogue,
    premises,
    head,
    manager,
    client,
    api_client,
    django_capture_on_commit_callbacks,
):
    from inspections import tasks

    with time_machine.travel(at(date(2026, 12, 1), 8), tick=False):
        call_command("refresh_obligations")
        tasks.apply_catalogue_version_in_force.delay()
        # Published ahead of its date: nothing changes yet.
        assert not LawChange.objects.filter(to_version=tomorrows_version).exists()
        assert not Notification.objects.filter(kind="law_change").exists()
        assert Obligation.objects.filter(premises=premises, requirement__code="L55-8.3.h").exists()

    for _run in range(2):  # the beat fired twice, or a worker retried
        with (
            time_machine.travel(at(date(2026, 12, 2), 0), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            tasks.apply_catalogue_version_in_force.delay()
    change = LawChange.objects.get(to_version=tomorrows_version)
    assert change.from_version == published_catalogue and change.completed_at
    row = PremisesLawChange.objects.get(premises=premises)
    assert {(c["code"], c["change"]) for c in row.changes} == {
        ("L55-8.3.a", "amended"),
        ("L55-8.3.h", "removed"),
    }
    # Stored obligations follow the new version.
    assert not Obligation.objects.filter(premises=premises, requirement__code="L55-8.3.h").exists()
    assert (
        Obligation.objects.get(premises=premises, requirement__code="L55-8.3.a").requirement.version
        == tomorrows_version
    )

    notices = Notification.objects.filter(kind="law_change", user=head)
    assert notices.count() == 1 and notices.get().status == "sent"
    to_head = [m for m in mail.outbox if m.to == [head.email]]
    assert len(to_head) == 1
    body = to_head[0].body
    assert "Thay đổi pháp luật từ 02/12/2026" in to_head[0].subject
    assert "Không còn là nghĩa vụ" in body and "Nội dung được sửa đổi" in body
    assert "khoản 2 Điều 3 Nghị định 999/2026/NĐ-CP" in body
    summary = Notification.objects.get(kind="law_change_summary", user=manager)
    assert "L55-8.3.h" in " ".join(summary.payload["lines_vi"])

    client.force_login(head)
    page = client.get(reverse("portal:law_changes")).content.decode()
    assert page.count("Karaoke Hoàn Kiếm") == 1 and "Không còn là nghĩa vụ" in page

    body = authed(api_client, head).get("/api/v1/law-changes/").json()
    assert body["count"] == 1
    assert body["results"][0]["catalogue_version"] == "2026.9"
    assert {c["change"] for c in body["results"][0]["changes"]} == {"amended", "removed"}


def test_law_changes_are_access_checked(eager, tomorrows_version, premises, outsider, api_client):
    with time_machine.travel(at(date(2026, 12, 2), 1), tick=False):
        apply_version_in_force()
    assert PremisesLawChange.objects.count() == 1
    assert authed(api_client, outsider).get("/api/v1/law-changes/").json()["count"] == 0
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/law-changes/").status_code == 401


def test_english_notice_for_an_english_speaking_head(
    eager, tomorrows_version, premises, head, django_capture_on_commit_callbacks
):
    head.language = "en"
    head.save()
    with (
        time_machine.travel(at(date(2026, 12, 2), 1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        apply_version_in_force()
    msg = next(m for m in mail.outbox if m.to == [head.email])
    assert "Change in the law from 02/12/2026" in msg.subject
    assert "No longer an obligation" in msg.body and "Applies from" in msg.body


def test_projected_effect_before_publishing(published_catalogue, premises):
    draft = services.clone_version(published_catalogue, label="2026.8")
    draft.requirements.get(code="L55-8.3.h").delete()
    effect = projected_effect(draft)
    assert effect["from"] == published_catalogue.label and effect["premises_changed"] == 1
    row = next(r for r in effect["rows"] if r["code"] == "L55-8.3.h")
    assert (row["removed"], row["added"]) == (1, 0)


@pytest.fixture
def pending_sources(db):
    """The 2026 decrees as migration 0012 enters them. A transactional test earlier on the same
    worker flushes the tables, migration rows included, so the test states what it relies on."""
    from importlib import import_module

    pending = import_module(
        "inspections.migrations.0012_existing_versions_effective_dates_pending_sources"
    ).PENDING
    for doc in pending:
        LegalDocument.objects.get_or_create(code=doc["code"], defaults=doc)


def test_admin_diff_shows_the_projected_effect_and_pending_sources(
    client, pending_sources, published_catalogue, premises
):
    admin_user = f.UserFactory(email="admin@test.vn", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    draft = services.clone_version(published_catalogue, label="2026.8")
    draft.requirements.get(code="L55-8.3.h").delete()
    url = reverse(
        "admin:inspections_catalogueversion_diff", args=[published_catalogue.pk, draft.pk]
    )
    page = client.get(url).content.decode()
    assert "Tác động dự kiến lên sổ đăng ký" in page
    assert "Nghĩa vụ của 1 trên 1 cơ sở thay đổi" in page
    pending = client.get(
        reverse("admin:inspections_legaldocument_changelist") + "?pending=yes"
    ).content.decode()
    # The code column links to each document; confirmed sources are not listed.
    assert ">347/2026/NĐ-CP</a>" in pending and ">217/2026/NĐ-CP</a>" in pending
    assert ">105/2025/NĐ-CP</a>" not in pending


def test_switch_runs_in_batches_and_resumes_after_a_crash(
    eager, tomorrows_version, head, django_capture_on_commit_callbacks, monkeypatch
):
    from inspections.services import lawchanges

    many = [f.PremisesFactory(name=f"Karaoke {i}", heads=[head]) for i in range(5)]
    real = lawchanges.refresh_obligations
    calls = {"n": 0}

    def dies_on_the_fourth(premises, on=None):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("worker killed")
        return real(premises, on=on)

    monkeypatch.setattr(lawchanges, "refresh_obligations", dies_on_the_fourth)
    with time_machine.travel(at(date(2026, 12, 2), 1), tick=False):
        with pytest.raises(RuntimeError):
            apply_version_in_force(batch_size=2)
        change = LawChange.objects.get(to_version=tomorrows_version)
        # The first batch is stored; the second rolled back as a whole.
        assert (change.premises_done, change.completed_at) == (2, None)
        assert PremisesLawChange.objects.count() == 2
        monkeypatch.setattr(lawchanges, "refresh_obligations", real)
        with django_capture_on_commit_callbacks(execute=True):
            apply_version_in_force(batch_size=2)
            apply_version_in_force(batch_size=2)
    change.refresh_from_db()
    assert change.premises_done == 5 and change.completed_at is not None
    assert set(PremisesLawChange.objects.values_list("premises_id", flat=True)) == {
        p.pk for p in many
    }
    assert Notification.objects.filter(kind="law_change").count() == 5
