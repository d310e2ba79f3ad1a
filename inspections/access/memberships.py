"""Memberships, roles and jurisdictions: who belongs to which authority, and where it acts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Required, TypedDict

from django.db.models import Q, QuerySet

from accounts.models import Authority, Membership, User

if TYPE_CHECKING:
    pass


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
