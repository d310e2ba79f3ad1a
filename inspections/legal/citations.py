"""The one citation style of the product: labels and quoted text for portal, e-mail, PDF and API.

Vietnamese the way legal texts cite: "điểm c khoản 1 Điều 23 Luật 55/2024/QH15",
"khoản 2 Điều 27 Nghị định 105/2025/NĐ-CP"; English "Art. 23.1.c of Law 55/2024/QH15".
The quoted text is the provision that applies: a point's own words, and for a clause that is
only a lead-in ("Người đứng đầu cơ sở có trách nhiệm sau đây:") the lead-in with its points.
"""

from __future__ import annotations

import re

from inspections.legal.parser import LAW_DOCUMENT, vendored_law

# Resolutions of the National Assembly are numbered like its laws (".../QH15"): known by number.
_RESOLUTIONS = frozenset({"198/2025/QH15"})

_KINDS = (
    # (test on the document number, Vietnamese name, English name)
    (
        re.compile(r"^(?:" + "|".join(map(re.escape, sorted(_RESOLUTIONS))) + r")$"),
        "Nghị quyết",
        "Resolution",
    ),
    (re.compile(r"/QH\d*$"), "Luật", "Law"),
    (re.compile(r"/NĐ-CP$|/ND-CP$"), "Nghị định", "Decree"),
    (re.compile(r"/TT-"), "Thông tư", "Circular"),
    (re.compile(r"/QĐ-"), "Quyết định", "Decision"),
)


def document_name(document: str, lang: str = "vi") -> str:
    """'55/2024/QH15' -> 'Luật 55/2024/QH15' / 'Law 55/2024/QH15'; standards stay as written."""
    document = (document or "").strip()
    for pattern, vi, en in _KINDS:
        if pattern.search(document):
            return f"{vi if lang == 'vi' else en} {document}"
    return document


def provision_ref(
    article: int, clause: int | None = None, point: str | None = None, lang: str = "vi"
) -> str:
    """The provision without its document: 'điểm c khoản 1 Điều 23' / 'Art. 23.1.c'."""
    if lang != "vi":
        ref = f"Art. {article}"
        if clause is not None:
            ref += f".{clause}"
            if point:
                ref += f".{point}"
        return ref
    parts = []
    if point:
        parts.append(f"điểm {point}")
    if clause is not None:
        parts.append(f"khoản {clause}")
    parts.append(f"Điều {article}")
    return " ".join(parts)


def citation_label(
    document: str,
    article: int,
    clause: int | None = None,
    point: str | None = None,
    lang: str = "vi",
) -> str:
    """The label shown everywhere a provision is cited."""
    ref = provision_ref(article, clause or None, point or None, lang)
    name = document_name(document, lang)
    if not name:
        return ref
    return f"{ref} {name}" if lang == "vi" else f"{ref} of {name}"


def citation_labels(c: object, document: str | None = None) -> dict[str, str]:
    """{"label_vi", "label_en"} of anything with article/clause/point (dict or object)."""
    get = c.get if isinstance(c, dict) else (lambda k, d=None: getattr(c, k, d))
    doc = document if document is not None else str(get("document", "") or "")
    article = int(get("article") or 0)
    clause, point = get("clause"), get("point")
    return {
        "label_vi": citation_label(doc, article, clause, point, "vi"),
        "label_en": citation_label(doc, article, clause, point, "en"),
    }


def law_quote(article: int, clause: int | None = None, point: str | None = None) -> str:
    """Verbatim text of a provision of Law 55/2024/QH15 that says what applies.

    A point, or a clause with text of its own, is quoted as it is. A clause whose own text is
    only a lead-in ending in ":" is quoted with its points ("a) ...; b) ..."), because the
    lead-in alone says nothing a reader can act on. KeyError when the law has no such provision.
    """
    index = vendored_law().index()
    key = (int(article), int(clause) if clause is not None else None, point or None)
    own = index[key].text
    if point or not own.rstrip().endswith(":"):
        return own
    children = [
        p
        for p in vendored_law().provisions
        if p.article == key[0]
        and (p.clause == key[1] if key[1] is not None else p.clause is not None)
        and (p.point is not None if key[1] is not None else p.point is None)
    ]
    lines = [own.rstrip()]
    for child in children:
        marker = f"{child.point})" if child.point else f"{child.clause}."
        lines.append(f"{marker} {child.text}")
    return "\n".join(lines)


def quote(document: str, article: int, clause: int | None, point: str | None, stored: str) -> str:
    """The text to quote for a citation: the law re-read from its parsed text, others as stored."""
    if document == LAW_DOCUMENT:
        try:
            return law_quote(article, clause, point)
        except KeyError:
            return stored
    return stored
