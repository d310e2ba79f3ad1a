"""The rules' vocabulary: every kind and boolean fact named in both languages."""

from __future__ import annotations

from inspections.rules.labels import (
    BOOLEAN_FACTS,
    FACT_LABELS,
    KIND_LABELS,
    PREMISES_KINDS,
    fact_label,
)


def test_every_kind_of_premises_has_a_label_in_both_languages():
    assert set(KIND_LABELS) == set(PREMISES_KINDS)
    assert all(vi and en and vi != en for vi, en in KIND_LABELS.values())


def test_a_boolean_fact_reads_differently_when_true_and_false():
    for (true_vi, true_en), (false_vi, false_en) in BOOLEAN_FACTS.values():
        assert true_vi != false_vi and true_en != false_en


def test_fact_labels():
    assert fact_label("occupancy_category") == ("loại hình hoạt động", "occupancy category")
    assert FACT_LABELS["occupancy_category"][:2] == ("loại hình", "occupancy")
    assert fact_label("floors") == ("số tầng", "floors")
    assert fact_label("floor_area_m2") == ("tổng diện tích sàn", "total floor area")
    assert fact_label("odd_fact") == ("odd_fact", "odd_fact")
