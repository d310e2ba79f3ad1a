"""The rules of one catalogue version compiled once into closures (what the refresh's engine runs).

``decide`` interprets a rule's dicts for every premises; a refresh of 100,000 premises asks the
same ~85 rules 100,000 times. Here each rule becomes a closure once per catalogue version:
parameters resolved, operators picked, table rows pre-filtered by category and kind, and the
plain-language reason of a comparison kept per value it has already explained. Every closure
answers exactly what ``decide`` / ``table_decide`` answer, errors included and raised at the
same point (a malformed node raises when it is reached, not when it is compiled);
tests/inspections/rules/test_compiled.py compares them on generated rules, facts and tables.
rules/engine.py runs a whole catalogue with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .applicability import (
    Facts,
    Params,
    RuleError,
    fact_operator,
    is_empty_rule,
    resolve,
    table_rows,
)
from .comparisons import ORDERINGS, as_number
from .decide import DERIVED_NONE_OK, UNKNOWN_FACTS_KEY, Decision, TableMatch, merge_missing
from .reasons import explain_fact, row_reason

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


def failing(exc: Exception) -> Decider:
    """A decider that raises ``exc`` when it is asked, as the interpreter would on that node."""

    def fail(facts: Facts) -> Decision:
        raise exc

    return fail


def compile_rule(rule: Any, params: Params) -> Decider:
    """``decide(rule, facts, params)`` as a function of the facts alone."""
    try:
        return _compile(rule, params)
    except Exception as exc:  # the interpreter raises it when it reaches this node
        return failing(exc)


def _compile(rule: Any, params: Params) -> Decider:
    if is_empty_rule(rule):
        return _always_true
    if not isinstance(rule, Mapping):
        return failing(RuleError(f"a rule must be an object, not {rule!r}"))
    # The interpreter's order: a node with two keys is read as the first of these.
    for key, build in _NODES:
        if key in rule:
            return build(rule, params)
    return failing(RuleError(f"unknown rule node: {dict(rule)!r}"))


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
            return Decision(None, missing=merge_missing(unknown))
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
            return Decision(None, missing=merge_missing(unknown))
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
        return Decision(True, (row_reason(match.row), *decision.because))

    return in_table


def _comparison(op: str, expected: Any) -> Callable[[Any], bool]:
    """``compare(op, actual, expected)`` with ``expected`` fixed."""
    if op == "is":
        return lambda actual: actual is expected or (expected is not None and actual == expected)
    if op == "in":
        return lambda actual: actual is not None and actual in expected
    if op == "not_in":
        return lambda actual: actual is not None and actual not in expected
    blank_answer = expected not in (None, "") if op == "ne" else False
    number = as_number(expected)
    test = ORDERINGS[op]

    def compare(actual: Any) -> bool:
        if actual is None or actual == "":
            return blank_answer
        actual = as_number(actual)
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
    none_is_unknown = fact not in DERIVED_NONE_OK
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
    try:
        op = fact_operator(rule)
    except RuleError as error:
        return "", None, bool, error
    try:
        expected = resolve(rule[op], params)
        return op, expected, _comparison(op, expected), None
    except Exception as exc:  # e.g. an unknown parameter; an unknown fact is answered first
        return op, None, bool, exc


def _explainer(
    fact: str, op: str, expected: Any, params: Params
) -> Callable[[Any, Facts], Decision]:
    """The applying decision with ``explain_fact``'s reason, kept per value once given."""
    # Only this explanation reads other facts (the Appendix I row's label).
    reads_label = fact == "under_fire_safety_management" and expected is True
    explained: dict[tuple, Decision] = {}

    def applying(actual: Any, facts: Facts) -> Decision:
        reason = explain_fact(
            fact=fact, op=op, actual=actual, expected=expected, params=params, facts=facts
        )
        return Decision(True, (reason,))

    def explain(actual: Any, facts: Facts) -> Decision:
        cls = actual.__class__
        if cls not in _EXPLAINED_TYPES:
            return applying(actual, facts)
        if reads_label:
            key: tuple = (cls, actual, facts.get("appendix_i_label_vi"),
                          facts.get("appendix_i_label_en", ""))  # fmt: skip
        else:
            key = (cls, actual)
        found = explained.get(key)
        if found is None:
            found = applying(actual, facts)
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
        """``row_admits``: the row's category and kind tests."""
        if self.error is not None:
            raise self.error
        row = self.row
        if row.get("categories") and category not in row["categories"]:
            return False
        return not (row.get("kinds") and kind not in row["kinds"])

    def decide(self, facts: Facts) -> Decision:
        """``row_decide`` once the category and kind are admitted."""
        blank = tuple(n for n in self.row.get("needs") or () if facts.get(n) in (None, ""))
        if blank:
            return Decision(None, missing=blank)
        return self.when(facts)


def compile_table(key: str, params: Params) -> TableDecider:
    """``table_decide(key, facts, params)`` as a function of the facts, with the decision of the
    row it matched (whose reasons ``in_table`` adds) or None."""
    try:
        return _Table([_Row(row, params) for row in table_rows(key, params)]).decide
    except Exception as exc:  # the interpreter raises it when it reads the table
        return failing(exc)  # type: ignore[return-value]


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
                    return TableMatch(None, r.row, merge_missing(pending)), d
                return TableMatch(True, r.row), d
            if d.value is None:
                pending.append(d)
        if pending:
            return TableMatch(None, None, merge_missing(pending)), None
        return TableMatch(False), None
