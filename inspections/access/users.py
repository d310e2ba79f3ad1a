"""Which users a manager may name (heads of premises), without revealing other tenants'."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User

from .memberships import MANAGING_ROLES, authorities_of
from .premises import premises_managed_by


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
