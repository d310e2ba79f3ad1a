"""Who may see and change which premises, inspection, finding and report.

The one permission module: every API view, portal page and task asks here. Objects a user may
not see are reported as missing (404) so their existence does not leak; objects a user may see
but not change raise PermissionDenied (403).

Rules:
- superusers see everything;
- a member of an authority (any role) sees the premises in its jurisdiction (province, and its
  wards unless the ward list is empty);
- inspectors see and work on the inspections of their authority they are assigned to;
  managers and authority admins see and manage all inspections of their authority, and see
  the joint inspections another authority leads with theirs;
- a facility head sees the premises they head, their inspections, findings and reports, and
  runs self-inspections of those premises only;
- who may be assigned to inspect for an authority: its active inspectors and managers
  (``INSPECTING_ROLES``; an authority admin keeps accounts, not checklists);
- which authorities cover a province and ward: ``authorities_covering`` (``Authority.covers``
  is the single-row rule, ``jurisdiction_q`` its SQL form);
- a conflict or replay reply (a client UUID sent again, a 409 carrying the stored object) shows
  the stored object only to who may see it: ``access_stored`` answers 404 otherwise, so a UUID
  learnt elsewhere neither reveals another tenant's object nor confirms that it exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Required, TypedDict, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Authority, Membership, User

if TYPE_CHECKING:
    from inspections.models import (
        DossierDocument,
        Finding,
        FindingEvidence,
        Inspection,
        Notification,
        Photo,
        Premises,
        Report,
        Signature,
    )

T = TypeVar("T")

MANAGING_ROLES = (Membership.Role.MANAGER, Membership.Role.ADMIN)
INSPECTING_ROLES = (Membership.Role.INSPECTOR, Membership.Role.MANAGER)


# Attributes this module keeps on model instances (not fields): the user's memberships, read
# once; and, per inspection or premises read with ``_with_relations_of``, (user id, related?).
_CACHE_ATTR = "_access_cache"
_RELATION_ATTR = "_relation_of"
_ASSIGNED, _HEADED = "_assigned", "_headed"


class _AccessCache(TypedDict, total=False):
    memberships: Required[list[Membership]]
    is_head: bool


def _cache(user: User) -> _AccessCache:
    # Memberships are read once per request/user object: views call several checks.
    cache: _AccessCache | None = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        rows = (
            list(Membership.objects.filter(user_id=user.pk).select_related("authority"))
            if user.is_authenticated
            else []
        )
        cache = {"memberships": rows}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def memberships_of(user: User) -> list[Membership]:
    return _cache(user)["memberships"]


def authorities_of(user: User, roles: Iterable[str] | None = None) -> list[Authority]:
    roles = set(roles) if roles is not None else None
    seen: dict[int, Authority] = {}
    for m in memberships_of(user):
        if roles is None or m.role in roles:
            seen[m.authority_id] = m.authority
    return list(seen.values())


def roles_of(user: User) -> set[str]:
    return {m.role for m in memberships_of(user)}


def is_manager_of(user: User, authority_id: int | None) -> bool:
    if user.is_superuser:
        return True
    return any(
        m.authority_id == authority_id and m.role in MANAGING_ROLES for m in memberships_of(user)
    )


def is_member_of(user: User, authority_id: int | None) -> bool:
    if user.is_superuser:
        return True
    return any(m.authority_id == authority_id for m in memberships_of(user))


def authorities_managed_by(user: User) -> QuerySet[Authority]:
    """The authorities whose inspections and jurisdiction the user manages (all: superuser)."""
    if user.is_superuser:
        return Authority.objects.all()
    return Authority.objects.filter(pk__in=[a.pk for a in authorities_of(user, MANAGING_ROLES)])


def authorities_visible_to(user: User) -> QuerySet[Authority]:
    if user.is_superuser:
        return Authority.objects.all()
    return Authority.objects.filter(pk__in=[a.pk for a in authorities_of(user)])


def joint_authorities_pickable_by(user: User) -> QuerySet[Authority]:
    """Authorities a manager may name as the other side of a joint inspection: those of the
    provinces their authorities are in (the service then checks kind and jurisdiction)."""
    if user.is_superuser:
        return Authority.objects.all()
    return Authority.objects.filter(
        province_code__in=[a.province_code for a in authorities_of(user)]
    )


def memberships_visible_to(user: User) -> QuerySet[Membership]:
    """Memberships of the authorities the user manages (all: superuser)."""
    if user.is_superuser:
        return Membership.objects.all()
    return Membership.objects.filter(
        authority_id__in=[a.pk for a in authorities_of(user, MANAGING_ROLES)]
    )


def authorities_covering(
    province_code: int, ward_code: int | None, *, among: Iterable[Authority] | None = None
) -> list[Authority]:
    """The authorities whose jurisdiction holds this province and ward: ``among`` those given
    (in memory), else all authorities of the province (one query)."""
    if among is None:
        among = Authority.objects.filter(province_code=province_code)
    return [a for a in among if a.covers(province_code, ward_code)]


# --- Portal roles (what pages a user gets) ---------------------------------------------------


def is_facility_head(user: User) -> bool:
    if not user.is_authenticated:
        return False
    cache = _cache(user)
    if "is_head" not in cache:
        cache["is_head"] = user.headed_premises.exists()
    return cache["is_head"]


def is_manager(user: User) -> bool:
    """Managers and authority admins see the jurisdiction pages; superusers see everything."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(authorities_of(user, MANAGING_ROLES))


def is_inspector_only(user: User) -> bool:
    """Inspectors who neither manage nor head anything work in the phone app at /app/."""
    if not user.is_authenticated or is_manager(user) or is_facility_head(user):
        return False
    return bool(authorities_of(user, [Membership.Role.INSPECTOR]))


def is_inspector(user: User) -> bool:
    """Inspects for some authority, whatever else the user does (the app link in the nav)."""
    return user.is_authenticated and Membership.Role.INSPECTOR in roles_of(user)


# --- Inspectors ----------------------------------------------------------------------------


def inspectors_of(authorities: Authority | Iterable[Authority]) -> QuerySet[User]:
    """Users who may be assigned to inspect for one of ``authorities`` (the one definition:
    the portal's and the admin's pickers, the workload table and the assignment service)."""
    if isinstance(authorities, Authority):
        authorities = [authorities]
    ids = [a.pk for a in authorities]
    members = Membership.objects.filter(authority_id__in=ids, role__in=INSPECTING_ROLES)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "full_name", "email"
    )


def jurisdiction_q(authorities: Iterable[Authority], prefix: str = "") -> Q:
    """Q over premises fields (optionally through ``prefix``, e.g. "premises__")."""
    q = Q(pk__in=[])
    for a in authorities:
        part = Q(**{f"{prefix}province_code": a.province_code})
        if a.ward_codes:
            part &= Q(**{f"{prefix}ward_code__in": list(a.ward_codes)})
        q |= part
    return q


# --- Premises ------------------------------------------------------------------------------


def premises_visible_to(user: User) -> QuerySet[Premises]:
    from inspections.models import Premises

    qs = Premises.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(jurisdiction_q(authorities_of(user)) | Q(heads=user)).distinct()


def premises_managed_by(user: User) -> QuerySet[Premises]:
    """Premises in the jurisdiction of the authorities the user manages (dashboards, planning).

    No join and no DISTINCT, so aggregations over 100,000 premises stay index scans.
    """
    from inspections.models import Premises

    qs = Premises.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(jurisdiction_q(authorities_of(user, MANAGING_ROLES)))


def can_view_premises(user: User, premises: Premises) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_head_of(user, premises):
        return True
    return bool(
        authorities_covering(premises.province_code, premises.ward_code, among=authorities_of(user))
    )


def _known_relation(obj: Inspection | Premises, user: User) -> bool | None:
    """What ``_remember_relations`` stored on ``obj`` for ``user``; None when not known."""
    known: tuple[int, bool] | None = getattr(obj, _RELATION_ATTR, None)
    if known is not None and known[0] == user.pk:
        return known[1]
    return None


def is_head_of(user: User, premises: Premises) -> bool:
    known = _known_relation(premises, user)
    if known is not None:
        return user.is_authenticated and known
    return user.is_authenticated and premises.heads.filter(pk=user.pk).exists()


def can_edit_premises_facts(user: User, premises: Premises) -> bool:
    """Heads update the facts they are responsible for; managers of the jurisdiction too."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_head_of(user, premises):
        return True
    managed = authorities_of(user, MANAGING_ROLES)
    return bool(authorities_covering(premises.province_code, premises.ward_code, among=managed))


def can_place_premises(user: User, province_code: int | None, ward_code: int | None) -> bool:
    """May ``user`` register premises at this place, or move premises to or from it (admin,
    CSV import)? Superusers anywhere; managers inside the jurisdiction they manage."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not province_code:
        return False
    managed = authorities_of(user, MANAGING_ROLES)
    return bool(authorities_covering(province_code, ward_code, among=managed))


def access_premises(user: User, pk: int, *, write: bool = False) -> Premises:
    from inspections.models import Premises

    try:
        premises = Premises.objects.get(pk=pk)
    except (Premises.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can_view_premises(user, premises):
        raise Http404
    if write and not can_edit_premises_facts(user, premises):
        raise PermissionDenied
    return premises


# --- Inspections ---------------------------------------------------------------------------


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    from inspections.models import Inspection

    qs = Inspection.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    managed = [a.pk for a in authorities_of(user, MANAGING_ROLES)]
    inspecting = [a.pk for a in authorities_of(user, [Membership.Role.INSPECTOR])]
    q = Q(authority_id__in=managed) | Q(joint_authority_id__in=managed)
    q |= Q(authority_id__in=inspecting, inspectors=user)
    q |= Q(premises__heads=user)
    return qs.filter(pk__in=Inspection.objects.filter(q).values("pk"))


def inspections_assigned_to(user: User) -> QuerySet[Inspection]:
    """What a user works on from a phone: inspections of their authorities they are assigned to,
    and the self-inspections of the premises they head (the offline sync set)."""
    from inspections.models import Inspection

    if not user.is_authenticated:
        return Inspection.objects.none()
    member_of = [m.authority_id for m in memberships_of(user)]
    q = Q(authority_id__in=member_of, inspectors=user)
    q |= Q(kind=Inspection.Kind.SELF, authority__isnull=True, premises__heads=user)
    return Inspection.objects.filter(pk__in=Inspection.objects.filter(q).values("pk"))


def inspections_managed_by(user: User) -> QuerySet[Inspection]:
    """Inspections of the authorities the user manages (the manager's list; no OR, no join)."""
    from inspections.models import Inspection

    qs = Inspection.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(authority_id__in=[a.pk for a in authorities_of(user, MANAGING_ROLES)])


def can_view_inspection(user: User, inspection: Inspection) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_manager_of(user, inspection.authority_id):
        return True
    if inspection.joint_authority_id and is_manager_of(user, inspection.joint_authority_id):
        return True  # the other authority of a joint inspection follows it (read only)
    if is_head_of(user, inspection.premises):
        return True
    return is_member_of(user, inspection.authority_id) and is_assigned(user, inspection)


def is_assigned(user: User, inspection: Inspection) -> bool:
    known = _known_relation(inspection, user)
    if known is not None:
        return known
    return inspection.inspectors.filter(pk=user.pk).exists()


def _with_relations_of(user: User, qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """Read, with the inspection, whether ``user`` is assigned to it and heads its premises.

    ``can_view_inspection`` and ``can_work_on_inspection`` then answer without a query each:
    one read decides the permissions of a request instead of three "assigned?" queries.
    """
    from django.db.models import Exists, OuterRef

    from inspections.models import Inspection, Premises

    assigned = Inspection.inspectors.through.objects.filter(
        inspection_id=OuterRef("pk"), user_id=user.pk
    )
    heads = Premises.heads.through.objects.filter(
        premises_id=OuterRef("premises_id"), user_id=user.pk
    )
    return qs.annotate(**{_ASSIGNED: Exists(assigned), _HEADED: Exists(heads)})


def _remember_relations(user: User, inspection: Inspection) -> Inspection:
    # Valid for this instance only: a later read (or another user) asks the database again.
    setattr(inspection, _RELATION_ATTR, (user.pk, getattr(inspection, _ASSIGNED)))
    setattr(inspection.premises, _RELATION_ATTR, (user.pk, getattr(inspection, _HEADED)))
    return inspection


def can_work_on_inspection(user: User, inspection: Inspection) -> bool:
    """May record answers, photos, findings and signatures, and submit."""
    from inspections.models import Inspection

    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if inspection.kind == Inspection.Kind.SELF and inspection.authority_id is None:
        return is_head_of(user, inspection.premises)
    return is_member_of(user, inspection.authority_id) and is_assigned(user, inspection)


def can_manage_inspection(user: User, inspection: Inspection) -> bool:
    """May schedule, assign, reassign and cancel."""
    return user.is_authenticated and is_manager_of(user, inspection.authority_id)


def access_inspection(
    user: User, pk: int, *, write: bool = False, lock: bool = False
) -> Inspection:
    """The inspection ``pk`` if ``user`` may see it (404 otherwise), and work on it if ``write``
    (403 otherwise), in one read; ``lock`` takes the row lock in that read (inside a
    transaction), so a service needs no second read to lock it."""
    from inspections.models import Inspection

    qs = Inspection.objects.select_related("premises", "authority")
    if lock:
        # Not the authority: it is the nullable side of an outer join (self-inspections).
        qs = qs.select_for_update(of=("self", "premises"))
    if user.is_authenticated:
        qs = _with_relations_of(user, qs)
    try:
        inspection = qs.get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if user.is_authenticated:
        _remember_relations(user, inspection)
    if not can_view_inspection(user, inspection):
        raise Http404
    if write and not can_work_on_inspection(user, inspection):
        raise PermissionDenied
    return inspection


def can_start_inspection(user: User, premises: Premises, authority: Authority | None) -> bool:
    """Inspectors start unplanned inspections in their jurisdiction; heads self-inspect."""
    if not user.is_authenticated:
        return False
    if authority is None:
        return user.is_superuser or is_head_of(user, premises)
    return (user.is_superuser or is_member_of(user, authority.pk)) and bool(
        authorities_covering(premises.province_code, premises.ward_code, among=[authority])
    )


# --- Findings and reports ------------------------------------------------------------------


def findings_visible_to(user: User) -> QuerySet[Finding]:
    from inspections.models import Finding

    return Finding.objects.filter(inspection__in=inspections_visible_to(user))


def can_remediate_finding(user: User, finding: Finding) -> bool:
    """Facility heads answer their findings with evidence."""
    return user.is_authenticated and (user.is_superuser or is_head_of(user, finding.premises))


def can_verify_remediation(user: User, finding: Finding) -> bool:
    """Who confirms a remediation (or sends it back): the authority that raised the finding —
    its managers and the inspectors assigned to that inspection. A self-inspection has no
    authority; its findings are the head's own, so the head closes them."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    inspection = finding.inspection
    if inspection.authority_id is None:
        return is_head_of(user, finding.premises)
    if is_manager_of(user, inspection.authority_id):
        return True
    return is_member_of(user, inspection.authority_id) and is_assigned(user, inspection)


def can_view_report(user: User, report: Report) -> bool:
    return can_view_inspection(user, report.inspection)


# --- Stored files --------------------------------------------------------------------------
# A file is served only by a view that fetched its row here (config/private_files.py then hands
# it over). What the caller may not see is a 404, whatever the id or hash they guessed.


def access_report(user: User, pk: int) -> Report:
    """A ready signed record, for whoever may see its inspection."""
    from inspections.models import Report

    try:
        report = Report.objects.select_related("inspection__premises").get(
            pk=pk, status=Report.Status.READY
        )
    except (Report.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not report.file or not can_view_report(user, report):
        raise Http404
    return report


def access_photo(user: User, inspection_pk: int, client_uuid) -> Photo:
    from inspections.models import Photo

    inspection = access_inspection(user, inspection_pk)
    photo = (
        Photo.objects.select_related("blob")
        .filter(inspection=inspection, client_uuid=client_uuid)
        .first()
    )
    if photo is None:
        raise Http404
    return photo


def access_signature(user: User, inspection_pk: int, client_uuid) -> Signature:
    from inspections.models import Signature

    inspection = access_inspection(user, inspection_pk)
    signature = Signature.objects.filter(inspection=inspection, client_uuid=client_uuid).first()
    if signature is None:
        raise Http404
    return signature


def access_evidence(user: User, pk: int) -> FindingEvidence:
    """Remediation evidence: the head who answers the finding and the authority that checks it."""
    from inspections.models import FindingEvidence

    try:
        evidence = FindingEvidence.objects.select_related(
            "finding__inspection__premises", "finding__premises"
        ).get(pk=pk)
    except (FindingEvidence.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can_view_inspection(user, evidence.finding.inspection):
        raise Http404
    return evidence


def access_summary(user: User, pk: int) -> Notification:
    """A compliance summary's files: only its recipient (they hold that jurisdiction's rows)."""
    from inspections.models import Notification, NotificationKind

    if not user.is_authenticated:
        raise Http404
    kinds = (NotificationKind.SUMMARY_WEEKLY, NotificationKind.SUMMARY_MONTHLY)
    try:
        notification = Notification.objects.get(pk=pk, kind__in=kinds, user_id=user.pk)
    except (Notification.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    return notification


def import_jobs_visible_to(user: User):
    """CSV import jobs: their author's (all: superuser)."""
    from inspections.models import PremisesImport

    qs = PremisesImport.objects.all()
    if not user.is_authenticated:
        return qs.none()
    return qs if user.is_superuser else qs.filter(created_by=user)


def notifications_visible_to_manager(user: User) -> QuerySet[Notification]:
    """The notification log of a manager: reminders about premises of the jurisdiction they
    manage, their authorities' webhooks, and their own notifications."""
    from inspections.models import Notification

    qs = Notification.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    managed = authorities_of(user, MANAGING_ROLES)
    return qs.filter(
        Q(premises__in=premises_managed_by(user).values("pk"))
        | Q(webhook__authority__in=[a.pk for a in managed])
        | Q(user=user)
    )


# --- Users -----------------------------------------------------------------------------------


def users_pickable_by(user: User, *, by_email: bool = False) -> QuerySet[User]:
    """Users a manager may name as heads: those of their jurisdiction (members of the
    authorities they manage, heads of premises there). Named by e-mail (an import), also users
    of no tenant yet — a new head — but never another tenant's users, who answer as unknown so
    that the reply confirms nobody; lists never show users of no tenant."""
    if user.is_superuser:
        return User.objects.all()
    managed = [a.pk for a in authorities_of(user, MANAGING_ROLES)]
    q = Q(memberships__authority_id__in=managed) | Q(
        pk__in=premises_managed_by(user).values("heads")
    )
    if by_email:
        q |= Q(memberships__isnull=True, headed_premises__isnull=True)
    return User.objects.filter(pk__in=User.objects.filter(q).values("pk"), is_active=True)


# --- Stored objects named by a client's key (replays and conflicts) -----------------------


def can_view_stored(user: User, obj: object) -> bool:
    """May ``user`` see ``obj``, an object a resend or a conflict would hand back?

    Objects of unknown kind are refused: a new kind of reply must be added here first.
    """
    from inspections.models import Finding, Inspection, Premises

    if isinstance(obj, Inspection):
        return can_view_inspection(user, obj)
    if isinstance(obj, Premises):
        return can_view_premises(user, obj)
    if isinstance(obj, Finding):
        return can_view_inspection(user, obj.inspection)
    inspection = getattr(obj, "inspection", None)
    if isinstance(inspection, Inspection):  # answers, photos, signatures
        return can_view_inspection(user, inspection)
    return False


def access_stored(user: User, obj: T) -> T:
    """``obj`` when ``user`` may see it, else 404 (as if the client UUID were unknown)."""
    if not can_view_stored(user, obj):
        raise Http404
    return obj


# --- Fire-safety dossier and forms (Decree 105 Art. 4) -------------------------------------


def can_edit_dossier(user: User, premises: Premises) -> bool:
    """The head keeps the dossier (Art. 4.2); managers of the jurisdiction may add to it."""
    return can_edit_premises_facts(user, premises)


def access_dossier_document(user: User, pk: int) -> DossierDocument:
    """A dossier document (and its file) for whoever may see its premises; deleted ones are
    gone for everybody."""
    from inspections.models import DossierDocument

    try:
        document = DossierDocument.objects.select_related(
            "premises", "report", "form_document"
        ).get(pk=pk, deleted_at=None)
    except (DossierDocument.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can_view_premises(user, document.premises):
        raise Http404
    return document


def can_manage_forms(user: User, premises: Premises) -> bool:
    """Only the head (or a superuser) drafts, edits and sends the premises' own PC01/PC04."""
    return user.is_authenticated and (user.is_superuser or is_head_of(user, premises))


def forms_received_by(user: User):
    """Signed forms sent to an authority the user manages (PC04 reports they receive)."""
    from inspections.models import FormDocument

    qs = FormDocument.objects.filter(status=FormDocument.Status.READY)
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs.exclude(recipient=None)
    ids = [a.pk for a in authorities_of(user, MANAGING_ROLES)]
    return qs.filter(recipient_id__in=ids)
