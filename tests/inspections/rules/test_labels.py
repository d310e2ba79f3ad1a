"""The rules' vocabulary and bilingual texts: every term has its English in the catalogue, and
the pair does not depend on the language that happens to be active."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from inspections.rules import alarm, bilingual, deadline_status, people
from inspections.rules.bilingual import PerLanguage, both, translations
from inspections.rules.labels import (
    BOOLEAN_FACTS,
    FACT_NAMES,
    KIND_NAMES,
    PREMISES_KINDS,
    boolean_fact_texts,
    fact_label,
    fact_names,
    kind_label,
    kind_labels,
)
from inspections.rules.reasons import missing_text

PO = Path(__file__).resolve().parents[3] / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture(autouse=True)
def translated_afresh(monkeypatch):
    """Each test translates its texts itself, not from pairs an earlier test (or the process
    it was forked from) kept."""
    monkeypatch.setattr(bilingual, "_pairs", {})


def test_a_pair_is_translated_once_and_kept():
    first = translations("Chưa ghi nhận ngày hết hạn")
    assert first == ("Chưa ghi nhận ngày hết hạn", "No expiry date recorded")
    assert translations("Chưa ghi nhận ngày hết hạn") is first


def test_every_kind_of_premises_has_a_label_in_both_languages():
    assert set(KIND_NAMES) == set(PREMISES_KINDS)
    for code in PREMISES_KINDS:
        vi, en = kind_labels(code)
        assert vi == KIND_NAMES[code] and en and en != vi
    assert kind_labels("spaceship") == ("Đối tượng", "Premises")
    assert kind_label("home", "vi") == "Nhà ở" and kind_label("home", "en") == "Home"
    assert kind_label("spaceship", "en") == "spaceship"


def test_a_boolean_fact_reads_differently_when_true_and_false():
    for name in BOOLEAN_FACTS:
        (true_vi, true_en), (false_vi, false_en) = (
            boolean_fact_texts(name, True),
            boolean_fact_texts(name, False),
        )
        assert true_vi != false_vi and true_en != false_en
        assert true_en != true_vi and false_en != false_vi  # translated, not the msgid


def test_fact_labels():
    assert fact_label("occupancy_category") == ("loại hình hoạt động", "type of activity")
    assert fact_names("occupancy_category") == ("loại hình", "occupancy")
    assert fact_label("floors") == ("số tầng", "number of storeys")
    assert fact_label("floor_area_m2") == ("tổng diện tích sàn", "total floor area")
    assert fact_label("odd_fact") == ("odd_fact", "odd_fact")
    for name in FACT_NAMES:
        vi, en = fact_label(name)
        assert en and en != vi, name


@pytest.mark.parametrize("active", ["vi", "en"])
def test_pairs_do_not_follow_the_active_language(active):
    with translation.override(active):
        assert kind_labels("vehicle") == ("Phương tiện giao thông", "Vehicle")
        assert missing_text(["floors", "beds"]) == (
            "Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung số tầng, số giường bệnh",
            "Not enough information to decide this duty: fill in number of storeys, beds",
        )


def test_both_writes_dates_and_per_language_values_as_each_language_does():
    assert both("Hiệu lực đến %(expires)s", expires=date(2027, 7, 1)) == (
        "Hiệu lực đến 01/07/2027",
        "Valid until 2027-07-01",
    )
    assert both(
        "%(kind)s tại %(province)s", kind=PerLanguage("Cơ sở", "Establishment"), province="Hà Nội"
    ) == ("Cơ sở tại Hà Nội", "Establishment in Hà Nội")
    assert both("Chưa ghi nhận ngày hết hạn") == (
        "Chưa ghi nhận ngày hết hạn",
        "No expiry date recorded",
    )


def _msgids(module) -> list[str]:
    """The msgids a rules module passes to ``both``/``gettext_noop`` (a literal first argument).

    Functions mutation testing adds beside the original (``*__mutmut_<n>``) are not read.
    """
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            name = getattr(child, "name", "")
            if "__mutmut_" in name and not name.endswith("__mutmut_orig"):
                continue
            if (
                isinstance(child, ast.Call)
                and getattr(child.func, "id", "") in ("both", "gettext_noop")
                and child.args
                and isinstance(child.args[0], ast.Constant)
                and isinstance(child.args[0].value, str)
            ):
                found.append(child.args[0].value)
            visit(child)

    visit(ast.parse(Path(module.__file__).read_text()))
    return found


def _po_text(msgid: str) -> str:
    return msgid.replace("\\", "\\\\").replace('"', '\\"')


@pytest.mark.parametrize("module", [alarm, deadline_status, people])
def test_every_text_of_a_rules_module_has_its_english(module):
    po = PO.read_text()
    msgids = _msgids(module)
    assert msgids
    for msgid in msgids:
        assert f'msgid "{_po_text(msgid)}"\nmsgstr "' in po, msgid
        assert f'msgid "{_po_text(msgid)}"\nmsgstr ""' not in po, msgid
        vi, en = both(msgid, **dict.fromkeys(re.findall(r"%\((\w+)\)s", msgid), "X"))
        assert en != vi, msgid
