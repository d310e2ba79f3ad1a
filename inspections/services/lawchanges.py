"""Bring the catalogue version in force into effect: compare, notify and recompute every premises.

A version published ahead of its effective date changes nothing until that day; the daily beat
task (and a publish of a version already in force) calls ``apply_version_in_force``. The switch
is one LawChange row per version (unique), worked through the registry in batches: each batch
is one transaction that stores what changed per premises, records the heads' notices
(Notification rows, unique key) and recomputes the stored obligations, then moves the cursor.
Running it twice, or on two workers, processes every premises once and sends each notice once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Authority
from inspections.models import (
    CatalogueVersion,
    LawChange,
    Premises,
    PremisesLawChange,
)
from inspections.rules import lawchange_notices
from inspections.rules import lawchanges as rules
from inspections.selectors.catalogue import version_in_force
from inspections.selectors.obligations import evaluate_facts, latest_answers, premises_facts
from inspections.services import notifications
from inspections.services.obligations import refresh_obligations

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attribution:
    """Which amending provisions explain a change of each requirement between two versions."""

    amended: dict[str, list[dict[str, Any]]]
    why: dict[str, list[dict[str, Any]]]
    info: lawchange_notices.VersionInfo


def attribution(old: CatalogueVersion | None, new: CatalogueVersion) -> Attribution:
    """Requirements the new version itself amended (new amending provisions), and, for the
    others, the provisions that repealed them or amended a decree table their rule reads."""
    new_reqs = {
        r.code: r
        for r in new.requirements.only("code", "amended_by", "applicability", "deadline_rule")
    }
    old_reqs = (
        {
            r.code: r
            for r in old.requirements.only("code", "amended_by", "applicability", "deadline_rule")
        }
        if old
        else {}
    )
    old_params = (
        {p.key: p.amended_by for p in old.parameters.only("key", "amended_by")} if old else {}
    )
    param_cites = {
        p.key: rules.new_amendments(old_params.get(p.key), p.amended_by)
        for p in new.parameters.only("key", "amended_by")
    }
    amended: dict[str, list[dict[str, Any]]] = {}
    why: dict[str, list[dict[str, Any]]] = {}
    for code in set(new_reqs) | set(old_reqs):
        r_new, r_old = new_reqs.get(code), old_reqs.get(code)
        if r_new is not None:
            fresh = rules.new_amendments(r_old.amended_by if r_old else None, r_new.amended_by)
            if fresh:
                amended[code] = fresh
        if r_new is None and (new.repealed or {}).get(code):
            why[code] = list(new.repealed[code])
            continue
        keys = rules.rule_parameters(
            *(r.applicability for r in (r_new, r_old) if r),
            *(r.deadline_rule for r in (r_new, r_old) if r),
        )
        cites = [c for key in sorted(keys) for c in param_cites.get(key, ())]
        if cites:
            why[code] = cites
    new_basis = list(
        new.legal_basis.order_by("effective_on", "code").values_list("code", flat=True)
    )
    old_basis = set(old.legal_basis.values_list("code", flat=True)) if old else set()
    amending = tuple(c for c in new_basis if c not in old_basis) or tuple(new_basis)
    info = lawchange_notices.VersionInfo(
        label=new.label, effective_on=new.effective_on or timezone.localdate(), basis=amending
    )
    return Attribution(amended=amended, why=why, info=info)


def premises_changes(
    premises: Premises, old: CatalogueVersion, new: CatalogueVersion, on: date, how: Attribution
) -> list[dict[str, Any]]:
    """What changes for one premises: its facts and answers under both versions, same date."""
    facts = premises_facts(premises)
    answers, _ids = latest_answers(premises)
    before = evaluate_facts(facts, on=on, version=old, answers=answers)
    after = evaluate_facts(facts, on=on, version=new, answers=answers)
    return rules.compare_evaluations(
        before.evaluation, after.evaluation, amended=how.amended, why=how.why
    )


def _open(target: CatalogueVersion, today: date) -> LawChange:
    existing = LawChange.objects.filter(to_version=target).first()
    if existing is not None:
        return existing
    previous = version_in_force(today, exclude=target)
    try:
        with transaction.atomic():
            return LawChange.objects.create(
                from_version=previous,
                to_version=target,
                effective_on=target.effective_on or today,
            )
    except IntegrityError:  # another worker opened it first
        return LawChange.objects.get(to_version=target)


def apply_version_in_force(
    *, today: date | None = None, batch_size: int | None = None
) -> LawChange | None:
    """Switch to the version in force ``today`` if that has not been done; idempotent."""
    today = today or timezone.localdate()
    target = version_in_force(today)
    if target is None:
        return None
    change = _open(target, today)
    batch = batch_size or settings.LAW_CHANGE_BATCH_SIZE
    while change.completed_at is None:
        if process_batch(change.pk, on=today, batch_size=batch) == 0:
            finish(change.pk)
        change.refresh_from_db()
    return change


def _heads_of(premises_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for pid, uid in Premises.heads.through.objects.filter(
        premises_id__in=premises_ids, user__is_active=True
    ).values_list("premises_id", "user_id"):
        out[pid].append(uid)
    return out


def _queue(ids: list[int]) -> None:
    if not ids:
        return

    def queue_notices() -> None:
        from inspections.queue import enqueue

        try:
            for pk in ids:
                enqueue("inspections.tasks.send_notification", pk)
        except Exception:  # the rows stay pending; the reminder sweep sends them
            logger.exception("could not queue the law-change notices")

    transaction.on_commit(queue_notices)


def process_batch(change_id: int, *, on: date, batch_size: int) -> int:
    """The next ``batch_size`` premises of a law change, in one transaction; 0 when done."""
    with transaction.atomic():
        change = (
            LawChange.objects.select_for_update(of=("self",))
            .select_related("from_version", "to_version")
            .get(pk=change_id)
        )
        if change.completed_at is not None:
            return 0
        page = list(
            Premises.objects.filter(pk__gt=change.cursor)
            .order_by("pk")
            .prefetch_related("training_certificates")[:batch_size]
        )
        if not page:
            return 0
        # A few queries per batch: cheaper than a cache that could outlive the rows it describes.
        how = (
            attribution(change.from_version, change.to_version) if change.from_version_id else None
        )
        heads = _heads_of([p.pk for p in page])
        rows, notices = [], []
        for premises in page:
            if how is not None:
                changes = premises_changes(
                    premises, change.from_version, change.to_version, on, how
                )
                if changes:
                    rows.append(
                        PremisesLawChange(law_change=change, premises=premises, changes=changes)
                    )
                    notice = lawchange_notices.premises_notice(
                        law_change_id=change.pk,
                        version=how.info,
                        premises_id=premises.pk,
                        premises_name=premises.name,
                        changes=changes,
                        head_ids=heads.get(premises.pk, ()),
                    )
                    if notice:
                        notices.append(notice)
            refresh_obligations(premises, on=on)
        PremisesLawChange.objects.bulk_create(rows, ignore_conflicts=True)
        _record_and_queue(notices)
        change.cursor = page[-1].pk
        change.premises_done += len(page)
        change.premises_changed += len(rows)
        change.save(update_fields=["cursor", "premises_done", "premises_changed"])
        return len(page)


def _record_and_queue(notices: list) -> None:
    if not notices:
        return
    rows, suppressed = notifications.rows_for(notices, webhooks_by_authority={})
    _queue(notifications.record(rows, suppressed=suppressed).to_send)


def finish(change_id: int) -> None:
    """Close a law change: the managers' summary per authority, then mark it complete."""
    from inspections.services.reminders.jurisdictions import Jurisdictions

    with transaction.atomic():
        change = (
            LawChange.objects.select_for_update(of=("self",))
            .select_related("to_version")
            .get(pk=change_id)
        )
        if change.completed_at is not None:
            return
        if change.from_version_id:
            how = attribution(change.from_version, change.to_version)
            j = Jurisdictions.load()
            by_authority: dict[int, list[list[dict[str, Any]]]] = defaultdict(list)
            for prov, ward, changes in PremisesLawChange.objects.filter(
                law_change=change
            ).values_list("premises__province_code", "premises__ward_code", "changes"):
                for aid in j.covering(prov, ward):
                    by_authority[aid].append(changes)
            names = dict(Authority.objects.filter(pk__in=by_authority).values_list("pk", "name"))
            notices = []
            for aid, per_premises in sorted(by_authority.items()):
                notice = lawchange_notices.summary_notice(
                    law_change_id=change.pk,
                    version=how.info,
                    authority_id=aid,
                    authority_name=names.get(aid, ""),
                    premises_count=len(per_premises),
                    rows=rules.authority_counts(per_premises),
                    manager_ids=j.managers.get(aid, ()),
                )
                if notice:
                    notices.append(notice)
            _record_and_queue(notices)
        change.completed_at = timezone.now()
        change.save(update_fields=["completed_at"])


def projected_effect(
    new: CatalogueVersion, *, old: CatalogueVersion | None = None, on: date | None = None
) -> dict[str, Any]:
    """Before publishing: per obligation, how many premises of the registry would gain it, lose
    it or see it change, against the version that would be in force before it."""
    on = on or max(new.effective_on or timezone.localdate(), timezone.localdate())
    old = old or version_in_force(on, exclude=new)
    if old is None:
        return {
            "from": None,
            "to": new.label,
            "on": on.isoformat(),
            "premises": 0,
            "premises_changed": 0,
            "rows": [],
        }
    how = attribution(old, new)
    per_premises = []
    count = 0
    for premises in Premises.objects.order_by("pk").prefetch_related("training_certificates"):
        count += 1
        changes = premises_changes(premises, old, new, on, how)
        if changes:
            per_premises.append(changes)
    return {
        "from": old.label,
        "to": new.label,
        "on": on.isoformat(),
        "premises": count,
        "premises_changed": len(per_premises),
        "rows": rules.authority_counts(per_premises),
    }
