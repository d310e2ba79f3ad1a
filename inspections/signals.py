"""Receivers that keep offline phones in step with access changes made anywhere (admin, shell,
imports): the tombstones are written by ``services.lost_access``; this only routes events."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from accounts.models import Membership
from inspections.models import Premises
from inspections.services import lost_access, rollups


@receiver(post_delete, sender=Membership, dispatch_uid="membership_removed_tombstones")
def membership_removed(sender, instance: Membership, origin=None, **kwargs) -> None:
    # When the user or the authority itself is being deleted, their rows go with it: writing
    # tombstones for a user about to disappear would break the cascade.
    deleted_directly = isinstance(origin, Membership) or (
        isinstance(origin, QuerySet) and origin.model is Membership
    )
    if deleted_directly:
        lost_access.after_membership_removed(
            user_id=instance.user_id, authority_id=instance.authority_id
        )


@receiver(post_save, sender=Membership, dispatch_uid="membership_added_restores")
def membership_added(sender, instance: Membership, created: bool, raw=False, **kwargs) -> None:
    if created and not raw:
        lost_access.after_membership_added(
            user_id=instance.user_id, authority_id=instance.authority_id
        )


@receiver(m2m_changed, sender=Premises.heads.through, dispatch_uid="heads_changed_tombstones")
def heads_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action == "pre_clear":
        # clear() reports no pk_set afterwards: remember who is about to go.
        related = instance.headed_premises if reverse else instance.heads
        instance._heads_cleared = set(related.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    others = pk_set if action != "post_clear" else getattr(instance, "_heads_cleared", set())
    if not others:
        return
    if reverse:  # user.headed_premises.add/remove(...)
        premises_ids, user_ids = others, [instance.pk]
    else:  # premises.heads.add/remove(...)
        premises_ids, user_ids = [instance.pk], others
    if action == "post_add":
        lost_access.after_heads_added(premises_ids=premises_ids, user_ids=user_ids)
    else:
        lost_access.after_heads_removed(premises_ids=premises_ids, user_ids=user_ids)


@receiver(pre_delete, sender=Premises, dispatch_uid="premises_deleted_rollups")
def premises_deleted(sender, instance: Premises, **kwargs) -> None:
    # Deleting a premises (admin, shell) cascades to its share: take it out of the counters first.
    rollups.premises_deleted(instance.pk)
