"""Obligation evaluation: which requirements bind a premises, their status, due date and why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .applicability import Params, evaluate
from .bilingual import PerLanguage, both
from .deadline_status import evaluate_status, status_missing_facts
from .decide import Decision, decide
from .labels import kind_labels
from .reasons import Because, missing_text
from .requirements import RequirementSpec
from .statuses import NOT_APPLICABLE, UNKNOWN


@dataclass
class ObligationResult:
    requirement: RequirementSpec
    status: str
    due_date: date | None
    days_left: int | None
    reason_vi: str
    reason_en: str
    detail_vi: str = ""
    detail_en: str = ""
    progress: str | None = None  # alarm roadmap step
    answer: str | None = None
    # Facts to fill in before the engine can tell whether (or when) the requirement binds.
    missing_facts: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        r = self.requirement
        return {
            "requirement": r.code,
            "title_vi": r.title_vi,
            "title_en": r.title_en,
            "severity": r.severity,
            "citations": [c.as_dict() for c in r.citations],
            "decree_points": list(r.decree_points),
            "status": self.status,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "days_left": self.days_left,
            "reason": self.reason_vi,
            "reason_vi": self.reason_vi,
            "reason_en": self.reason_en,
            "detail_vi": self.detail_vi,
            "detail_en": self.detail_en,
            "progress": self.progress,
            "missing_facts": list(self.missing_facts),
        }


@dataclass
class Advice:
    requirement: RequirementSpec
    reason_vi: str
    reason_en: str

    def as_dict(self) -> dict[str, Any]:
        r = self.requirement
        return {
            "requirement": r.code,
            "title_vi": r.title_vi,
            "title_en": r.title_en,
            "citations": [c.as_dict() for c in r.citations],
            "reason": self.reason_vi,
            "reason_vi": self.reason_vi,
            "reason_en": self.reason_en,
        }


@dataclass
class Evaluation:
    obligations: list[ObligationResult] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)  # answered "not applicable"


def reason_head(facts: Mapping[str, Any]) -> tuple[str, str]:
    """The premises' part of a reason ("Cơ sở tại Thành phố Hà Nội")."""
    kind = PerLanguage(*kind_labels(facts.get("kind", "")))
    if facts.get("province_name"):
        return both("%(kind)s tại %(province)s", kind=kind, province=facts["province_name"])
    return kind.vi, kind.en


def law_refs(spec: RequirementSpec) -> tuple[str, str]:
    """The law a reason ends with: the first two Law 55 citations, else the first two of all."""
    law = [c for c in spec.citations if c.document.startswith("55/")] or list(spec.citations)
    return ", ".join(c.label_vi for c in law[:2]), ", ".join(c.label_en for c in law[:2])


def _reason(
    spec: RequirementSpec, facts: Mapping[str, Any], because: Iterable[Because]
) -> tuple[str, str]:
    head_vi, head_en = reason_head(facts)
    parts_vi = [head_vi] + [b.vi for b in because if b.vi]
    parts_en = [head_en] + [b.en for b in because if b.en]
    refs_vi, refs_en = law_refs(spec)
    return f"{', '.join(parts_vi)} → {refs_vi}", f"{', '.join(parts_en)} → {refs_en}"


def applicable(spec: RequirementSpec, facts: Mapping[str, Any], params: Params):
    if facts.get("kind") not in spec.premises_kinds:
        return None
    result = evaluate(spec.applicability, facts, params)
    return result if result.applies else None


def decide_applicable(
    spec: RequirementSpec, facts: Mapping[str, Any], params: Params
) -> Decision | None:
    """Three-valued ``applicable``: None when the kind differs (never the premises' duty)."""
    if facts.get("kind") not in spec.premises_kinds:
        return None
    return decide(spec.applicability, facts, params)


def evaluate_obligations(
    specs: Iterable[RequirementSpec],
    facts: Mapping[str, Any],
    params: Params,
    answers: Mapping[str, str],
    on: date,
) -> Evaluation:
    """Every applicable requirement of the catalogue for one premises' derived facts."""
    out = Evaluation()
    for spec in sorted(specs, key=lambda s: (s.order, s.code)):
        result = decide_applicable(spec, facts, params)
        if result is None or result.value is False:
            continue
        answer = answers.get(spec.code)
        if result.value is None:
            _add_undecided(out, spec, answer, result.missing)
        elif spec.advice:
            out.advice.append(Advice(spec, *_reason(spec, facts, result.because)))
        elif answer == NOT_APPLICABLE:
            out.not_applicable.append(spec.code)
        else:
            out.obligations.append(
                _obligation(spec, facts, params, answer=answer, on=on, because=result.because)
            )
    return out


def _add_undecided(
    out: Evaluation, spec: RequirementSpec, answer: str | None, missing: tuple[str, ...]
) -> None:
    """A requirement the premises lacks a fact to decide: advice is left out, an obligation is
    never dropped but reported unknown with the facts to fill in (unless answered not
    applicable)."""
    if spec.advice:
        return
    if answer == NOT_APPLICABLE:
        out.not_applicable.append(spec.code)
        return
    vi, en = missing_text(missing)
    out.obligations.append(
        ObligationResult(
            requirement=spec,
            status=UNKNOWN,
            due_date=None,
            days_left=None,
            reason_vi=vi,
            reason_en=en,
            answer=answer,
            missing_facts=missing,
        )
    )


def _obligation(
    spec: RequirementSpec,
    facts: Mapping[str, Any],
    params: Params,
    *,
    answer: str | None,
    on: date,
    because: Iterable[Because],
) -> ObligationResult:
    """A requirement that binds the premises: why, its status and when it is due."""
    reason_vi, reason_en = _reason(spec, facts, because)
    status, due, detail_vi, detail_en, step = evaluate_status(spec, facts, params, answer, on)
    return ObligationResult(
        requirement=spec,
        status=status,
        due_date=due,
        days_left=(due - on).days if due else None,
        reason_vi=reason_vi,
        reason_en=reason_en,
        detail_vi=detail_vi,
        detail_en=detail_en,
        progress=step,
        answer=answer,
        missing_facts=status_missing_facts(spec, facts) if status == UNKNOWN else (),
    )
