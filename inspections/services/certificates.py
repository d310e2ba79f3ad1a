"""Training certificates of a premises (Art. 45.1): added and removed with an audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from inspections import access
from inspections.models import Premises, PremisesChange, TrainingCertificate
from inspections.services.obligations import refresh_obligations


def _describe(cert: TrainingCertificate) -> dict:
    return {
        "holder_name": cert.holder_name,
        "role": cert.role,
        "duty": cert.duty,
        "training_kind": cert.training_kind,
        "number": cert.number,
        "issued_on": cert.issued_on.isoformat() if cert.issued_on else None,
        "expires_on": cert.expires_on.isoformat() if cert.expires_on else None,
    }


def _refresh(premises: Premises) -> None:
    # Obligations on training read the certificates: recompute them as the facts service does.
    refresh_obligations(premises)


def add_training_certificate(
    *,
    user: User,
    premises: Premises,
    holder_name: str,
    role: str = "",
    duty: str = "head",
    training_kind: str = "full",
    number: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    source: str = "portal",
) -> TrainingCertificate:
    if not access.can_edit_premises_facts(user, premises):
        raise PermissionDenied
    cert = TrainingCertificate(
        premises=premises,
        holder_name=holder_name,
        role=role,
        duty=duty,
        training_kind=training_kind,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    cert.full_clean()
    with transaction.atomic():
        cert.save()
        PremisesChange.objects.create(
            premises=premises,
            changed_by=user,
            source=source,
            changes={"training_certificates": [None, _describe(cert)]},
        )
        _refresh(premises)
    return cert


def remove_training_certificate(
    *, user: User, certificate: TrainingCertificate, source: str = "portal"
) -> None:
    premises = certificate.premises
    if not access.can_edit_premises_facts(user, premises):
        raise PermissionDenied
    with transaction.atomic():
        PremisesChange.objects.create(
            premises=premises,
            changed_by=user,
            source=source,
            changes={"training_certificates": [_describe(certificate), None]},
        )
        certificate.delete()
        _refresh(premises)
