"""Collect the reminders of training certificates that expire soon or have expired."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import F

from inspections.lookups import AnyOf
from inspections.models import TrainingCertificate
from inspections.rules.reminders.certificates import training_reminder
from inspections.rules.reminders.reminder import DueReminder
from inspections.rules.reminders.schedule import lookahead_days
from inspections.selectors.notifications import reminder_config
from inspections.services.reminders.jurisdictions import Jurisdictions
from inspections.services.reminders.pages import EVERY_PREMISES, Span, heads_of, pages

FIELDS = [
    "premises_id",
    "premises__name",
    "premises__province_code",
    "premises__ward_code",
    "holder_name",
    "expires_on",
    "duty",
]


def certificate_reminders(
    today: date, j: Jurisdictions, batch: int, span: Span = EVERY_PREMISES
) -> Iterator[list[DueReminder]]:
    """Certificates expiring up to the largest offset ahead, unless the holder has a newer one."""
    config = reminder_config("training_expiry")
    horizon = today + timedelta(days=lookahead_days(config))
    qs = span.of(
        TrainingCertificate.objects.filter(expires_on__isnull=False, expires_on__lte=horizon)
    )
    for page in pages(qs, FIELDS, batch):
        premises_ids = {r["premises_id"] for r in page}
        heads = heads_of(list(premises_ids))
        # A holder with a newer certificate that is still valid needs no reminder.
        newer = set(
            TrainingCertificate.objects.filter(
                AnyOf(F("premises_id"), premises_ids), expires_on__gt=horizon
            ).values_list("premises_id", "holder_name")
        )
        found = (
            training_reminder(
                certificate_id=r["id"],
                premises_id=r["premises_id"],
                premises_name=r["premises__name"],
                holder_name=r["holder_name"],
                expires_on=r["expires_on"],
                duty=r["duty"],
                head_ids=heads.get(r["premises_id"], ()),
                authority_ids=j.covering(r["premises__province_code"], r["premises__ward_code"]),
                today=today,
                config=config,
            )
            for r in page
            if (r["premises_id"], r["holder_name"]) not in newer
        )
        yield [rem for rem in found if rem]
