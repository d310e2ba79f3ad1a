"""Stored files and stored objects: served or shown only to who may see their owner."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User

if TYPE_CHECKING:
    from inspections.models import (
        FindingEvidence,
        Notification,
        Photo,
        Report,
        Signature,
    )

from .inspections import access_inspection, can_view_inspection, can_view_report
from .memberships import MANAGING_ROLES, authorities_of
from .premises import can_view_premises, premises_managed_by

# --- Stored files --------------------------------------------------------------------------
# A file is served only by a view that fetched its row here (config/private_files.py then hands
# it over). What the caller may not see is a 404, whatever the id or hash they guessed.

T = TypeVar("T")


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
