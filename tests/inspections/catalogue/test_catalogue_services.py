"""Loading, publishing, cloning and exporting catalogue versions; verbatim citations in the DB."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from inspections.legal.catalogue_file import latest_catalogue_file
from inspections.legal.parser import LAW_DOCUMENT, get_provision, vendored_law
from inspections.models import CatalogueVersion, Citation, Provision, Requirement
from inspections.selectors.catalogue import export_catalogue, version_diff
from inspections.services import catalogue as services
from inspections.services import catalogue_loading

pytestmark = pytest.mark.django_db


def _export(*args: str) -> dict:
    out = io.StringIO()
    call_command("export_catalogue", *args, stdout=out)
    return json.loads(out.getvalue())


def test_every_law_provision_is_stored_once(published_catalogue):
    law = Provision.objects.filter(document__code=LAW_DOCUMENT)
    assert law.count() == len(vendored_law().provisions) == 498
    catalogue_loading.load_law()
    assert law.count() == 498
    assert law.get(article=54, clause=4, point="").text_vi == get_provision(54, 4).text


def test_load_is_idempotent_and_published_versions_are_immutable(published_catalogue, tmp_path):
    again = catalogue_loading.load_catalogue(latest_catalogue_file(), publish=True)
    assert again.unchanged and again.version == published_catalogue
    assert CatalogueVersion.objects.count() == 1
    assert Requirement.objects.count() == published_catalogue.requirements.count()

    changed = yaml.safe_load(Path(latest_catalogue_file()).read_text(encoding="utf-8"))
    changed["requirements"][0]["title_vi"] = "Đã sửa"
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    with pytest.raises(services.CatalogueError) as exc:
        catalogue_loading.load_catalogue(path)
    assert exc.value.code == "catalogue_version_published"

    requirement = published_catalogue.requirements.first()
    with pytest.raises(services.CatalogueImmutableError):
        services.update_requirement(requirement, title_vi="Sửa lén")
    with pytest.raises(services.CatalogueImmutableError):
        services.update_parameter(published_catalogue.parameters.first(), value=2)
    with pytest.raises(services.CatalogueImmutableError):
        services.publish_version(published_catalogue)


def test_new_draft_edit_publish_and_diff(published_catalogue):
    draft = services.clone_version(published_catalogue, label="2025.9")
    assert draft.status == "draft" and draft.based_on == published_catalogue
    assert draft.requirements.count() == published_catalogue.requirements.count()
    assert (
        Citation.objects.filter(requirement__version=draft).count()
        == Citation.objects.filter(requirement__version=published_catalogue).count()
    )

    deadline = draft.parameters.get(key="roadmap.alarm_transmission_deadline")
    services.update_parameter(deadline, value="2027-12-31", confidence="secondary")
    req = draft.requirements.get(code="L55-8.3.a")
    services.update_requirement(req, severity="major")
    draft.requirements.get(code="L55-43.2").delete()
    with pytest.raises(services.CatalogueError):
        services.update_requirement(req, applicability={"fact": "floors", "gte": {"param": "nope"}})

    diff = version_diff(published_catalogue, draft)
    assert diff["requirements"]["removed"] == ["L55-43.2"]
    assert diff["requirements"]["changed"]["L55-8.3.a"]["severity"] == {
        "from": "minor",
        "to": "major",
    }
    changed = diff["parameters"]["changed"]["roadmap.alarm_transmission_deadline"]
    assert changed["value"] == {"from": "2027-07-01", "to": "2027-12-31"}

    services.publish_version(draft)
    exported = _export()  # the current version is the latest published one
    assert exported["version"] == "2025.9"
    c = next(r for r in exported["requirements"] if r["code"] == "L55-23.1.c")
    assert c["due_date"] == "2027-12-31"
    # The earlier version is untouched.
    assert _export("--label", published_catalogue.label)["requirements"][0]["severity"] == "minor"


def test_export_shape_and_verbatim_texts(published_catalogue):
    data = _export()
    assert data["version"] == "2025.2" and data["published_at"]
    assert len(data["requirements"]) == 83 and [a["code"] for a in data["advice"]] == [
        "L55-20.5-city-roadmap",
        "L55-20.5-advice",
    ]
    for r in data["requirements"]:
        assert set(r) >= {
            "code", "title_vi", "title_en", "question_vi", "question_en", "premises_kinds",
            "citations", "due_date", "severity", "evidence", "decree_points",
        }  # fmt: skip
        assert r["decree_points"], r["code"]
        for c in r["citations"]:
            assert isinstance(c["article"], int)
            assert c["clause"] is None or isinstance(c["clause"], int)
            if c["document"] == LAW_DOCUMENT:
                assert c["text_vi"] == get_provision(c["article"], c["clause"], c["point"]).text
    c = next(r for r in data["requirements"] if r["code"] == "L55-23.1.c")
    assert c["due_date"] == "2027-07-01"
    assert c["citations"][0] == {
        "document": LAW_DOCUMENT,
        "article": 23,
        "clause": 1,
        "point": "c",
        "text_vi": get_provision(23, 1, "c").text,
        "confidence": "verified",
    }
    points = {c["point"] for r in data["requirements"] for c in r["citations"]}
    assert "đ" in points


def test_export_without_published_version_fails(db):
    with pytest.raises(CommandError):
        call_command("export_catalogue", stdout=io.StringIO())


def test_load_catalogue_command_and_publish_validation(db):
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    assert "loaded as draft" in out.getvalue()
    # Every file is loaded, each as its own version with its own effective date.
    assert "catalogue 2026.1 (in force from 2026-09-15)" in out.getvalue()
    version = CatalogueVersion.objects.get(label="2025.1")
    assert version.status == "draft"
    call_command("load_catalogue", "--publish", stdout=out)
    version.refresh_from_db()
    assert version.is_published
    exported = export_catalogue(version)
    assert exported["version"] == "2025.1" and exported["effective_on"] == "2025-07-01"
    assert [d["code"] for d in exported["legal_basis"]] == [
        "198/2025/QH15",
        "105/2025/NĐ-CP",
        "55/2024/QH15",
    ]


def test_preview_obligations_command(published_catalogue, tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(
        json.dumps(
            {
                "kind": "home",
                "province_code": 1,
                "ward_code": 70,
                "floors": 4,
                "floor_area_m2": 120,
                "in_infra_deficient_area": True,
            }
        ),  # fmt: skip
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("preview_obligations", str(facts), "--on", "2027-07-02", stdout=out)
    data = json.loads(out.getvalue())
    extinguisher = next(
        o for o in data["obligations"] if o["requirement"] == "L55-20.5-extinguisher"
    )
    assert extinguisher["status"] == "unknown" and extinguisher["due_date"] is None
    assert extinguisher["citations"][0]["text_vi"] == get_provision(20, 5).text
    assert extinguisher["decree_points"] == ["n", "c", "d"]
    assert [a["requirement"] for a in data["advice"]] == ["L55-20.5-city-roadmap"]
    assert data["derived"]["in_centrally_run_city"] is True
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "home", "floors": "many"}', encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("preview_obligations", str(bad), stdout=io.StringIO())


def test_preview_derived_names_appendix_rows_authorities_and_missing_facts(
    published_catalogue, tmp_path
):
    facts = tmp_path / "shop.json"
    shop_house = {"kind": "home_business", "province_code": 1, "ward_code": 70,
                  "business_area_m2": 60}  # fmt: skip
    facts.write_text(json.dumps(shop_house), encoding="utf-8")
    out = io.StringIO()
    call_command("preview_obligations", str(facts), "--on", "2026-12-01", stdout=out)
    derived = json.loads(out.getvalue())["derived"]
    # Decree 105 Appendix I item 32 (from 50 m² of business area), not Appendix II (from 200 m²).
    assert derived["appendix_i_item"] == 32 and derived["appendix_i_row"] == "i.32"
    assert derived["in_appendix_ii"] is False and derived["appendix_ii_group"] is None
    assert [
        (a["authority_kind"], a["interval_months"]) for a in derived["inspecting_authorities"]
    ] == [("commune_committee", 36)]
    assert derived["inspecting_authorities"][0]["content_points"] == list("acd") + [
        "đ",
        "g",
        "h",
        "n",
    ]
    assert derived["missing_facts"] == ["employees"]
    assert derived["missing_facts_labels"][0]["label_en"] == "number of workers"


def test_demo_seed_loads_and_publishes(db):
    from inspections.demo import catalogue as demo

    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    assert "loaded and published" in out.getvalue() and "unchanged" in out.getvalue()
    # Every version of the repository, each published with its own effective date.
    versions = {v.label: v for v in CatalogueVersion.objects.all()}
    assert all(v.is_published for v in versions.values())
    assert versions["2026.1"].effective_on.isoformat() == "2026-09-15"
