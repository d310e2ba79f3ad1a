"""Decree 105 Art. 13: the inspection content points (a–p) each inspector checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from inspections.legal.citations import citation_labels

from .applicability import Params

PARAM = "inspection_content_points"
DECREE_105 = "105/2025/NĐ-CP"
SELF_REGULAR, SELF_PERIODIC = "self_regular", "self_periodic"
HOUSEHOLD, HOME_BUSINESS = "household", "home_business"

# Points read from the citations when a requirement names none (a catalogue written before
# decree_points, or a row added without them). Law: Art. 13.1.a covers the head's duties of
# Art. 8.3 (and the self-inspection, plan and team of Art. 10.1, 11.3, 37), b the vehicle
# owner's Art. 8.4, n the household's Art. 8.6 and 8.8, đ the device of Art. 23.1.c. Decree 105:
# the head's self-inspection and reports (Art. 14), drills (16), team (20) and the legacy
# roadmap (43) are point a; data declaration (Art. 26) is point đ.
_LAW_POINTS = {
    (8, 3): "a", (8, 4): "b", (8, 6): "n", (8, 8): "n", (10, 1): "a", (11, 3): "a",
    (37, 1): "a", (23, 1, "c"): "đ", (55, 6): "a",
}  # fmt: skip
_DECREE_POINTS = {14: "a", 16: "a", 20: "a", 26: "đ", 43: "a", 25: "đ", 27: "đ"}


def points_from_citations(citations: Iterable[Any]) -> list[str]:
    """Citations as dicts (frozen snapshots) or objects (catalogue file records)."""
    points: list[str] = []
    for c in citations:
        get = c.get if isinstance(c, Mapping) else lambda k, c=c: getattr(c, k, None)
        document, article, clause = str(get("document") or ""), get("article"), get("clause")
        if document.startswith("55/"):
            point = _LAW_POINTS.get((article, clause, get("point"))) or _LAW_POINTS.get(
                (article, clause)
            )
        elif document == DECREE_105:
            point = _DECREE_POINTS.get(article)
        else:
            point = None
        if point and point not in points:
            points.append(point)
    return points


def audience(
    *,
    inspection_kind: str,
    authority_kind: str | None,
    premises_kind: str,
    managed: bool,
    self_scope: str = "periodic",
) -> str | None:
    """Whose point set applies: the authority's kind, or the self-inspecting party's set."""
    if inspection_kind != "self":
        return authority_kind or None
    if premises_kind == "home" and not managed:
        return HOUSEHOLD
    if premises_kind == "home_business" and not managed:
        return HOME_BUSINESS
    return SELF_REGULAR if self_scope == "regular" else SELF_PERIODIC


def allowed_points(params: Params, who: str | None, premises_kind: str) -> set[str] | None:
    """The points ``who`` checks on this kind of premises; None when the catalogue says
    nothing (older versions, or an inspector Art. 13.2 gives no content): no filtering."""
    table = params.get(PARAM)
    if not table or not who:
        return None
    by_kind = (table.get("by_premises_kind") or {}).get(premises_kind) or {}
    if who in by_kind:
        return set(by_kind[who])
    by_authority = table.get("by_authority") or {}
    if who in by_authority:
        return set(by_authority[who])
    return None


def item_in_scope(item_points: Iterable[str], allowed: set[str] | None) -> bool:
    """An item belongs to a checklist when one of its points is checked by the inspector.
    An item mapped to no point is kept: a duty is never hidden for want of a mapping."""
    points = set(item_points)
    return allowed is None or not points or bool(points & allowed)


def point_citations(params: Params, points: Iterable[str]) -> list[dict[str, Any]]:
    """Citation snapshots of Decree 105 Art. 13.1 points, as frozen into checklist items."""
    texts = (params.get(PARAM) or {}).get("points") or {}
    out = []
    for p in points:
        text = texts.get(p) or {}
        out.append(
            {
                "document": DECREE_105,
                "article": 13,
                "clause": 1,
                "point": p,
                "heading": "Nội dung, thẩm quyền kiểm tra về phòng cháy, chữa cháy",
                "text_vi": text.get("text_vi", ""),
                "confidence": "verified",
                **citation_labels({"article": 13, "clause": 1, "point": p}, DECREE_105),
            }
        )
    return out
