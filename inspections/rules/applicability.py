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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

Rule = Mapping[str, Any]
Facts = Mapping[str, Any]
Params = Mapping[str, Any]

COMPARISONS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "is")
COMBINATORS = ("all", "any", "not")

PREMISES_KINDS = ("establishment", "home", "home_business", "construction_site", "vehicle")

KIND_LABELS: dict[str, tuple[str, str]] = {
    "establishment": ("Cơ sở", "Establishment"),
    "home": ("Nhà ở", "Home"),
    "home_business": ("Nhà ở kết hợp sản xuất, kinh doanh", "Home combined with a business"),
    "construction_site": ("Công trình đang thi công", "Construction site"),
    "vehicle": ("Phương tiện giao thông", "Vehicle"),
}

# (vi label, en label, unit) used to explain a comparison in plain language.
FACT_LABELS: dict[str, tuple[str, str, str]] = {
    "floors": ("số tầng", "floors", ""),
    "height_m": ("chiều cao", "height", " m"),
    "floor_area_m2": ("tổng diện tích sàn", "total floor area", " m²"),
    "volume_m3": ("khối tích", "volume", " m³"),
    "business_area_m2": ("diện tích kinh doanh", "business area", " m²"),
    "beds": ("số giường bệnh", "beds", ""),
    "capacity": ("sức chứa", "capacity", " người"),
    "employees": ("số người lao động", "employees", ""),
    "onsite_team_members": ("số thành viên Đội PCCC và CNCH cơ sở", "on-site team members", ""),
    "hazard_class": ("hạng nguy hiểm cháy, nổ", "fire/explosion hazard class", ""),
    "occupancy_category": ("loại hình", "occupancy", ""),
    "kind": ("loại đối tượng", "kind", ""),
    "alarm_device_state": ("thiết bị truyền tin báo cháy", "alarm-transmission device", ""),
    "province_code": ("tỉnh/thành phố", "province", ""),
    "gas_stored_kg": ("lượng khí đốt tồn chứa", "gas stored", " kg"),
    "voltage_kv": ("điện áp", "voltage", " kV"),
    "length_m": ("chiều dài", "length", " m"),
    "site_area_m2": ("diện tích khu đất, bãi", "site area", " m²"),
    "heritage_rank": ("cấp di tích", "monument rank", ""),
    "works_grade": ("cấp công trình", "works grade", ""),
    "fishing_port_class": ("loại cảng cá", "fishing port class", ""),
    "needs_design_appraisal": (
        "thuộc diện thẩm duyệt, thẩm định thiết kế về PCCC",
        "needs fire design appraisal",
        "",
    ),
    "under_fire_safety_management": (
        "thuộc diện quản lý về PCCC",
        "under fire-safety management",
        "",
    ),
    "alarm_connected_on": ("ngày kết nối thiết bị", "device connection date", ""),
}

# Plain-language text of a boolean fact being true / false.
BOOLEAN_FACTS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "in_infra_deficient_area": (
        (
            "trong khu vực được xác định thiếu hạ tầng giao thông hoặc nguồn nước chữa cháy",
            "in an area designated as lacking firefighting road access or water",
        ),
        (
            "ngoài khu vực được xác định thiếu hạ tầng giao thông hoặc nguồn nước chữa cháy",
            "outside the areas designated as lacking firefighting access or water",
        ),
    ),
    "in_centrally_run_city": (
        ("thuộc thành phố trực thuộc trung ương", "in a centrally-run city"),
        ("không thuộc thành phố trực thuộc trung ương", "not in a centrally-run city"),
    ),
    "under_fire_safety_management": (
        (
            "thuộc danh mục cơ sở quản lý về PCCC (Phụ lục I Nghị định 105/2025/NĐ-CP)",
            "under fire-safety management (Decree 105/2025 Appendix I)",
        ),
        (
            "không thuộc danh mục cơ sở quản lý về PCCC",
            "not under fire-safety management (not in Appendix I)",
        ),
    ),
    "trades_hazardous_goods": (
        (
            "sản xuất, kinh doanh hàng hóa nguy hiểm về cháy, nổ",
            "produces or trades goods with a fire/explosion hazard",
        ),
        ("không kinh doanh hàng hóa nguy hiểm về cháy, nổ", "no hazardous goods traded"),
    ),
    "has_ev_charging": (
        ("có nơi sạc điện cho xe động cơ điện", "has electric-vehicle charging"),
        ("không có nơi sạc xe điện", "no electric-vehicle charging"),
    ),
    "uses_electricity_for_production": (
        ("sử dụng điện cho sản xuất", "uses electricity for production"),
        ("không sử dụng điện cho sản xuất", "no electricity used for production"),
    ),
    "hosts_other_organisations": (
        (
            "có cơ quan, tổ chức khác hoạt động trong phạm vi cơ sở",
            "other organisations operate inside the establishment",
        ),
        ("không có tổ chức khác trong cơ sở", "no other organisation inside"),
    ),
    "legacy_noncompliant_listed": (
        (
            "có tên trong danh sách cơ sở không bảo đảm yêu cầu PCCC, không có khả năng khắc phục "
            "(điểm a khoản 6 Điều 55)",
            "on the provincial list of legacy establishments that cannot meet the standards",
        ),
        ("không có tên trong danh sách cơ sở cũ không bảo đảm PCCC", "not on the legacy list"),
    ),
}

_OP_SYMBOLS = {
    "eq": "=",
    "ne": "≠",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "in": "∈",
    "not_in": "∉",
}


class RuleError(ValueError):
    """A rule that does not follow the grammar (reported when loading or editing data)."""


@dataclass(frozen=True)
class Because:
    """One plain-language reason a rule applied, in Vietnamese and English."""

    vi: str
    en: str


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


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "is":
        return actual is expected or (expected is not None and actual == expected)
    if op == "in":
        return actual is not None and actual in expected
    if op == "not_in":
        return actual is not None and actual not in expected
    if actual is None or actual == "":
        return False if op != "ne" else expected not in (None, "")
    actual, expected = _number(actual), _number(expected)
    if isinstance(actual, date) and isinstance(expected, str):
        expected = date.fromisoformat(expected)
    try:
        return {
            "eq": lambda: actual == expected,
            "ne": lambda: actual != expected,
            "gt": lambda: actual > expected,
            "gte": lambda: actual >= expected,
            "lt": lambda: actual < expected,
            "lte": lambda: actual <= expected,
        }[op]()
    except TypeError:
        return False


def _fmt(value: Any) -> str:
    value = _number(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1000:
        return f"{value:,}".replace(",", ".")
    return str(value)


def _category_label(code: Any, params: Params, lang: str) -> str:
    for row in params.get("occupancy_categories", []) or []:
        if row.get("code") == code:
            return row.get(f"label_{lang}") or str(code)
    if code in KIND_LABELS:
        return KIND_LABELS[code][0 if lang == "vi" else 1]
    return str(code)


def _lead_lower(text: str) -> str:
    # Row labels start a sentence in tables; inside a reason they follow a comma.
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _explain_fact(
    fact: str, op: str, actual: Any, expected: Any, params: Params, facts: Facts
) -> Because:
    if (
        fact == "under_fire_safety_management"
        and expected is True
        and facts.get("appendix_i_label_vi")
    ):
        # Name the Appendix I row that put the premises under management, not just the appendix.
        return Because(
            _lead_lower(facts["appendix_i_label_vi"]), facts.get("appendix_i_label_en", "")
        )
    if fact in BOOLEAN_FACTS and op in ("is", "eq") and isinstance(expected, bool):
        (t_vi, t_en), (f_vi, f_en) = BOOLEAN_FACTS[fact]
        return Because(t_vi, t_en) if expected else Because(f_vi, f_en)
    if fact in ("occupancy_category", "kind"):
        return Because(
            f"{FACT_LABELS[fact][0]}: {_category_label(actual, params, 'vi')}",
            f"{FACT_LABELS[fact][1]}: {_category_label(actual, params, 'en')}",
        )
    label_vi, label_en, unit = FACT_LABELS.get(fact, (fact, fact, ""))
    symbol = _OP_SYMBOLS.get(op, op)
    if isinstance(expected, (list, tuple)):
        shown = ", ".join(_fmt(v) for v in expected)
        return Because(f"{label_vi} {_fmt(actual)}", f"{label_en} {_fmt(actual)} ({shown})")
    return Because(
        f"{label_vi} {_fmt(actual)}{unit} ({symbol} {_fmt(expected)}{unit})",
        f"{label_en} {_fmt(actual)}{unit.replace(' người', '')} ({symbol} {_fmt(expected)})",
    )


def evaluate(rule: Rule | None, facts: Facts, params: Params) -> RuleResult:
    """Whether ``rule`` applies to ``facts``, with the reasons that made it apply."""
    if rule is None or rule == {} or rule is True:
        return RuleResult(True)
    if not isinstance(rule, Mapping):
        raise RuleError(f"a rule must be an object, not {rule!r}")
    if "always" in rule:
        return RuleResult(bool(rule["always"]))
    if "all" in rule:
        reasons: list[Because] = []
        for sub in rule["all"]:
            r = evaluate(sub, facts, params)
            if not r.applies:
                return RuleResult(False)
            reasons.extend(r.because)
        return RuleResult(True, tuple(reasons))
    if "any" in rule:
        for sub in rule["any"]:
            r = evaluate(sub, facts, params)
            if r.applies:
                return r
        return RuleResult(False)
    if "not" in rule:
        r = evaluate(rule["not"], facts, params)
        return RuleResult(not r.applies)
    if "in_table" in rule:
        row = table_match(rule["in_table"], facts, params)
        if row is None:
            return RuleResult(False)
        label = Because(_lead_lower(row.get("label_vi", "")), row.get("label_en", ""))
        # The row's own condition says which fact crossed the threshold ("400 m² (≥ 300 m²)").
        return RuleResult(True, (label, *evaluate(row.get("when"), facts, params).because))
    if "fact" in rule:
        fact = rule["fact"]
        ops = [op for op in COMPARISONS if op in rule]
        if len(ops) != 1:
            raise RuleError(f"fact rule needs exactly one of {COMPARISONS}: {dict(rule)!r}")
        op = ops[0]
        expected = resolve(rule[op], params)
        actual = facts.get(fact)
        if not _compare(op, actual, expected):
            return RuleResult(False)
        if rule.get("explain") is False:
            return RuleResult(True)
        return RuleResult(True, (_explain_fact(fact, op, actual, expected, params, facts),))
    raise RuleError(f"unknown rule node: {dict(rule)!r}")


@dataclass(frozen=True)
class Decision:
    """A three-valued answer: ``value`` None means the facts named in ``missing`` decide it."""

    value: bool | None
    because: tuple[Because, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def unknown(self) -> bool:
        return self.value is None


# Facts computed from the tables: unknown only when the derivation says so (their None can also
# mean "no row"), and then the raw facts that derivation lacked are the ones to fill in.
UNKNOWN_FACTS_KEY = "unknown_facts"


def _merge(decisions: list[Decision]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for d in decisions:
        for name in d.missing:
            seen.setdefault(name, None)
    return tuple(seen)


def _fact_unknown(fact: str, facts: Facts) -> tuple[str, ...] | None:
    derived = facts.get(UNKNOWN_FACTS_KEY) or {}
    if fact in derived:
        return tuple(derived[fact]) or (fact,)
    if fact in facts and facts[fact] is None and fact not in _DERIVED_NONE_OK:
        return (fact,)
    return None


# Derived facts whose None is an answer ("in no Appendix II row"), not a gap.
_DERIVED_NONE_OK = frozenset(
    {"appendix_i_row", "appendix_ii_group", "appendix_vii_row", "appendix_ii_row"}
)


def decide(rule: Rule | None, facts: Facts, params: Params) -> Decision:
    """Three-valued ``evaluate``: True / False, or None with the facts that would decide it.

    ``all`` is false as soon as one part is false whatever the unknowns; ``any`` is true as soon
    as one part is true. Only when the known facts cannot settle it is the answer unknown.
    """
    if rule is None or rule == {} or rule is True:
        return Decision(True)
    if not isinstance(rule, Mapping):
        raise RuleError(f"a rule must be an object, not {rule!r}")
    if "always" in rule:
        return Decision(bool(rule["always"]))
    if "all" in rule:
        # Stop at the first false part: nothing after it can change the answer.
        parts = []
        for sub in rule["all"]:
            part = decide(sub, facts, params)
            if part.value is False:
                return Decision(False)
            parts.append(part)
        unknown = [p for p in parts if p.value is None]
        if unknown:
            return Decision(None, missing=_merge(unknown))
        return Decision(True, tuple(b for p in parts for b in p.because))
    if "any" in rule:
        # Stop at the first true part, which gives the reasons.
        parts = []
        for sub in rule["any"]:
            part = decide(sub, facts, params)
            if part.value is True:
                return part
            parts.append(part)
        unknown = [p for p in parts if p.value is None]
        if unknown:
            return Decision(None, missing=_merge(unknown))
        return Decision(False)
    if "not" in rule:
        inner = decide(rule["not"], facts, params)
        if inner.value is None:
            return inner
        return Decision(not inner.value)
    if "in_table" in rule:
        match = table_decide(rule["in_table"], facts, params)
        if match.value is not True or match.row is None:
            return Decision(match.value, missing=match.missing)
        row = match.row
        label = Because(_lead_lower(row.get("label_vi", "")), row.get("label_en", ""))
        return Decision(True, (label, *decide(row.get("when"), facts, params).because))
    if "fact" in rule:
        missing = _fact_unknown(rule["fact"], facts)
        if missing is not None:
            return Decision(None, missing=missing)
        result = evaluate(rule, facts, params)
        return Decision(result.applies, result.because)
    raise RuleError(f"unknown rule node: {dict(rule)!r}")


@dataclass(frozen=True)
class TableMatch:
    """The row a premises matches (value True), no row (False), or cannot tell yet (None)."""

    value: bool | None
    row: Mapping[str, Any] | None = None
    missing: tuple[str, ...] = ()


def _row_applies(row: Mapping[str, Any], facts: Facts, params: Params) -> Decision:
    if row.get("categories") and facts.get("occupancy_category") not in row["categories"]:
        return Decision(False)
    if row.get("kinds") and facts.get("kind") not in row["kinds"]:
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
    if key not in params:
        raise RuleError(f"unknown table parameter {key!r}")
    pending: list[Decision] = []
    for row in params[key] or []:
        d = _row_applies(row, facts, params)
        if d.value is True:
            if pending:
                return TableMatch(None, row, _merge(pending))
            return TableMatch(True, row)
        if d.value is None:
            pending.append(d)
    if pending:
        return TableMatch(None, None, _merge(pending))
    return TableMatch(False)


def applies(rule: Rule | None, facts: Facts, params: Params) -> bool:
    return evaluate(rule, facts, params).applies


def table_match(key: str, facts: Facts, params: Params) -> Mapping[str, Any] | None:
    """The first row of a threshold table (a list of rows) that the premises matches.

    A row: {"id", "categories"?: [...], "kinds"?: [...], "when"?: rule, "label_vi", ...}.
    Rows are ordered so that the stricter group (e.g. Appendix II group 1) comes first.
    """
    if key not in params:
        raise RuleError(f"unknown table parameter {key!r}")
    for row in params[key] or []:
        if row.get("categories") and facts.get("occupancy_category") not in row["categories"]:
            continue
        if row.get("kinds") and facts.get("kind") not in row["kinds"]:
            continue
        if evaluate(row.get("when"), facts, params).applies:
            return row
    return None


def validate_rule(rule: Any, params: Params | None = None) -> list[str]:
    """Grammar errors of a rule (empty when valid); parameters are checked when given."""
    errors: list[str] = []

    def walk(node: Any, path: str) -> None:
        if node is None or node == {} or node is True:
            return
        if not isinstance(node, Mapping):
            errors.append(f"{path}: a rule must be an object")
            return
        if "always" in node:
            return
        if "all" in node or "any" in node:
            key = "all" if "all" in node else "any"
            if not isinstance(node[key], list) or not node[key]:
                errors.append(f"{path}.{key}: must be a non-empty list")
                return
            for i, sub in enumerate(node[key]):
                walk(sub, f"{path}.{key}[{i}]")
            return
        if "not" in node:
            walk(node["not"], f"{path}.not")
            return
        if "in_table" in node:
            if params is not None and node["in_table"] not in params:
                errors.append(f"{path}: unknown table parameter {node['in_table']!r}")
            return
        if "fact" in node:
            ops = [op for op in COMPARISONS if op in node]
            if len(ops) != 1:
                errors.append(f"{path}: fact rule needs exactly one operator of {COMPARISONS}")
                return
            value = node[ops[0]]
            if isinstance(value, Mapping):
                if set(value) != {"param"}:
                    errors.append(f"{path}: a value object must be {{'param': KEY}}")
                elif params is not None and value["param"] not in params:
                    errors.append(f"{path}: unknown parameter {value['param']!r}")
            return
        errors.append(f"{path}: unknown rule node {sorted(node)}")

    walk(rule, "rule")
    return errors
