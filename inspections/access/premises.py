"""Which premises a user sees, edits, places and keeps the dossier and forms of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User

if TYPE_CHECKING:
    from inspections.models import (
        DossierDocument,
        Inspection,
        Premises,
    )

from .memberships import (
    _RELATION_ATTR,
    MANAGING_ROLES,
    authorities_covering,
    authorities_of,
    jurisdiction_q,
)

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
