"""Results kept per the facts a computation read (rules/memo.py) are the results it computes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspections.rules.memo import ABSENT, UNKEYED, ReadMemo, Recorder, signature, signatures


def test_equal_values_that_print_differently_never_share_a_signature():
    assert len({signature(1), signature(True), signature(1.0)}) == 3
    assert signature(date(2026, 1, 1)) != signature(datetime(2026, 1, 1))
    assert signature(("a",)) != signature(["a"])
    assert len({signature(None), signature(""), signature(ABSENT), signature(0)}) == 4
    assert signature("karaoke") == signature("karaoke") and signature(2.5) == signature(2.5)
    assert signature({"a": ("x",)}) != signature({"a": ["x"]})
    # Insertion order is part of a mapping's signature: it shows when iterated.
    assert signature({"a": 1, "b": 2}) != signature({"b": 2, "a": 1})


@pytest.mark.parametrize(
    "value",
    [
        0.0,
        -0.0,
        float("nan"),
        Decimal("1.10"),
        ("a", Decimal(1)),
        [0.0],
        {"a": -0.0},
        {1: "a"},
        ({"holder": Decimal(1)},),
        object(),
        datetime(2026, 1, 1),
    ],  # fmt: skip
)
def test_values_whose_twins_may_behave_differently_are_unkeyed(value):
    assert signature(value) is UNKEYED


def test_keyed_containers_keep_their_items():
    assert signature(("a", 1)) == (tuple, ("a", (int, 1)))
    assert signature({"a": [None]}) == (dict, (("a", (list, (None,))),))
    assert signature(2.5) == (float, 2.5) and signature(-3.0) == (float, -3.0)
    assert signatures({"a": 1, "b": None}) == {"a": (int, 1), "b": None}


def test_the_recorder_notes_each_fact_read_once_in_the_order_first_read():
    facts = {"kind": "home", "floors": 3, "beds": None}
    rec = Recorder(facts)
    assert rec.get("floors") == 3 and rec["kind"] == "home" and "beds" in rec
    assert rec.get("floors") == 3 and rec.get("absent", 7) == 7 and "nothing" not in rec
    assert list(rec.reads) == ["floors", "kind", "beds", "absent", "nothing"]
    assert not rec.whole
    with pytest.raises(KeyError):
        rec["missing"]
    assert len(rec) == 3 and rec.whole
    again = Recorder(facts)
    assert sorted(again) == ["beds", "floors", "kind"] and again.whole and not again.reads


class Counting:
    """A computation reading ``floors`` and, for tall premises, ``height_m``."""

    def __init__(self):
        self.calls = 0

    def __call__(self, facts: Any, key: Any) -> Any:
        self.calls += 1
        floors = facts.get("floors")
        if floors is not None and floors > 5:
            return (key, floors, facts.get("height_m"))
        return (key, floors)


def test_premises_agreeing_on_what_was_read_share_the_result():
    compute = Counting()
    memo = ReadMemo(compute)

    def ask(facts: dict[str, Any], key: Any = "k") -> Any:
        return memo(facts, key, signatures(facts))

    assert ask({"floors": 3, "beds": 1}) == ("k", 3)
    assert ask({"floors": 3, "beds": 200, "kind": "home"}) == ("k", 3)  # beds never read
    assert compute.calls == 1 and memo.hits == 1 and memo.size == 1
    assert ask({"floors": 4}) == ("k", 4) and compute.calls == 2
    assert ask({"floors": 3}, key="other") == ("other", 3) and compute.calls == 3
    assert ask({"floors": 9, "height_m": 30.5}) == ("k", 9, 30.5)
    assert ask({"floors": 9, "height_m": 31.5}) == ("k", 9, 31.5)
    assert ask({"floors": 9, "height_m": 30.5, "beds": 2}) == ("k", 9, 30.5)
    assert compute.calls == 5 and memo.hits == 2
    # Absent and None differ for ``in``; True and 1 differ in print.
    assert ask({}) == ("k", None) and ask({"floors": None}) == ("k", None)
    assert ask({"floors": True}) == ("k", True) and ask({"floors": 1}) == ("k", 1)
    assert compute.calls == 9


def test_results_over_unkeyed_values_or_all_facts_are_never_kept():
    compute = Counting()
    memo = ReadMemo(compute)
    for _ in range(3):
        facts = {"floors": Decimal("3")}
        assert memo(facts, "k", signatures(facts)) == ("k", Decimal("3"))
    assert compute.calls == 3 and memo.size == 0

    everything = ReadMemo(lambda facts, key: sorted(facts))
    for _ in range(2):
        assert everything({"a": 1}, "k", {"a": (int, 1)}) == ["a"]
    assert everything.size == 0


def test_an_error_is_raised_and_nothing_kept():
    def failing(facts: Any, key: Any) -> Any:
        facts.get("floors")
        raise ValueError("bad")

    memo = ReadMemo(failing)
    for _ in range(2):
        with pytest.raises(ValueError, match="bad"):
            memo({"floors": 1}, "k", {"floors": (int, 1)})
    assert memo.size == 0


def test_no_more_than_the_limit_is_kept():
    compute = Counting()
    memo = ReadMemo(compute, limit=2)
    for floors in (1, 2, 3, 1, 2, 3):
        facts = {"floors": floors}
        assert memo(facts, "k", signatures(facts)) == ("k", floors)
    assert memo.size == 2 and compute.calls == 4  # 3 never kept

    def reads_nothing(facts: Any, key: Any) -> Any:
        return key

    one = ReadMemo(reads_nothing, limit=1)
    assert [one({}, k, {}) for k in ("a", "b", "a", "b")] == ["a", "b", "a", "b"]
    assert one.size == 1 and one.hits == 1


def test_a_memo_that_rarely_hits_stops_recording_and_still_answers():
    compute = Counting()
    memo = ReadMemo(compute, probation=5, min_hit_rate=0.5)
    for floors in (1, 1, 2, 3):
        facts = {"floors": floors}
        assert memo(facts, "k", signatures(facts)) == ("k", floors)
    assert memo.active and memo.size == 3  # still on probation
    facts = {"floors": 4}  # 1 hit in 5 lookups: below half
    assert memo(facts, "k", signatures(facts)) == ("k", 4)
    assert not memo.active and memo.size == 3 and compute.calls == 4
    assert memo({"floors": 1}, "k", signatures({"floors": 1})) == ("k", 1)
    assert compute.calls == 5  # inactive: computed, the kept result no longer looked up
    busy = ReadMemo(Counting(), probation=2, min_hit_rate=0.5)
    for _ in range(5):
        busy({"floors": 1}, "k", signatures({"floors": 1}))
    assert busy.active and busy.hits == 4


def test_a_computation_whose_reads_do_not_follow_its_values_keeps_the_first_tree():
    state = {"n": 0}

    def impure(facts: Any, key: Any) -> Any:
        state["n"] += 1
        return facts.get("a" if state["n"] % 2 else "b")

    memo = ReadMemo(impure)
    memo({"a": 1, "b": 2}, "k", signatures({"a": 1, "b": 2}))
    memo({"a": 5, "b": 2}, "k", signatures({"a": 5, "b": 2}))  # read "b" where "a" was read
    assert memo.size == 1


# A random program: reads facts, branches on them, returns what it saw.
programs = st.recursive(
    st.builds(lambda n: ("leaf", n), st.integers(0, 3)),
    lambda inner: st.builds(
        lambda key, threshold, low, high: ("read", key, threshold, low, high),
        st.sampled_from(["a", "b", "c", "d"]),
        st.integers(0, 3),
        inner,
        inner,
    ),
    max_leaves=6,
)
fact_values = st.one_of(st.none(), st.integers(0, 4), st.booleans(), st.sampled_from([0.0, 2.5]))


def run(program: Any, facts: Any, key: Any) -> Any:
    seen = []
    while program[0] == "read":
        _tag, name, threshold, low, high = program
        if name in facts:
            value = facts[name]
            seen.append((name, repr(value)))
            program = high if value is not None and value > threshold else low
        else:
            seen.append((name, "absent"))
            program = low
    return (program[1], key, tuple(seen))


@settings(max_examples=300, deadline=None)
@given(
    programs,
    st.lists(
        st.tuples(
            st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), fact_values),
            st.sampled_from(["k1", "k2"]),
        ),
        min_size=1,
        max_size=25,
    ),
    st.integers(1, 30),
)
def test_a_kept_result_is_always_the_computed_one(program, calls, limit):
    memo = ReadMemo(lambda facts, key: run(program, facts, key), limit=limit, min_hit_rate=0.0)
    for facts, key in calls:
        assert memo(facts, key, signatures(facts)) == run(program, facts, key)
