"""Record numbers (số biên bản): a per-year sequence kept by each authority, or by the premises
for self-inspections (form PC02), assigned once when the record is submitted."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Authority
from inspections.models import Inspection, Premises

AUTHORITY_SUFFIX = "BB-KTPCCC"
SELF_INSPECTION_SUFFIX = "PC02"


def assign_record_number(inspection: Inspection) -> str:
    """The next free number of the inspection's register, e.g. ``007/2026/BB-KTPCCC``.

    Must run inside the submitting transaction: the register's owner row is locked so two
    submissions of the same authority never take the same number.
    """
    if inspection.number:
        return inspection.number
    year = timezone.localdate().year
    if inspection.authority_id is not None:
        Authority.objects.select_for_update().filter(pk=inspection.authority_id).first()
        register = Inspection.objects.filter(authority_id=inspection.authority_id)
        suffix = AUTHORITY_SUFFIX
    else:
        Premises.objects.select_for_update().filter(pk=inspection.premises_id).first()
        register = Inspection.objects.filter(
            authority__isnull=True, premises_id=inspection.premises_id
        )
        suffix = SELF_INSPECTION_SUFFIX
    taken = register.filter(number__endswith=f"/{year}/{suffix}").count()
    return f"{taken + 1:03d}/{year}/{suffix}"
