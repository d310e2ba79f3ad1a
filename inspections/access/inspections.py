"""Which inspections, findings and reports a user sees, works on and manages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Authority, Membership, User

if TYPE_CHECKING:
    from inspections.models import (
        Finding,
        Inspection,
        Premises,
        Report,
    )

from .memberships import (
    _ASSIGNED,
    _HEADED,
    _RELATION_ATTR,
    MANAGING_ROLES,
    authorities_covering,
    authorities_of,
    is_manager_of,
    is_member_of,
    memberships_of,
)
from .premises import _known_relation, is_head_of

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
