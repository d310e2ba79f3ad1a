"""Results kept per the facts a computation actually read (the refresh's per-requirement memo).

A requirement's outcome for a premises depends on a handful of facts (kind, category, a size
band, a date...), and most premises share them. ``ReadMemo`` runs the computation once on a
``Recorder`` that notes which facts it read, in order, and files the result in a tree keyed by
those facts' values: the next premises with the same values for those facts, however different
its other facts, gets the kept result without running it. The computation must be a pure
function of the facts it reads (through ``get``, ``[]`` and ``in``) and of the key it is given;
reading all of them (iteration, ``len``) or reading a value whose equal twin may behave
differently (``1`` and ``True``, ``-0.0``, a ``Decimal`` with more digits, a list of mappings)
leaves that result unkept.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

ABSENT = object()  # the fact is not in the mapping (``in`` is False)
UNKEYED = object()  # a value that cannot key a kept result
# Exact classes whose equal values behave alike (1 == True == 1.0, hence the class in the key).
_SCALARS = frozenset({int, bool, date})


def signature(value: Any) -> Any:
    """A hashable stand-in equal only for values no computation can tell apart, or UNKEYED."""
    cls = value.__class__
    if cls is str or value is None or value is ABSENT:
        return value
    # -0.0 == 0.0 and NaN != NaN: such floats are left unkept rather than told apart.
    if cls in _SCALARS or (cls is float and value != 0 and not math.isnan(value)):
        return (cls, value)
    if cls is tuple or cls is list:
        parts = tuple(signature(v) for v in value)
        keyed = all(p is not UNKEYED for p in parts)
    elif cls is dict:
        parts = tuple((k, signature(v)) for k, v in value.items())
        keyed = all(k.__class__ is str and p is not UNKEYED for k, p in parts)
    else:
        return UNKEYED
    return (cls, parts) if keyed else UNKEYED


class Recorder(Mapping[str, Any]):
    """The facts, noting each one read (first read first); ``whole`` once all were read."""

    __slots__ = ("facts", "reads", "whole")

    def __init__(self, facts: Mapping[str, Any]):
        self.facts = facts
        self.reads: dict[str, None] = {}
        self.whole = False

    def __getitem__(self, key: str) -> Any:
        self.reads[key] = None
        return self.facts[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.reads[key] = None
        return self.facts.get(key, default)

    def __contains__(self, key: object) -> bool:
        self.reads[key] = None  # type: ignore[index]
        return key in self.facts

    def __iter__(self) -> Iterator[str]:
        self.whole = True
        return iter(self.facts)

    def __len__(self) -> int:
        self.whole = True
        return len(self.facts)


class _Leaf:
    __slots__ = ("result",)

    def __init__(self, result: Any):
        self.result = result


class _Branch:
    __slots__ = ("key", "children")

    def __init__(self, key: str):
        self.key = key
        self.children: dict[Any, _Leaf | _Branch] = {}


def signatures(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The signature of each of one premises' facts (an absent one reads as ABSENT), computed
    once for all the results looked up for it."""
    return {name: signature(value) for name, value in facts.items()}


class ReadMemo:
    """``compute(facts, key)`` kept per ``key`` and the values of the facts it read.

    At most ``limit`` results are kept. After ``probation`` lookups with fewer than one hit in
    ``1 / min_hit_rate``, recording stops (a requirement that reads a floor area to the square
    metre has nothing to share) and every call computes directly: same results, no overhead.
    """

    __slots__ = ("compute", "roots", "size", "limit", "lookups", "hits", "probation",
                 "min_hit_rate", "active")  # fmt: skip

    def __init__(
        self,
        compute: Callable[[Mapping[str, Any], Any], Any],
        *,
        limit: int = 2000,
        probation: int = 500,
        min_hit_rate: float = 0.3,
    ):
        self.compute = compute
        self.roots: dict[Any, _Leaf | _Branch] = {}
        self.size = 0
        self.limit = limit
        self.lookups = self.hits = 0
        self.probation = probation
        self.min_hit_rate = min_hit_rate
        self.active = True

    def __call__(self, facts: Mapping[str, Any], key: Any, sigs: dict[str, Any]) -> Any:
        """``compute(facts, key)``; ``sigs`` is ``signatures(facts)``."""
        if not self.active:
            return self.compute(facts, key)
        self.lookups += 1
        node = self.roots.get(key)
        while node is not None:
            if node.__class__ is _Leaf:
                self.hits += 1
                return node.result
            s = sigs.get(node.key, ABSENT)  # type: ignore[union-attr]
            if s is UNKEYED:
                break
            node = node.children.get(s)  # type: ignore[union-attr]
        if self.lookups >= self.probation and self.hits < self.lookups * self.min_hit_rate:
            self.active = False
            return self.compute(facts, key)
        if self.size >= self.limit:
            return self.compute(facts, key)  # full: nothing more would be kept
        recorder = Recorder(facts)
        result = self.compute(recorder, key)
        if not recorder.whole:
            path = [(name, sigs.get(name, ABSENT)) for name in recorder.reads]
            if all(s is not UNKEYED for _name, s in path):
                self._add(key, path, result)
        return result

    def _add(self, key: Any, path: list[tuple[str, Any]], result: Any) -> None:
        parent, slot = self.roots, key
        for name, s in path:
            node = parent.get(slot)
            if node is None:
                node = parent[slot] = _Branch(name)
            elif node.__class__ is _Leaf or node.key != name:  # type: ignore[union-attr]
                return  # not a pure function of what it read: keep nothing more
            parent, slot = node.children, s  # type: ignore[union-attr]
        if slot not in parent:
            parent[slot] = _Leaf(result)
            self.size += 1
