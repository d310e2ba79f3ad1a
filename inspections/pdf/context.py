"""What a signed record shows, as plain typed data: the PDF layer never touches the ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

# A record quotes the provision; the full article is one click away on the verification page.
CITATION_TEXT_LIMIT = 180


def short_citation_text(text: str, limit: int = CITATION_TEXT_LIMIT) -> str:
    """The provision's verbatim text, cut at a word boundary with an ellipsis when long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class CitationRef:
    """One cited provision: its label ("điểm c khoản 1 Điều 23 Luật 55/2024/QH15") and text."""

    label: str
    text: str = ""


@dataclass(frozen=True)
class ItemRow:
    """One checklist item with its result ("compliant" / "non_compliant" / "not_applicable" / "")."""

    number: int
    code: str
    title: str
    question: str
    result: str
    note: str = ""
    measured: str = ""
    citations: tuple[CitationRef, ...] = ()


@dataclass(frozen=True)
class FindingRow:
    number: int
    description: str
    severity: str
    deadline: date | None
    citations: tuple[CitationRef, ...] = ()
    item_code: str = ""
    status_label: str = ""  # earlier findings: where their remediation stands


@dataclass(frozen=True)
class PhotoRef:
    """Photo bytes (or a local path) with what the inspector wrote about it."""

    caption: str
    taken_at: datetime | None = None
    data: bytes | None = None
    path: Path | None = None
    content_type: str = "image/jpeg"
    # The bytes are already the print-size JPEG (made at upload): the render uses them as is.
    print_ready: bool = False


@dataclass(frozen=True)
class SignatureMark:
    """A drawn signature (PNG) with the signer's name and position."""

    role: str  # "inspector" / "representative" / "facility_head"
    name: str
    position: str = ""
    png: bytes | None = None
    signed_at: datetime | None = None


@dataclass(frozen=True)
class PersonRef:
    name: str
    position: str = ""


@dataclass(frozen=True)
class PremisesInfo:
    name: str
    address: str
    kind: str = ""
    occupancy: str = ""
    phone: str = ""
    facts: tuple[tuple[str, str], ...] = ()  # (label, value) pairs: floors, area, ...


@dataclass(frozen=True)
class ContentGroup:
    """Decree 105 Art. 13.1 point ("c") with its words and the checked items it covers.

    ``point`` is empty for the one group of a record whose catalogue has no points grouping.
    """

    point: str
    text: str
    items: tuple[ItemRow, ...]


@dataclass(frozen=True)
class RecordContext:
    """Everything printed on authority minutes (form "pc03"; "record" before PC03 was adopted) or
    self-inspection minutes (form "pc02")."""

    form: str  # "pc03", "pc02" or the legacy "record"
    language: str  # "vi" or "en"
    authority_name: str  # empty for a self-inspection without an authority
    authority_parent: str
    number: str
    kind: str  # display label of the inspection kind
    place: str
    started_at: datetime | None
    ended_at: datetime | None
    inspectors: tuple[PersonRef, ...]
    premises: PremisesInfo
    representative: PersonRef
    items: tuple[ItemRow, ...]
    findings: tuple[FindingRow, ...] = ()
    recommendations: str = ""
    photos: tuple[PhotoRef, ...] = ()
    signatures: tuple[SignatureMark, ...] = ()
    verification_code: str = ""
    verification_url: str = ""
    catalogue_version: str = ""
    development_signer: bool = False
    issued_in: str = ""  # place name of the dateline: "Hà Nội, ngày ... tháng ... năm ..."
    extra_notes: tuple[str, ...] = field(default_factory=tuple)
    # The unsigned English rendering: marked on every page as a translation, not the record.
    convenience_copy: bool = False
    # Form PC03 (Decree 105 Appendix VIII, Art. 14.3.d)
    content_groups: tuple[ContentGroup, ...] = ()
    representative_comments: str = ""
    refusal_reason: str = ""
    copies: int = 2
    earlier_findings: tuple[FindingRow, ...] = ()  # remediation of what was found before
    page_count: int = 0  # "gồm ... trang": known after a first layout

    def signature(self, role: str) -> SignatureMark | None:
        return next((s for s in self.signatures if s.role == role), None)

    @property
    def counts(self) -> dict[str, int]:
        tally = {"compliant": 0, "non_compliant": 0, "not_applicable": 0, "unanswered": 0}
        for item in self.items:
            tally[item.result if item.result in tally else "unanswered"] += 1
        return tally
