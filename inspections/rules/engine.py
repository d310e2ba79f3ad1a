"""The obligation engine of one catalogue version: every requirement's applicability compiled
once (rules/compiled.py), each requirement's outcome kept per the facts it read (rules/memo.py).

It answers what ``evaluate_obligations``, ``table_decide`` and ``planning.regimes_decision``
answer; tests/inspections/rules/test_engine.py compares them on generated premises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import partial
from typing import Any

from .applicability import Facts, Params
from .compiled import Decider, TableDecider, compile_rule, compile_table, failing
from .deadline_status import evaluate_status, status_missing_facts
from .decide import TableMatch
from .memo import ReadMemo, signatures
from .obligations import Advice, Evaluation, ObligationResult, law_refs, reason_head
from .planning import REGIMES_PARAM, InspectionRegime, _regime, inspection_regimes
from .reasons import missing_text
from .requirements import RequirementSpec
from .statuses import NOT_APPLICABLE, UNKNOWN


class _Entry:
    """One requirement of the catalogue: its compiled applicability and its law references."""

    __slots__ = ("spec", "decide", "_refs")

    def __init__(self, spec: RequirementSpec, params: Params):
        self.spec = spec
        self.decide = compile_rule(spec.applicability, params)
        self._refs: tuple[str, str] | None = None

    def refs(self) -> tuple[str, str]:
        """The " → Điều ..." end of the reason: the same for every premises."""
        if self._refs is None:
            refs_vi, refs_en = law_refs(self.spec)
            self._refs = (" → " + refs_vi, " → " + refs_en)
        return self._refs


class Engine:
    """The obligation engine of one catalogue version (specs and parameters never change).

    ``evaluate`` answers what ``evaluate_obligations`` answers; ``table`` what ``table_decide``
    answers; ``regimes_decision`` what ``planning.regimes_decision`` answers.
    """

    def __init__(
        self, specs: Iterable[RequirementSpec], params: Params, *, memo_min_hit_rate: float = 0.3
    ):
        self.params = params
        self._entries = [_Entry(s, params) for s in sorted(specs, key=lambda s: (s.order, s.code))]
        self._memo_min_hit_rate = memo_min_hit_rate
        # Outcomes kept per day (a due date counts from it): the last MEMO_DAYS days asked, so a
        # worker refreshing every night neither fills its memos with past days nor thrashes
        # when a page asks about another day meanwhile.
        self._memos: dict[date, dict[int, ReadMemo]] = {}
        self._by_kind: dict[Any, list[_Entry]] = {}
        self._tables: dict[str, TableDecider] = {}
        self._regime_rows: list[tuple[Decider, Mapping[str, Any]]] | None = None
        self._regimes: dict[int, InspectionRegime] = {}
        self._missing_texts: dict[tuple[str, ...], tuple[str, str]] = {}

    # -- tables and regimes ---------------------------------------------------------------------

    def table(self, key: str, facts: Facts) -> TableMatch:
        found = self._tables.get(key)
        if found is None:
            found = self._tables[key] = compile_table(key, self.params)
        return found(facts)[0]

    def regimes_decision(self, facts: Facts) -> tuple[list[InspectionRegime], tuple[str, ...]]:
        if self._regime_rows is None:
            self._regime_rows = [
                (_row_when(row, self.params), row) for row in self.params.get(REGIMES_PARAM) or []
            ]
        regimes: list[InspectionRegime] = []
        missing: dict[str, None] = {}
        for i, (when, row) in enumerate(self._regime_rows):
            d = when(facts)
            if d.value is True:
                regime = self._regimes.get(i)
                if regime is None:
                    regime = self._regimes[i] = _regime(row)
                regimes.append(regime)
            elif d.value is None:
                missing.update(dict.fromkeys(d.missing))
        return regimes, tuple(missing)

    def inspection_regimes(self, facts: Facts) -> list[InspectionRegime]:
        if REGIMES_PARAM in self.params:
            return self.regimes_decision(facts)[0]
        return inspection_regimes(facts, self.params)

    # -- obligations ----------------------------------------------------------------------------

    def _entries_of(self, kind: Any) -> list[_Entry]:
        try:
            found = self._by_kind.get(kind)
        except TypeError:  # unhashable kind
            return [e for e in self._entries if kind in e.spec.premises_kinds]
        if found is None:
            found = self._by_kind[kind] = [
                e for e in self._entries if kind in e.spec.premises_kinds
            ]
        return found

    def _missing_text(self, missing: tuple[str, ...]) -> tuple[str, str]:
        found = self._missing_texts.get(missing)
        if found is None:
            found = self._missing_texts[missing] = missing_text(missing)
        return found

    def evaluate(
        self, facts: Mapping[str, Any], answers: Mapping[str, str], on: date
    ) -> Evaluation:
        """``evaluate_obligations(specs, facts, params, answers, on)``.

        Each requirement's outcome is kept per the facts it read (rules/memo.py): premises that
        agree on those facts, the answer and the day share it.
        """
        out = Evaluation()
        sigs = signatures(facts)
        memos = self.memos_of(on)
        for entry in self._entries_of(facts.get("kind")):
            spec = entry.spec
            answer = answers.get(spec.code)
            memo = memos.get(id(entry))
            if memo is None:
                memo = memos[id(entry)] = ReadMemo(
                    partial(self._outcome, entry, on), min_hit_rate=self._memo_min_hit_rate
                )
            outcome = memo(facts, answer, sigs)
            if outcome is None:
                continue
            if outcome is _NOT_APPLICABLE:
                out.not_applicable.append(spec.code)
            elif outcome[0] is _ADVICE:
                out.advice.append(Advice(spec, outcome[1], outcome[2]))
            else:
                (
                    status,
                    due,
                    days_left,
                    reason_vi,
                    reason_en,
                    detail_vi,
                    detail_en,
                    step,
                    missing,
                ) = outcome
                out.obligations.append(
                    ObligationResult(
                        requirement=spec,
                        status=status,
                        due_date=due,
                        days_left=days_left,
                        reason_vi=reason_vi,
                        reason_en=reason_en,
                        detail_vi=detail_vi,
                        detail_en=detail_en,
                        progress=step,
                        answer=answer,
                        missing_facts=missing,
                    )
                )
        return out

    def memos_of(self, on: date) -> dict[int, ReadMemo]:
        """The memos of the day ``on`` (requirement -> memo), the oldest day dropped."""
        memos = self._memos.get(on)
        if memos is None:
            while len(self._memos) >= MEMO_DAYS:
                del self._memos[next(iter(self._memos))]
            memos = self._memos[on] = {}
        return memos

    def _outcome(
        self, entry: _Entry, on: date, facts: Mapping[str, Any], answer: str | None
    ) -> Any:
        """What one requirement gives a premises: None (does not bind it), not applicable,
        advice (tag, reason vi, reason en) or an obligation's fields."""
        spec = entry.spec
        result = entry.decide(facts)
        if result.value is False:
            return None
        if result.value is None:
            return self._undecided(spec, answer, result.missing)
        head_vi, head_en = reason_head(facts)
        refs_vi, refs_en = entry.refs()
        because = result.because
        reason_vi = ", ".join([head_vi, *[b.vi for b in because if b.vi]]) + refs_vi
        reason_en = ", ".join([head_en, *[b.en for b in because if b.en]]) + refs_en
        if spec.advice:
            return (_ADVICE, reason_vi, reason_en)
        if answer == NOT_APPLICABLE:
            return _NOT_APPLICABLE
        status, due, detail_vi, detail_en, step = evaluate_status(
            spec, facts, self.params, answer, on
        )
        missing = status_missing_facts(spec, facts) if status == UNKNOWN else ()
        days_left = (due - on).days if due else None
        return (status, due, days_left, reason_vi, reason_en, detail_vi, detail_en, step, missing)

    def _undecided(self, spec: RequirementSpec, answer: str | None, missing: tuple) -> Any:
        if spec.advice:
            return None
        if answer == NOT_APPLICABLE:
            return _NOT_APPLICABLE
        # Never dropped: the premises lacks a fact that decides whether this binds it.
        vi, en = self._missing_text(missing)
        return (UNKNOWN, None, None, vi, en, "", "", None, missing)


MEMO_DAYS = 3
_NOT_APPLICABLE = ("not_applicable",)
_ADVICE = "advice"  # first item of an advice outcome (an obligation's is its status)


def _row_when(row: Any, params: Params) -> Decider:
    try:
        return compile_rule(row.get("when"), params)
    except Exception as exc:  # not a mapping: raised when the row is reached
        return failing(exc)
