"""Decree 105 Art. 13.1 content points: which an inspector checks, and which items cover each.

The points and who checks which come from the catalogue parameter ``inspection_content_points``
of the inspection's catalogue version (shape: ``{"points": {"a": {"text_vi", "text_en"}, ...},
"by_authority": {"fire_police": ["a", "c", ...], ...}}``); each requirement names its points in
``decree_points``. Without the parameter a record lists the items checked without grouping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from inspections.models import CatalogueVersion, Inspection, PremisesKind

PARAMETER = "inspection_content_points"
# The decree's own letter order (đ after d; no f, j).
POINT_ORDER = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p")


def content_points(version: CatalogueVersion | None) -> dict[str, Any] | None:
    """The parameter's value in this catalogue version, or None when it has none."""
    if version is None:
        return None
    row = version.parameters.filter(key=PARAMETER).only("value").first()
    if row is None or not isinstance(row.value, dict) or not row.value.get("points"):
        return None
    return row.value


def checker_key(inspection: Inspection) -> str:
    """The ``by_authority`` key of whoever inspects (Art. 13.2): authority kind or the owner."""
    if inspection.authority_id is not None and inspection.kind != Inspection.Kind.SELF:
        return inspection.authority.kind
    kind = inspection.premises.kind
    if kind == PremisesKind.HOME:
        return "household"
    if kind == PremisesKind.HOME_BUSINESS:
        return "home_business"
    # PC02 minutes close a periodic self-inspection (Art. 14.2); regular ones are the head's
    # own record (Art. 14.1).
    return "self_periodic"


def requirement_points(requirement: Any) -> list[str]:
    """The Art. 13.1 points a requirement covers (``decree_points``), normalised."""
    points = getattr(requirement, "decree_points", None) or []
    return [str(p).strip().lower() for p in points if str(p).strip()]


def order_key(point: str) -> int:
    return POINT_ORDER.index(point) if point in POINT_ORDER else len(POINT_ORDER)


def group_by_points(
    rows: Sequence[Any],
    row_points: Sequence[Iterable[str]],
    *,
    spec: Mapping[str, Any] | None,
    checker: str,
    english: bool = False,
) -> list[tuple[str, str, list[Any]]]:
    """[(point, point text, rows)] in the decree's order, for the points this checker checks.

    A row goes under the first of its points that the checker checks; rows with none of them
    close the list under an empty point. Without ``spec`` there is one group with every row.
    """
    if not spec:
        return [("", "", list(rows))]
    texts = spec.get("points") or {}
    allowed = [p for p in (spec.get("by_authority") or {}).get(checker, []) if p in texts]
    groups: dict[str, list[Any]] = {p: [] for p in sorted(allowed, key=order_key)}
    rest: list[Any] = []
    for row, points in zip(rows, row_points, strict=True):
        home = next((p for p in sorted(points, key=order_key) if p in groups), None)
        (groups[home] if home else rest).append(row)
    result = []
    for point, members in groups.items():
        text = texts[point]
        label = (text.get("text_en") if english else "") or text.get("text_vi") or ""
        result.append((point, label, members))
    if rest:
        result.append(("", "", rest))
    return result
