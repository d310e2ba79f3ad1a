"""What the portal shows a user: facility head pages, manager pages, or both (cached per request)."""

from __future__ import annotations

from accounts import access
from accounts.models import User


def is_facility_head(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_portal_is_head"):
        user._portal_is_head = user.headed_premises.exists()
    return user._portal_is_head


def is_manager(user: User) -> bool:
    """Managers and authority admins see the jurisdiction pages; superusers see everything."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(access.authorities_of(user, access.MANAGING_ROLES))


def is_inspector_only(user: User) -> bool:
    """Inspectors who neither manage nor head anything work in the phone app at /app/."""
    from accounts.models import Membership

    if not user.is_authenticated or is_manager(user) or is_facility_head(user):
        return False
    return bool(access.authorities_of(user, [Membership.Role.INSPECTOR]))


def is_inspector(user: User) -> bool:
    """Inspects for some authority, whatever else the user does (the app link in the nav)."""
    from accounts.models import Membership

    return user.is_authenticated and Membership.Role.INSPECTOR in access.roles_of(user)
