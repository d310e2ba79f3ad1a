# ruff: noqa: F811  (fixtures imported from tests.inspection_fixtures are parameters here)
"""Every function of the access module, persona by persona, object by object.

Personas: inspector of authority A assigned to the inspection / not assigned, inspector of B,
manager of A / of B, facility head of the premises / of other premises, superuser, anonymous.
Objects: premises, inspection, finding, report, dossier file, notification, and the stored
files of an inspection (photo, signature, evidence).
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404

from accounts.models import Authority, Membership
from inspections import access
from inspections.models import (
    Channel,
    DossierDocument,
    DossierItem,
    FindingEvidence,
    FormDocument,
    Inspection,
    Notification,
    NotificationKind,
    Photo,
    PhotoBlob,
    Premises,
    PremisesImport,
    Report,
    Signature,
)
from inspections.services import inspections as services
from tests import factories as f
from tests import inspection_factories as inf
from tests.inspection_fixtures import (  # noqa: F401
    catalogue,
    in_progress,
    other_head,
    scheduled,
    unassigned_inspector,
)

pytestmark = pytest.mark.django_db

PERSONAS = (
    "inspector_a",
    "inspector_a_free",
    "inspector_b",
    "manager_a",
    "manager_b",
    "head",
    "other_head",
    "superuser",
    "anonymous",
)


def _new(user):
    """A fresh copy: the access module caches memberships on the user object."""
    if not user.is_authenticated:
        return user
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def world(
    in_progress,
    inspector,
    unassigned_inspector,
    other_inspector,
    manager,
    other_authority,
    head,
    other_head,
    premises,
    authority,
):
    manager_b = f.UserFactory(email="manager-b@test.vn")
    f.MembershipFactory(user=manager_b, authority=other_authority, role=Membership.Role.MANAGER)
    root = f.UserFactory(email="root@test.vn", is_staff=True, is_superuser=True)
    item = in_progress.items.first()
    finding, _ = services.raise_finding(
        user=inspector,
        inspection=in_progress,
        client_uuid=uuid.uuid4(),
        description="Bình chữa cháy hết hạn",
        item_id=item.pk,
    )
    report = Report.objects.create(inspection=in_progress, status=Report.Status.READY)
    report.file.save("record.pdf", ContentFile(b"%PDF-1.7 record"), save=True)
    document = DossierDocument(
        premises=premises, item=DossierItem.B, title="Nội quy PCCC", made_on=dt.date(2026, 1, 5)
    )
    document.file.save("noi-quy.pdf", ContentFile(b"%PDF-1.7 rules"), save=True)
    blob = PhotoBlob(sha256="a" * 64, content_type="image/jpeg", size=4, width=1, height=1)
    blob.file.save("p.jpg", ContentFile(b"jpeg"), save=True)
    photo = Photo.objects.create(
        client_uuid=uuid.uuid4(), inspection=in_progress, blob=blob, content_hash="0" * 64
    )
    signature = Signature(
        client_uuid=uuid.uuid4(),
        inspection=in_progress,
        role="inspector",
        signer_name="Trần Thị Kiểm",
        sha256="b" * 64,
        signed_at=inf.device_time(),
    )
    signature.image.save("s.png", ContentFile(b"png"), save=True)
    evidence = FindingEvidence(finding=finding, sha256="c" * 64, uploaded_by=head)
    evidence.file.save("e.pdf", ContentFile(b"%PDF-1.7 fix"), save=True)

    def note(kind, user, **extra):
        return Notification.objects.create(
            kind=kind,
            subject_key=f"{kind}:{user.pk}",
            due_on=dt.date(2026, 12, 1),
            stage="t3",
            channel=Channel.EMAIL,
            recipient_key=f"user:{user.pk}",
            user=user,
            **extra,
        )

    people = {
        "inspector_a": inspector,
        "inspector_a_free": unassigned_inspector,
        "inspector_b": other_inspector,
        "manager_a": manager,
        "manager_b": manager_b,
        "head": head,
        "other_head": other_head,
        "superuser": root,
        "anonymous": AnonymousUser(),
    }
    return {
        "people": people,
        "authority": authority,
        "other_authority": other_authority,
        "premises": premises,
        "inspection": in_progress,
        "finding": finding,
        "report": report,
        "document": document,
        "photo": photo,
        "signature": signature,
        "evidence": evidence,
        "reminder": note(NotificationKind.FINDING_DEADLINE, head, premises=premises),
        "summary": note(NotificationKind.SUMMARY_WEEKLY, manager),
    }


def who(world, check) -> set[str]:
    """The personas for whom ``check(user)`` is true (or does not raise)."""
    found = set()
    for name in PERSONAS:
        user = _new(world["people"][name])
        try:
            ok = check(user)
        except (Http404, PermissionDenied):
            ok = False
        if ok:
            found.add(name)
    return found


AUTHORITY_A_VIEW = {"inspector_a", "manager_a", "head", "superuser"}
JURISDICTION_A = {"inspector_a", "inspector_a_free", "manager_a", "head", "superuser"}


# --- Premises --------------------------------------------------------------------------------


def test_premises(world):
    p = world["premises"]
    assert who(world, lambda u: access.can_view_premises(u, p)) == JURISDICTION_A
    assert who(world, lambda u: access.premises_visible_to(u).filter(pk=p.pk).exists()) == (
        JURISDICTION_A
    )
    assert who(world, lambda u: access.access_premises(u, p.pk)) == JURISDICTION_A
    editors = {"manager_a", "head", "superuser"}
    assert who(world, lambda u: access.can_edit_premises_facts(u, p)) == editors
    assert who(world, lambda u: access.access_premises(u, p.pk, write=True)) == editors
    assert who(world, lambda u: access.can_edit_dossier(u, p)) == editors
    assert who(world, lambda u: access.premises_managed_by(u).filter(pk=p.pk).exists()) == {
        "manager_a",
        "superuser",
    }
    assert who(world, lambda u: access.is_head_of(u, p)) == {"head"}
    where = (p.province_code, p.ward_code)
    assert who(world, lambda u: access.can_place_premises(u, *where)) == {"manager_a", "superuser"}
    far = (f.SON_LA_PROVINCE, f.SON_LA_WARD)
    assert who(world, lambda u: access.can_place_premises(u, *far)) == {"manager_b", "superuser"}
    assert who(world, lambda u: access.can_manage_forms(u, p)) == {"head", "superuser"}
    with pytest.raises(Http404):
        access.access_premises(world["people"]["superuser"], 10**9)


def test_starting_an_inspection(world):
    p, a = world["premises"], world["authority"]
    assert who(world, lambda u: access.can_start_inspection(u, p, a)) == {
        "inspector_a",
        "inspector_a_free",
        "manager_a",
        "superuser",
    }
    assert who(world, lambda u: access.can_start_inspection(u, p, None)) == {"head", "superuser"}
    b = world["other_authority"]  # B does not cover the premises: nobody, not even a superuser
    assert who(world, lambda u: access.can_start_inspection(u, p, b)) == set()


# --- Inspections -----------------------------------------------------------------------------


def test_inspection(world):
    i = world["inspection"]
    assert who(world, lambda u: access.can_view_inspection(u, i)) == AUTHORITY_A_VIEW
    assert who(world, lambda u: access.access_inspection(u, i.pk)) == AUTHORITY_A_VIEW
    assert who(world, lambda u: access.inspections_visible_to(u).filter(pk=i.pk).exists()) == (
        AUTHORITY_A_VIEW
    )
    workers = {"inspector_a", "superuser"}
    assert who(world, lambda u: access.can_work_on_inspection(u, i)) == workers
    assert who(world, lambda u: access.access_inspection(u, i.pk, write=True)) == workers
    assert who(world, lambda u: access.inspections_assigned_to(u).filter(pk=i.pk).exists()) == {
        "inspector_a"
    }
    assert who(world, lambda u: access.is_assigned(u, i)) == {"inspector_a"}
    managers = {"manager_a", "superuser"}
    assert who(world, lambda u: access.can_manage_inspection(u, i)) == managers
    assert who(world, lambda u: access.inspections_managed_by(u).filter(pk=i.pk).exists()) == (
        managers
    )


def test_joint_inspection_is_visible_to_the_other_authoritys_managers(world):
    i = world["inspection"]
    Inspection.objects.filter(pk=i.pk).update(joint_authority=world["other_authority"])
    i.refresh_from_db()
    assert who(world, lambda u: access.can_view_inspection(u, i)) == AUTHORITY_A_VIEW | {
        "manager_b"
    }
    assert who(world, lambda u: access.can_manage_inspection(u, i)) == {"manager_a", "superuser"}


def test_self_inspection_is_the_heads(world, catalogue):
    i, _ = services.start_unplanned_inspection(
        user=world["people"]["head"],
        premises=world["premises"],
        client_uuid=uuid.uuid4(),
        kind=Inspection.Kind.SELF,
        authority=None,
    )
    assert who(world, lambda u: access.can_work_on_inspection(u, i)) == {"head", "superuser"}
    assert who(world, lambda u: access.inspections_assigned_to(u).filter(pk=i.pk).exists()) == {
        "head"
    }


# --- Findings, reports, stored files ---------------------------------------------------------


def test_finding(world):
    fd = world["finding"]
    assert who(world, lambda u: access.findings_visible_to(u).filter(pk=fd.pk).exists()) == (
        AUTHORITY_A_VIEW
    )
    assert who(world, lambda u: access.can_remediate_finding(u, fd)) == {"head", "superuser"}
    assert who(world, lambda u: access.can_verify_remediation(u, fd)) == {
        "inspector_a",
        "manager_a",
        "superuser",
    }


def test_report_and_stored_files(world):
    r, i = world["report"], world["inspection"]
    assert who(world, lambda u: access.can_view_report(u, r)) == AUTHORITY_A_VIEW
    assert who(world, lambda u: access.access_report(u, r.pk)) == AUTHORITY_A_VIEW
    photo, sig = world["photo"], world["signature"]
    assert who(world, lambda u: access.access_photo(u, i.pk, photo.client_uuid)) == (
        AUTHORITY_A_VIEW
    )
    assert who(world, lambda u: access.access_signature(u, i.pk, sig.client_uuid)) == (
        AUTHORITY_A_VIEW
    )
    assert who(world, lambda u: access.access_evidence(u, world["evidence"].pk)) == (
        AUTHORITY_A_VIEW
    )
    # A pending record (no file yet) is missing for everybody.
    Report.objects.filter(pk=r.pk).update(status=Report.Status.PENDING)
    assert who(world, lambda u: access.access_report(u, r.pk)) == set()
    # An unknown client UUID on a visible inspection is a 404 too.
    assert who(world, lambda u: access.access_photo(u, i.pk, uuid.uuid4())) == set()


def test_dossier_file(world):
    d = world["document"]
    assert who(world, lambda u: access.access_dossier_document(u, d.pk)) == JURISDICTION_A
    DossierDocument.objects.filter(pk=d.pk).update(deleted_at=inf.device_time())
    assert who(world, lambda u: access.access_dossier_document(u, d.pk)) == set()


def test_stored_replies(world):
    for key in ("inspection", "finding", "photo", "signature"):
        obj = world[key]
        assert who(world, lambda u, o=obj: access.can_view_stored(u, o)) == AUTHORITY_A_VIEW, key
        assert who(world, lambda u, o=obj: access.access_stored(u, o)) == AUTHORITY_A_VIEW, key
    assert who(world, lambda u: access.can_view_stored(u, world["premises"])) == JURISDICTION_A
    assert who(world, lambda u: access.can_view_stored(u, world["report"].inspection)) == (
        AUTHORITY_A_VIEW
    )
    assert who(world, lambda u: access.can_view_stored(u, object())) == set()


# --- Notifications ---------------------------------------------------------------------------


def test_notifications(world):
    reminder, summary = world["reminder"], world["summary"]
    assert who(
        world,
        lambda u: access.notifications_visible_to_manager(u).filter(pk=reminder.pk).exists(),
    ) == {"manager_a", "head", "superuser"}
    assert who(world, lambda u: access.access_summary(u, summary.pk)) == {"manager_a"}
    assert who(world, lambda u: access.access_summary(u, reminder.pk)) == set()


# --- Authorities, roles, inspectors, jurisdiction --------------------------------------------


def test_roles_and_memberships(world):
    a, b = world["authority"], world["other_authority"]
    assert who(world, lambda u: access.is_manager_of(u, a.pk)) == {"manager_a", "superuser"}
    assert who(world, lambda u: access.is_member_of(u, b.pk)) == {
        "inspector_b",
        "manager_b",
        "superuser",
    }
    assert who(world, lambda u: access.is_manager(u)) == {"manager_a", "manager_b", "superuser"}
    assert who(world, lambda u: access.is_facility_head(u)) == {"head", "other_head"}
    assert who(world, lambda u: access.is_inspector_only(u)) == {
        "inspector_a",
        "inspector_a_free",
        "inspector_b",
    }
    # Inspects for some authority whatever else the user does (the app link in the nav): a
    # manager who also inspects is one, the superuser without a membership is not.
    assert who(world, lambda u: access.is_inspector(u)) == {
        "inspector_a",
        "inspector_a_free",
        "inspector_b",
    }
    f.MembershipFactory(
        user=world["people"]["manager_b"], authority=b, role=Membership.Role.INSPECTOR
    )
    assert access.is_inspector(_new(world["people"]["manager_b"]))
    assert not access.is_inspector_only(_new(world["people"]["manager_b"]))
    assert "manager" in access.roles_of(_new(world["people"]["manager_b"]))
    Membership.objects.filter(user=world["people"]["manager_b"], role="inspector").delete()
    assert who(world, lambda u: "manager" in access.roles_of(u)) == {"manager_a", "manager_b"}
    assert who(world, lambda u: a in access.authorities_of(u)) == {
        "inspector_a",
        "inspector_a_free",
        "manager_a",
    }
    assert who(world, lambda u: bool(access.memberships_of(u))) == {
        "inspector_a",
        "inspector_a_free",
        "inspector_b",
        "manager_a",
        "manager_b",
    }
    assert who(world, lambda u: access.authorities_managed_by(u).filter(pk=b.pk).exists()) == {
        "manager_b",
        "superuser",
    }
    assert who(world, lambda u: access.authorities_visible_to(u).filter(pk=a.pk).exists()) == {
        "inspector_a",
        "inspector_a_free",
        "manager_a",
        "superuser",
    }
    in_b = Membership.objects.filter(authority=b)
    assert who(world, lambda u: access.memberships_visible_to(u).filter(pk__in=in_b).exists()) == {
        "manager_b",
        "superuser",
    }


def test_who_may_be_assigned_to_inspect(world):
    people = world["people"]
    admin_only = f.UserFactory(email="it-admin@test.vn")
    f.MembershipFactory(user=admin_only, authority=world["authority"], role=Membership.Role.ADMIN)
    gone = f.UserFactory(email="left@test.vn", is_active=False)
    f.MembershipFactory(user=gone, authority=world["authority"], role=Membership.Role.INSPECTOR)
    assert set(access.inspectors_of(world["authority"])) == {
        people["inspector_a"],
        people["inspector_a_free"],
        people["manager_a"],
    }
    both = access.inspectors_of([world["authority"], world["other_authority"]])
    assert people["inspector_b"] in both and people["manager_b"] in both
    assert list(both) == sorted(both, key=lambda u: (u.full_name, u.email))


def test_which_authorities_cover_a_ward(world):
    a, b = world["authority"], world["other_authority"]
    whole = Authority.objects.create(
        name="Công an tỉnh", kind="fire_police", province_code=a.province_code
    )
    p = world["premises"]
    assert set(access.authorities_covering(p.province_code, p.ward_code)) == {a, whole}
    assert access.authorities_covering(p.province_code, p.ward_code, among=[b]) == []
    other_ward = next(w for w in range(1, 40000) if w not in a.ward_codes)
    assert access.authorities_covering(p.province_code, other_ward) == [whole]
    in_a = Premises.objects.filter(access.jurisdiction_q([a]))
    in_b = Premises.objects.filter(access.jurisdiction_q([b]))
    assert p in in_a and p not in in_b
    assert set(in_a) == {
        q for q in Premises.objects.all() if a.covers(q.province_code, q.ward_code)
    }
    assert Premises.objects.filter(access.jurisdiction_q([])).count() == 0


def test_pickers_and_imports(world):
    people = world["people"]
    assert who(
        world,
        lambda u: (
            access.joint_authorities_pickable_by(u).filter(pk=world["other_authority"].pk).exists()
        ),
    ) == {"inspector_b", "manager_b", "superuser"}
    job = PremisesImport.objects.create(
        created_by=people["manager_a"], file_name="a.csv", content=b"x"
    )
    assert who(world, lambda u: access.import_jobs_visible_to(u).filter(pk=job.pk).exists()) == {
        "manager_a",
        "superuser",
    }
    head = people["head"]
    assert who(world, lambda u: access.users_pickable_by(u).filter(pk=head.pk).exists()) == {
        "manager_a",
        "superuser",
    }
    form = FormDocument.objects.create(
        premises=world["premises"],
        form=FormDocument.Form.PC04,
        status=FormDocument.Status.READY,
        recipient=world["authority"],
        created_by=head,
    )
    assert who(world, lambda u: access.forms_received_by(u).filter(pk=form.pk).exists()) == {
        "manager_a",
        "superuser",
    }


def test_every_access_function_has_a_direct_test():
    import inspect
    from pathlib import Path

    source = Path(__file__).read_text()
    public = [name for name in access.__all__ if inspect.isfunction(getattr(access, name))]
    # Every public function of the package's modules is in __all__: none escapes the test.
    modules = [m for name, m in vars(access).items() if inspect.ismodule(m)]
    defined = {
        name
        for m in modules
        for name, obj in vars(m).items()
        if inspect.isfunction(obj) and obj.__module__ == m.__name__ and name[0] != "_"
    }
    assert defined == set(public)
    assert len(public) > 40
    assert [n for n in public if f"access.{n}(" not in source] == []
