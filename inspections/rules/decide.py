"""The rules read with three values: applies, does not apply, or cannot tell yet.

``decide`` reads the grammar of rules/applicability.py: an unknown fact that could change the
answer makes the answer unknown and names that fact, so an obligation is reported as
"unknown: fill in X" instead of silently disappearing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .applicability import (
    NODES,
    Facts,
    Params,
    Rule,
    evaluate,
    is_empty_rule,
    node_of,
    row_admits,
    table_rows,
)
from .reasons import Because, row_reason


@dataclass(frozen=True)
class Decision:
    """A three-valued answer: ``value`` None means the facts named in ``missing`` decide it."""

    value: bool | None
    because: tuple[Because, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def unknown(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class TableMatch:
    """The row a premises matches (value True), no row (False), or cannot tell yet (None)."""

    value: bool | None
    row: Mapping[str, Any] | None = None
    missing: tuple[str, ...] = ()


# Facts computed from the tables: unknown only when the derivation says so (their None can also
# mean "no row"), and then the raw facts that derivation lacked are the ones to fill in.
UNKNOWN_FACTS_KEY = "unknown_facts"

# Derived facts whose None is an answer ("in no Appendix II row"), not a gap.
DERIVED_NONE_OK = frozenset(
    {"appendix_i_row", "appendix_ii_group", "appendix_vii_row", "appendix_ii_row"}
)


def merge_missing(decisions: Iterable[Decision]) -> tuple[str, ...]:
    """The facts every undecided part lacks, in order of first mention, each once."""
    seen: dict[str, None] = {}
    for d in decisions:
        for name in d.missing:
            seen.setdefault(name, None)
    return tuple(seen)


def fact_unknown(fact: str, facts: Facts) -> tuple[str, ...] | None:
    """The facts to fill in before ``fact`` can be compared, or None when it is known."""
    derived = facts.get(UNKNOWN_FACTS_KEY) or {}
    if fact in derived:
        return tuple(derived[fact]) or (fact,)
    if fact in facts and facts[fact] is None and fact not in DERIVED_NONE_OK:
        return (fact,)
    return None


def decide(rule: Rule | None, facts: Facts, params: Params) -> Decision:
    """Three-valued ``evaluate``: True / False, or None with the facts that would decide it.

    ``all`` is false as soon as one part is false whatever the unknowns; ``any`` is true as soon
    as one part is true. Only when the known facts cannot settle it is the answer unknown.
    """
    if is_empty_rule(rule):
        return Decision(True)
    node = node_of(rule, NODES)
    return _DECIDERS[node](rule, facts, params)  # type: ignore[arg-type]


def _decide_always(rule: Rule, facts: Facts, params: Params) -> Decision:
    return Decision(bool(rule["always"]))


def _decide_all(rule: Rule, facts: Facts, params: Params) -> Decision:
    # Stop at the first false part: nothing after it can change the answer.
    parts = []
    for sub in rule["all"]:
        part = decide(sub, facts, params)
        if part.value is False:
            return Decision(False)
        parts.append(part)
    unknown = [p for p in parts if p.value is None]
    if unknown:
        return Decision(None, missing=merge_missing(unknown))
    return Decision(True, tuple(b for p in parts for b in p.because))


def _decide_any(rule: Rule, facts: Facts, params: Params) -> Decision:
    # Stop at the first true part, which gives the reasons.
    parts = []
    for sub in rule["any"]:
        part = decide(sub, facts, params)
        if part.value is True:
            return part
        parts.append(part)
    unknown = [p for p in parts if p.value is None]
    if unknown:
        return Decision(None, missing=merge_missing(unknown))
    return Decision(False)


def _decide_not(rule: Rule, facts: Facts, params: Params) -> Decision:
    inner = decide(rule["not"], facts, params)
    if inner.value is None:
        return inner
    return Decision(not inner.value)


def _decide_in_table(rule: Rule, facts: Facts, params: Params) -> Decision:
    match = table_decide(rule["in_table"], facts, params)
    if match.value is not True or match.row is None:
        return Decision(match.value, missing=match.missing)
    row = match.row
    return Decision(True, (row_reason(row), *decide(row.get("when"), facts, params).because))


def _decide_fact(rule: Rule, facts: Facts, params: Params) -> Decision:
    missing = fact_unknown(rule["fact"], facts)
    if missing is not None:
        return Decision(None, missing=missing)
    result = evaluate(rule, facts, params)
    return Decision(result.applies, result.because)


_DECIDERS: dict[str, Callable[[Rule, Facts, Params], Decision]] = {
    "always": _decide_always,
    "all": _decide_all,
    "any": _decide_any,
    "not": _decide_not,
    "in_table": _decide_in_table,
    "fact": _decide_fact,
}


def row_decide(row: Mapping[str, Any], facts: Facts, params: Params) -> Decision:
    """Whether a table row matches the premises, or the facts that would tell."""
    if not row_admits(row, facts):
        return Decision(False)
    # A row that turns on a classification (hazard class, monument rank...) cannot be decided
    # while that classification is blank.
    blank = tuple(n for n in row.get("needs") or () if facts.get(n) in (None, ""))
    if blank:
        return Decision(None, missing=blank)
    return decide(row.get("when"), facts, params)


def table_decide(key: str, facts: Facts, params: Params) -> TableMatch:
    """Three-valued ``table_match``: the first row that surely matches, in table order.

    A row that might match (unknown) ahead of the first sure match leaves the answer unknown,
    because the earlier row (a stricter group) would win once its facts are known.
    """
    pending: list[Decision] = []
    for row in table_rows(key, params):
        d = row_decide(row, facts, params)
        if d.value is True:
            if pending:
                return TableMatch(None, row, merge_missing(pending))
            return TableMatch(True, row)
        if d.value is None:
            pending.append(d)
    if pending:
        return TableMatch(None, None, merge_missing(pending))
    return TableMatch(False)
