"""Obligations of a premises (or of hypothetical facts) under the current catalogue version."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from inspections.models import Answer, CatalogueVersion, Inspection, Premises, TrainingCertificate
from inspections.rules.facts import FACT_DEFAULTS, derive_facts
from inspections.rules.labels import fact_label
from inspections.rules.obligations import Evaluation
from inspections.rules.planning import REGIMES_PARAM

from .catalogue import current_version, engine_of, version_in_force


class NoPublishedCatalogue(LookupError):
    """No catalogue version is published yet (run load_catalogue --publish)."""


@dataclass
class ObligationsView:
    version: CatalogueVersion
    on: date
    facts: dict[str, Any]
    evaluation: Evaluation
    answer_ids: dict[str, int] = field(default_factory=dict)
    regimes: list = field(default_factory=list)  # planning.InspectionRegime, primary first
    missing_facts: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        facts = self.facts
        return {
            "catalogue_version": self.version.label,
            "catalogue_effective_on": (
                self.version.effective_on.isoformat() if self.version.effective_on else None
            ),
            "on": self.on.isoformat(),
            "derived": {
                "in_centrally_run_city": facts["in_centrally_run_city"],
                "province_name": facts["province_name"],
                "under_fire_safety_management": facts["under_fire_safety_management"],
                "appendix_i_row": facts["appendix_i_row"],
                "appendix_ii_group": facts["appendix_ii_group"],
                "appendix_vii_row": facts["appendix_vii_row"],
                "inspecting_authority": facts.get("inspecting_authority"),
                "appendix_i_item": facts.get("appendix_i_item"),
                "appendix_i_label_vi": facts.get("appendix_i_label_vi", ""),
                "appendix_i_label_en": facts.get("appendix_i_label_en", ""),
                "in_appendix_ii": facts.get("in_appendix_ii"),
                "appendix_ii_row": facts.get("appendix_ii_row"),
                "appendix_ii_label_vi": facts.get("appendix_ii_label_vi", ""),
                "appendix_ii_label_en": facts.get("appendix_ii_label_en", ""),
                "appendix_vii_item": facts.get("appendix_vii_item"),
                "inspecting_authorities": [r.as_dict() for r in self.regimes],
                "self_inspection_months": facts.get("self_inspection_months"),
                "missing_facts": list(self.missing_facts),
                "missing_facts_labels": [
                    {"fact": n, "label_vi": fact_label(n)[0], "label_en": fact_label(n)[1]}
                    for n in self.missing_facts
                ],
            },
            "obligations": [o.as_dict() for o in self.evaluation.obligations],
            "advice": [a.as_dict() for a in self.evaluation.advice],
            "not_applicable": list(self.evaluation.not_applicable),
        }


def premises_facts(
    premises: Premises, certificates: Sequence[TrainingCertificate] | None = None
) -> dict[str, Any]:
    """The raw facts of a stored premises, named as the rules expect.

    ``certificates``: its training certificates when already read (``certificates_of``),
    otherwise they are read from ``premises.training_certificates``.
    """
    facts = {name: getattr(premises, name, default) for name, default in FACT_DEFAULTS.items()}
    if certificates is None:
        certificates = list(premises.training_certificates.all())
    latest: dict[str, date | None] = {}
    for cert in certificates:
        holder = cert.holder_name.strip().lower()
        if holder in latest and latest[holder] is None:
            continue
        if cert.expires_on is None:
            latest[holder] = None
        else:
            latest[holder] = max(latest.get(holder) or cert.expires_on, cert.expires_on)
    # A holder whose latest certificate has no expiry is trained for good; the obligation falls
    # due when the first remaining holder's latest certificate lapses.
    expiring = [d for d in latest.values() if d is not None]
    facts["training_expires_on"] = min(expiring) if expiring else None
    facts["has_training_certificate"] = bool(latest)
    # Per person and duty, full trainings and refreshers (Decree 105 Art. 29.4): rules/people.py.
    facts["training_records"] = tuple(
        {
            "holder": cert.holder_name.strip(),
            "duty": cert.duty,
            "kind": cert.training_kind,
            "issued_on": cert.issued_on,
            "expires_on": cert.expires_on,
        }
        for cert in certificates
    )
    return facts


def certificates_of(premises_ids: Iterable[int]) -> dict[int, list[TrainingCertificate]]:
    """Training certificates of many premises in one query, each premises' in the order of
    ``premises.training_certificates.all()`` (the batched obligation refresh)."""
    out: dict[int, list[TrainingCertificate]] = {}
    for cert in TrainingCertificate.objects.filter(premises_id__in=list(premises_ids)):
        out.setdefault(cert.premises_id, []).append(cert)
    return out


def latest_answers(premises: Premises) -> tuple[dict[str, str], dict[str, int]]:
    """Latest answer value per requirement code over the premises' non-cancelled inspections."""
    return latest_answers_of([premises.pk]).get(premises.pk, ({}, {}))


def latest_answers_of(
    premises_ids: Iterable[int],
) -> dict[int, tuple[dict[str, str], dict[str, int]]]:
    """``latest_answers`` of many premises in one query (the batched obligation refresh)."""
    rows = (
        Answer.objects.filter(inspection__premises_id__in=list(premises_ids))
        .exclude(inspection__state=Inspection.State.CANCELLED)
        .exclude(value="")
        .order_by("inspection__premises_id", "item__code", "-answered_at", "-id")
        .values_list("inspection__premises_id", "item__code", "value", "id")
    )
    out: dict[int, tuple[dict[str, str], dict[str, int]]] = {}
    for pid, code, value, pk in rows:
        values, ids = out.setdefault(pid, ({}, {}))
        if code not in values:
            values[code], ids[code] = value, pk
    return out


def _version(version: CatalogueVersion | None, on: date) -> CatalogueVersion:
    # Obligations for a date follow the law as in force on that date.
    version = version or version_in_force(on)
    if version is None:
        raise NoPublishedCatalogue("no published catalogue version")
    return version


def evaluate_facts(
    raw_facts: dict[str, Any],
    *,
    on: date | None = None,
    version: CatalogueVersion | None = None,
    answers: dict[str, str] | None = None,
    with_missing: bool = True,
) -> ObligationsView:
    """What applies to these facts ("if I open a 400 m² karaoke bar here?"): no database write.

    ``with_missing=False`` skips the list of facts to fill in (the stored rows do not keep it;
    a tenth of the refresh's time).
    """
    on = on or timezone.localdate()
    version = _version(version, on)
    engine = engine_of(version)  # the rules compiled once per published version
    params = engine.params
    facts = derive_facts(raw_facts, params, table=engine.table)
    regimes = engine.inspection_regimes(facts)
    facts["inspecting_authority"] = regimes[0].authority_kind if regimes else None
    facts["self_inspection_months"] = _self_inspection_months(facts, params)
    evaluation = engine.evaluate(facts, answers or {}, on)
    missing = dict.fromkeys(facts.get("missing_facts") or ())
    if with_missing and REGIMES_PARAM in params:
        missing.update(dict.fromkeys(engine.regimes_decision(facts)[1]))
    for o in evaluation.obligations:
        missing.update(dict.fromkeys(o.missing_facts))
    return ObligationsView(
        version=version,
        on=on,
        facts=facts,
        evaluation=evaluation,
        regimes=regimes,
        missing_facts=tuple(missing),
    )


def _self_inspection_months(facts: dict[str, Any], params: dict[str, Any]) -> int | None:
    """The head's periodic self-inspection cycle (Art. 14.2): 6 months Appendix II, 12 the rest."""
    value = params.get("frequency.self_inspection_months")
    if not facts.get("under_fire_safety_management") or value is None:
        return None
    if not isinstance(value, dict):
        return int(value)
    key = "appendix_ii" if facts.get("in_appendix_ii") else "appendix_i"
    return value.get(key) if facts.get("in_appendix_ii") is not None else None


def obligations_for(
    premises: Premises, on: date | None = None, *, version: CatalogueVersion | None = None
) -> ObligationsView:
    """Obligations of a stored premises from its facts and its latest inspection answers."""
    answers, ids = latest_answers(premises)
    return evaluate_premises(premises, answers, ids, on=on, version=version)


def evaluate_premises(
    premises: Premises,
    answers: dict[str, str],
    answer_ids: dict[str, int],
    *,
    on: date | None = None,
    version: CatalogueVersion | None = None,
    with_missing: bool = True,
    certificates: Sequence[TrainingCertificate] | None = None,
) -> ObligationsView:
    """``obligations_for`` with the answers (and optionally the training certificates) already
    read: a batch reads them in one query each."""
    view = evaluate_facts(
        premises_facts(premises, certificates),
        on=on,
        version=version,
        answers=answers,
        with_missing=with_missing,
    )
    view.answer_ids = answer_ids
    return view


def premises_with_stale_obligations() -> QuerySet[Premises]:
    """Premises whose stored obligations were never computed, or were computed before their
    facts last changed or before the current catalogue version was published. Empty while no
    catalogue is published (there is nothing to compute)."""
    version = current_version()
    if version is None:
        return Premises.objects.none()
    stale = Q(obligations_computed_at__isnull=True) | Q(obligations_computed_at__lt=F("updated_at"))
    # Computed before the version in force was published, or before the day it came into force
    # (a version published ahead of its date takes over at midnight).
    since = [version.published_at]
    if getattr(version, "effective_on", None):
        since.append(timezone.make_aware(datetime.combine(version.effective_on, time.min)))
    moment = max((m for m in since if m is not None), default=None)
    if moment is not None:
        stale |= Q(obligations_computed_at__lt=moment)
    return Premises.objects.filter(stale).order_by("pk")
