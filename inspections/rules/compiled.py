"""The rules of one catalogue version compiled once into closures (the nightly refresh's engine).

``decide`` interprets a rule's dicts for every premises; a refresh of 100,000 premises asks the
same ~85 rules 100,000 times. Here each rule becomes a closure once per catalogue version:
parameters resolved, operators picked, table rows pre-filtered by category and kind, and the
plain-language reason of a comparison kept per value it has already explained. Every closure
answers exactly what ``decide`` / ``table_decide`` answer, errors included and raised at the
same point (a malformed node raises when it is reached, not when it is compiled);
tests/inspections/rules/test_compiled.py compares them on generated rules, facts and
catalogues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from .applicability import (
    _DERIVED_NONE_OK,
    COMPARISONS,
    KIND_LABELS,
    UNKNOWN_FACTS_KEY,
    Because,
    Decision,
    Facts,
    Params,
    RuleError,
    TableMatch,
    _explain_fact,
    _lead_lower,
    _merge,
    _number,
    resolve,
)
from .memo import ReadMemo, signatures
from .obligations import (
    NOT_APPLICABLE,
    UNKNOWN,
    Advice,
    Evaluation,
    ObligationResult,
    RequirementSpec,
    _status_missing_facts,
    evaluate_status,
    missing_text,
)
from .planning import REGIMES_PARAM, InspectionRegime, _regime, inspection_regimes

Decider = Callable[[Facts], Decision]
TableDecider = Callable[[Facts], tuple[TableMatch, Decision | None]]

_TRUE = Decision(True)
_FALSE = Decision(False)
_NONE_DECISIONS = {True: _TRUE, False: _FALSE}
# Values whose explanation depends only on their type and value: kept once explained. (A tuple
# equal to another can print differently, (1,) and (True,); those are explained every time.)
_EXPLAINED_TYPES = frozenset({str, int, float, bool, date, Decimal, type(None)})
# Bound on the explanations a comparison keeps (distinct floor areas, headcounts...).
EXPLAIN_CACHE_SIZE = 4096


def _failing(exc: Exception) -> Decider:
    def fail(facts: Facts) -> Decision:
        raise exc

    return fail


def compile_rule(rule: Any, params: Params) -> Decider:
    """``decide(rule, facts, params)`` as a function of the facts alone."""
    try:
        return _compile(rule, params)
    except Exception as exc:  # the interpreter raises it when it reaches this node
        return _failing(exc)


def _compile(rule: Any, params: Params) -> Decider:
    if rule is None or rule == {} or rule is True:
        return _always_true
    if not isinstance(rule, Mapping):
        return _failing(RuleError(f"a rule must be an object, not {rule!r}"))
    # The interpreter's order: a node with two keys is read as the first of these.
    for key, build in _NODES:
        if key in rule:
            return build(rule, params)
    return _failing(RuleError(f"unknown rule node: {dict(rule)!r}"))


def _always_true(facts: Facts) -> Decision:
    return _TRUE


def _compile_always(rule: Mapping[str, Any], params: Params) -> Decider:
    constant = _TRUE if rule["always"] else _FALSE
    return lambda facts: constant


def _compile_all(rule: Mapping[str, Any], params: Params) -> Decider:
    parts = [compile_rule(sub, params) for sub in rule["all"]]

    def all_(facts: Facts) -> Decision:
        decided = []
        for part in parts:
            d = part(facts)
            if d.value is False:
                return _FALSE
            decided.append(d)
        unknown = [d for d in decided if d.value is None]
        if unknown:
            return Decision(None, missing=_merge(unknown))
        return Decision(True, tuple(b for d in decided for b in d.because))

    return all_


def _compile_any(rule: Mapping[str, Any], params: Params) -> Decider:
    parts = [compile_rule(sub, params) for sub in rule["any"]]

    def any_(facts: Facts) -> Decision:
        unknown = []
        for part in parts:
            d = part(facts)
            if d.value is True:
                return d
            if d.value is None:
                unknown.append(d)
        if unknown:
            return Decision(None, missing=_merge(unknown))
        return _FALSE

    return any_


def _compile_not(rule: Mapping[str, Any], params: Params) -> Decider:
    inner = compile_rule(rule["not"], params)

    def not_(facts: Facts) -> Decision:
        d = inner(facts)
        if d.value is None:
            return d
        return _FALSE if d.value else _TRUE

    return not_


def _compile_in_table(rule: Mapping[str, Any], params: Params) -> Decider:
    table = compile_table(rule["in_table"], params)

    def in_table(facts: Facts) -> Decision:
        match, decision = table(facts)
        if match.value is not True or match.row is None or decision is None:
            return Decision(match.value, missing=match.missing)
        row = match.row
        label = Because(_lead_lower(row.get("label_vi", "")), row.get("label_en", ""))
        return Decision(True, (label, *decision.because))

    return in_table


def _comparison(op: str, expected: Any) -> Callable[[Any], bool]:
    """``_compare(op, actual, expected)`` with ``expected`` fixed."""
    if op == "is":
        return lambda actual: actual is expected or (expected is not None and actual == expected)
    if op == "in":
        return lambda actual: actual is not None and actual in expected
    if op == "not_in":
        return lambda actual: actual is not None and actual not in expected
    blank_answer = expected not in (None, "") if op == "ne" else False
    number = _number(expected)
    test: Callable[[Any, Any], bool] = {
        "eq": lambda a, e: a == e,
        "ne": lambda a, e: a != e,
        "gt": lambda a, e: a > e,
        "gte": lambda a, e: a >= e,
        "lt": lambda a, e: a < e,
        "lte": lambda a, e: a <= e,
    }[op]

    def compare(actual: Any) -> bool:
        if actual is None or actual == "":
            return blank_answer
        actual = _number(actual)
        e = number
        if isinstance(actual, date) and isinstance(e, str):
            e = date.fromisoformat(e)
        try:
            return test(actual, e)
        except TypeError:
            return False

    return compare


def _compile_fact(rule: Mapping[str, Any], params: Params) -> Decider:
    fact = rule["fact"]
    none_is_unknown = fact not in _DERIVED_NONE_OK
    op, expected, compare, error = _fact_test(rule, params)
    explain = _explainer(fact, op, expected, params) if rule.get("explain") is not False else None

    def fact_node(facts: Facts) -> Decision:
        derived = facts.get(UNKNOWN_FACTS_KEY) or {}
        if fact in derived:
            return Decision(None, missing=tuple(derived[fact]) or (fact,))
        if fact in facts and facts[fact] is None and none_is_unknown:
            return Decision(None, missing=(fact,))
        if error is not None:
            raise error
        actual = facts.get(fact)
        if not compare(actual):
            return _FALSE
        if explain is None:
            return _TRUE
        return explain(actual, facts)

    return fact_node


def _fact_test(
    rule: Mapping[str, Any], params: Params
) -> tuple[str, Any, Callable[[Any], bool], Exception | None]:
    """(operator, expected value, comparison) of a fact node, or the error it raises when
    reached (no single operator, an unknown parameter)."""
    ops = [op for op in COMPARISONS if op in rule]
    if len(ops) != 1:
        error = RuleError(f"fact rule needs exactly one of {COMPARISONS}: {dict(rule)!r}")
        return "", None, bool, error
    try:
        expected = resolve(rule[ops[0]], params)
        return ops[0], expected, _comparison(ops[0], expected), None
    except Exception as exc:  # e.g. an unknown parameter; an unknown fact is answered first
        return ops[0], None, bool, exc


def _explainer(
    fact: str, op: str, expected: Any, params: Params
) -> Callable[[Any, Facts], Decision]:
    """The applying decision with ``_explain_fact``'s reason, kept per value once given."""
    # Only this explanation reads other facts (the Appendix I row's label).
    reads_label = fact == "under_fire_safety_management" and expected is True
    explained: dict[tuple, Decision] = {}

    def explain(actual: Any, facts: Facts) -> Decision:
        cls = actual.__class__
        if cls not in _EXPLAINED_TYPES:
            return Decision(True, (_explain_fact(fact, op, actual, expected, params, facts),))
        if reads_label:
            key: tuple = (cls, actual, facts.get("appendix_i_label_vi"),
                          facts.get("appendix_i_label_en", ""))  # fmt: skip
        else:
            key = (cls, actual)
        found = explained.get(key)
        if found is None:
            found = Decision(True, (_explain_fact(fact, op, actual, expected, params, facts),))
            if len(explained) < EXPLAIN_CACHE_SIZE:
                explained[key] = found
        return found

    return explain


_NODES: tuple[tuple[str, Callable[[Mapping[str, Any], Params], Decider]], ...] = (
    ("always", _compile_always),
    ("all", _compile_all),
    ("any", _compile_any),
    ("not", _compile_not),
    ("in_table", _compile_in_table),
    ("fact", _compile_fact),
)


class _Row:
    """One table row; a malformed row raises when it is reached, as ``table_decide`` does."""

    __slots__ = ("row", "error", "when")

    def __init__(self, row: Mapping[str, Any], params: Params):
        self.row = row
        self.error: Exception | None = None
        try:
            self.when = compile_rule(row.get("when"), params)
        except Exception as exc:
            self.error = exc

    def admits(self, category: Any, kind: Any) -> bool:
        """``_row_applies``' category and kind tests."""
        if self.error is not None:
            raise self.error
        row = self.row
        if row.get("categories") and category not in row["categories"]:
            return False
        return not (row.get("kinds") and kind not in row["kinds"])

    def decide(self, facts: Facts) -> Decision:
        """``_row_applies`` once the category and kind are admitted."""
        blank = tuple(n for n in self.row.get("needs") or () if facts.get(n) in (None, ""))
        if blank:
            return Decision(None, missing=blank)
        return self.when(facts)


def compile_table(key: str, params: Params) -> TableDecider:
    """``table_decide(key, facts, params)`` as a function of the facts, with the decision of the
    row it matched (whose reasons ``in_table`` adds) or None."""
    try:
        if key not in params:
            raise RuleError(f"unknown table parameter {key!r}")
        return _Table([_Row(row, params) for row in params[key] or []]).decide
    except Exception as exc:  # the interpreter raises it when it reads the table
        return _failing(exc)  # type: ignore[return-value]


class _Table:
    def __init__(self, rows: list[_Row]):
        self.rows = rows
        # Rows a (category, kind) admits, in table order: most rows name other categories.
        self.admitted: dict[tuple[Any, Any], list[_Row]] = {}

    def candidates(self, facts: Facts) -> Iterable[_Row]:
        category, kind = facts.get("occupancy_category"), facts.get("kind")
        try:
            found = self.admitted.get((category, kind))
            if found is None:
                found = [r for r in self.rows if r.admits(category, kind)]
                self.admitted[(category, kind)] = found
            return found
        except Exception:  # unhashable, or a malformed row: the rows one by one, as reached
            return (r for r in self.rows if r.admits(category, kind))

    def decide(self, facts: Facts) -> tuple[TableMatch, Decision | None]:
        pending: list[Decision] = []
        for r in self.candidates(facts):
            d = r.decide(facts)
            if d.value is True:
                if pending:
                    return TableMatch(None, r.row, _merge(pending)), d
                return TableMatch(True, r.row), d
            if d.value is None:
                pending.append(d)
        if pending:
            return TableMatch(None, None, _merge(pending)), None
        return TableMatch(False), None


class _Entry:
    """One requirement of the catalogue: its compiled applicability and its law references."""

    __slots__ = ("spec", "decide", "_refs")

    def __init__(self, spec: RequirementSpec, params: Params):
        self.spec = spec
        self.decide = compile_rule(spec.applicability, params)
        self._refs: tuple[str, str] | None = None

    def refs(self) -> tuple[str, str]:
        """The " → Điều ..." end of ``_reason``: the same for every premises."""
        if self._refs is None:
            spec = self.spec
            law = [c for c in spec.citations if c.document.startswith("55/")] or list(
                spec.citations
            )
            self._refs = (
                " → " + ", ".join(c.label_vi for c in law[:2]),
                " → " + ", ".join(c.label_en for c in law[:2]),
            )
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
        head_vi, head_en = _reason_head(facts)
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
        missing = _status_missing_facts(spec, facts) if status == UNKNOWN else ()
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
        return _failing(exc)


def _reason_head(facts: Mapping[str, Any]) -> tuple[str, str]:
    """The premises' part of ``_reason`` ("Cơ sở tại Thành phố Hà Nội")."""
    head_vi, head_en = KIND_LABELS.get(facts.get("kind", ""), ("Đối tượng", "Premises"))
    if facts.get("province_name"):
        head_vi += f" tại {facts['province_name']}"
        head_en += f" in {facts['province_name']}"
    return head_vi, head_en
