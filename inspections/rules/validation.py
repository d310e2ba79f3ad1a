"""Grammar errors of an applicability rule, reported when the catalogue is loaded or edited."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .applicability import Params, is_empty_rule
from .comparisons import COMPARISONS

# The sub-rules of a node still to check, each with its path ("rule.all[0]").
Children = list[tuple[Any, str]]
# Checks one node: appends its errors and returns its sub-rules.
Check = Callable[[Mapping[str, Any], str, "Params | None", list[str]], Children]


def validate_rule(rule: Any, params: Params | None = None) -> list[str]:
    """Grammar errors of a rule (empty when valid); parameters are checked when given."""
    errors: list[str] = []
    _walk(rule, "rule", params, errors)
    return errors


def _walk(node: Any, path: str, params: Params | None, errors: list[str]) -> None:
    for sub, sub_path in _check_node(node, path, params, errors):
        _walk(sub, sub_path, params, errors)


def _check_node(node: Any, path: str, params: Params | None, errors: list[str]) -> Children:
    if is_empty_rule(node):
        return []
    if not isinstance(node, Mapping):
        errors.append(f"{path}: a rule must be an object")
        return []
    for key, check in _CHECKS:
        if key in node:
            return check(node, path, params, errors)
    errors.append(f"{path}: unknown rule node {sorted(node)}")
    return []


def _check_always(
    node: Mapping[str, Any], path: str, params: Params | None, errors: list[str]
) -> Children:
    return []


def _check_all(
    node: Mapping[str, Any], path: str, params: Params | None, errors: list[str]
) -> Children:
    return _list_of_rules("all", node, path, errors)


def _check_any(
    node: Mapping[str, Any], path: str, params: Params | None, errors: list[str]
) -> Children:
    return _list_of_rules("any", node, path, errors)


def _list_of_rules(key: str, node: Mapping[str, Any], path: str, errors: list[str]) -> Children:
    """The sub-rules of ``all`` or ``any``: a non-empty list."""
    if not isinstance(node[key], list) or not node[key]:
        errors.append(f"{path}.{key}: must be a non-empty list")
        return []
    return [(sub, f"{path}.{key}[{i}]") for i, sub in enumerate(node[key])]


def _check_not(
    node: Mapping[str, Any], path: str, params: Params | None, errors: list[str]
) -> Children:
    return [(node["not"], f"{path}.not")]


def _check_in_table(
    node: Mapping[str, Any], path: str, params: Params | None, errors: list[str]
) -> Children:
    if params is not None and node["in_table"] not in params:
        errors.append(f"{path}: unknown table parameter {node['in_table']!r}")
    return []


def _check_fact(
    node: Mapping[str, Any], path: str, params: Params | None, errors: list[str]
) -> Children:
    ops = [op for op in COMPARISONS if op in node]
    if len(ops) != 1:
        errors.append(f"{path}: fact rule needs exactly one operator of {COMPARISONS}")
        return []
    value = node[ops[0]]
    if isinstance(value, Mapping):
        if set(value) != {"param"}:
            errors.append(f"{path}: a value object must be {{'param': KEY}}")
        elif params is not None and value["param"] not in params:
            errors.append(f"{path}: unknown parameter {value['param']!r}")
    return []


# In the order a node carrying two keys is read.
_CHECKS: tuple[tuple[str, Check], ...] = (
    ("always", _check_always),
    ("all", _check_all),
    ("any", _check_any),
    ("not", _check_not),
    ("in_table", _check_in_table),
    ("fact", _check_fact),
)
