"""Applicability rules: a small JSON expression over premises facts and decree parameters.

Grammar (every node is a JSON object, so rules live in YAML and in the admin as data):

    {"always": true}                          always applies
    {"all": [rule, ...]}                      every sub-rule applies
    {"any": [rule, ...]}                      at least one sub-rule applies
    {"not": rule}                             the sub-rule does not apply
    {"fact": NAME, OP: VALUE}                 compare a premises fact; OP is one of
                                              eq ne gt gte lt lte in not_in is
    {"in_table": PARAM_KEY}                   the premises matches a row of a threshold table
                                              parameter (Decree 105 Appendix I, II, VII ...)

VALUE may be a literal or {"param": KEY} to read a decree parameter, so a threshold changes
without a code change. A fact that is unknown (None) never satisfies a comparison: an unknown
size cannot prove that a threshold is reached.

``decide`` reads the same rules with three values (applies / does not apply / cannot tell yet):
an unknown fact that could change the answer makes the answer unknown and names that fact, so
an obligation is reported as "unknown: fill in X" instead of silently disappearing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .comparisons import COMPARISONS, compare
from .reasons import Because, explain_fact, row_reason

Rule = Mapping[str, Any]
Facts = Mapping[str, Any]
Params = Mapping[str, Any]

COMBINATORS = ("all", "any", "not")


class RuleError(ValueError):
    """A rule that does not follow the grammar (reported when loading or editing data)."""


@dataclass(frozen=True)
class RuleResult:
    applies: bool
    because: tuple[Because, ...] = ()


def resolve(value: Any, params: Params) -> Any:
    if isinstance(value, Mapping) and set(value) == {"param"}:
        key = value["param"]
        if key not in params:
            raise RuleError(f"unknown parameter {key!r}")
        return params[key]
    return value


def is_empty_rule(rule: Any) -> bool:
    """No rule at all (None, {} or true): it always applies."""
    return rule is None or rule == {} or rule is True


def node_of(rule: Any, keys: tuple[str, ...]) -> str:
    """The kind of a rule node: the first of ``keys`` it carries (a node with two is read as the
    first), or RuleError when it is not an object or carries none of them."""
    if not isinstance(rule, Mapping):
        raise RuleError(f"a rule must be an object, not {rule!r}")
    for key in keys:
        if key in rule:
            return key
    raise RuleError(f"unknown rule node: {dict(rule)!r}")


def fact_operator(rule: Rule) -> str:
    """The one comparison operator of a fact node."""
    ops = [op for op in COMPARISONS if op in rule]
    if len(ops) != 1:
        raise RuleError(f"fact rule needs exactly one of {COMPARISONS}: {dict(rule)!r}")
    return ops[0]


def evaluate(rule: Rule | None, facts: Facts, params: Params) -> RuleResult:
    """Whether ``rule`` applies to ``facts``, with the reasons that made it apply."""
    if is_empty_rule(rule):
        return RuleResult(True)
    node = node_of(rule, NODES)
    return _EVALUATORS[node](rule, facts, params)  # type: ignore[arg-type]


def _evaluate_always(rule: Rule, facts: Facts, params: Params) -> RuleResult:
    return RuleResult(bool(rule["always"]))


def _evaluate_all(rule: Rule, facts: Facts, params: Params) -> RuleResult:
    reasons: list[Because] = []
    for sub in rule["all"]:
        r = evaluate(sub, facts, params)
        if not r.applies:
            return RuleResult(False)
        reasons.extend(r.because)
    return RuleResult(True, tuple(reasons))


def _evaluate_any(rule: Rule, facts: Facts, params: Params) -> RuleResult:
    for sub in rule["any"]:
        r = evaluate(sub, facts, params)
        if r.applies:
            return r
    return RuleResult(False)


def _evaluate_not(rule: Rule, facts: Facts, params: Params) -> RuleResult:
    return RuleResult(not evaluate(rule["not"], facts, params).applies)


def _evaluate_in_table(rule: Rule, facts: Facts, params: Params) -> RuleResult:
    row = table_match(rule["in_table"], facts, params)
    if row is None:
        return RuleResult(False)
    # The row's own condition says which fact crossed the threshold ("400 m² (≥ 300 m²)").
    return RuleResult(True, (row_reason(row), *evaluate(row.get("when"), facts, params).because))


def _evaluate_fact(rule: Rule, facts: Facts, params: Params) -> RuleResult:
    fact = rule["fact"]
    op = fact_operator(rule)
    expected = resolve(rule[op], params)
    actual = facts.get(fact)
    if not compare(op, actual, expected):
        return RuleResult(False)
    if rule.get("explain") is False:
        return RuleResult(True)
    reason = explain_fact(
        fact=fact, op=op, actual=actual, expected=expected, params=params, facts=facts
    )
    return RuleResult(True, (reason,))


# The node kinds, in the order a node carrying two keys is read.
NODES = ("always", "all", "any", "not", "in_table", "fact")
_EVALUATORS: dict[str, Callable[[Rule, Facts, Params], RuleResult]] = {
    "always": _evaluate_always,
    "all": _evaluate_all,
    "any": _evaluate_any,
    "not": _evaluate_not,
    "in_table": _evaluate_in_table,
    "fact": _evaluate_fact,
}


def applies(rule: Rule | None, facts: Facts, params: Params) -> bool:
    return evaluate(rule, facts, params).applies


def row_admits(row: Mapping[str, Any], facts: Facts) -> bool:
    """Whether a table row's categories and kinds (when it lists them) admit the premises."""
    if row.get("categories") and facts.get("occupancy_category") not in row["categories"]:
        return False
    return not (row.get("kinds") and facts.get("kind") not in row["kinds"])


def table_rows(key: str, params: Params) -> list[Mapping[str, Any]]:
    """The rows of a threshold-table parameter (an unknown table is a RuleError)."""
    if key not in params:
        raise RuleError(f"unknown table parameter {key!r}")
    return params[key] or []


def table_match(key: str, facts: Facts, params: Params) -> Mapping[str, Any] | None:
    """The first row of a threshold table (a list of rows) that the premises matches.

    A row: {"id", "categories"?: [...], "kinds"?: [...], "when"?: rule, "label_vi", ...}.
    Rows are ordered so that the stricter group (e.g. Appendix II group 1) comes first.
    """
    for row in table_rows(key, params):
        if row_admits(row, facts) and evaluate(row.get("when"), facts, params).applies:
            return row
    return None
