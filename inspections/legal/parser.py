"""Parse the vendored text of Law 55/2024/QH15 into articles, clauses and points, verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

LAW_DOCUMENT = "55/2024/QH15"
LAW_PATH = Path(__file__).resolve().parent.parent / "data" / "law" / "luat-55-2024-qh15.txt"

# Vietnamese legal drafting numbers points with the alphabet minus f, j, w, z and with "đ" after "d".
POINT_LETTERS: tuple[str, ...] = (
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
    "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y",
)  # fmt: skip

_ARTICLE_RE = re.compile(r"^Điều (\d+)\. (.+)$")
_CHAPTER_RE = re.compile(r"^Chương [IVXLC]+$")
_SECTION_RE = re.compile(r"^Mục \d+$")
_CLAUSE_RE = re.compile(r"^(\d+)\. (.+)$")
_POINT_RE = re.compile(r"^([a-zđ])\) (.+)$")
# The adoption statement closes the law; without this it would be glued into Art. 55.7.
_CLOSING_RE = re.compile(r"^Luật này được Quốc hội .* thông qua")


@dataclass(frozen=True)
class ParsedProvision:
    """One article, clause or point with its own verbatim text (children are separate)."""

    article: int
    clause: int | None
    point: str | None
    heading: str  # the article's title; repeated on its clauses and points for display
    text: str  # own text only: an article's intro, a clause's lead-in and trailing paragraphs
    chapter: str = ""

    @property
    def key(self) -> tuple[int, int | None, str | None]:
        return (self.article, self.clause, self.point)

    @property
    def label_vi(self) -> str:
        return label_vi(self.article, self.clause, self.point)


@dataclass
class ParsedLaw:
    """The whole document: provisions in order plus the text that belongs to no provision."""

    provisions: list[ParsedProvision]
    preamble: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)  # Chương/Mục lines and their titles
    closing: list[str] = field(default_factory=list)
    _index: dict[tuple[int, int | None, str | None], ParsedProvision] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def index(self) -> dict[tuple[int, int | None, str | None], ParsedProvision]:
        # Built once: every quoted citation looks its provision up (thousands in a sweep).
        if self._index is None:
            self._index = {p.key: p for p in self.provisions}
        return self._index


def label_vi(article: int, clause: int | None = None, point: str | None = None) -> str:
    """Citation label the way Vietnamese legal texts write it: 'điểm c khoản 1 Điều 23'."""
    parts = []
    if point:
        parts.append(f"điểm {point}")
    if clause is not None:
        parts.append(f"khoản {clause}")
    parts.append(f"Điều {article}")
    return " ".join(parts)


def label_en(article: int, clause: int | None = None, point: str | None = None) -> str:
    ref = f"Art. {article}"
    if clause is not None:
        ref += f".{clause}"
        if point:
            ref += f".{point}"
    return ref


@dataclass
class _Builder:
    article: int
    heading: str
    chapter: str
    article_text: list[str] = field(default_factory=list)
    clauses: list[tuple[int, list[str], list[tuple[str, list[str]]]]] = field(default_factory=list)

    def provisions(self) -> list[ParsedProvision]:
        out = [
            ParsedProvision(
                self.article, None, None, self.heading, "\n".join(self.article_text), self.chapter
            )
        ]
        for number, paragraphs, points in self.clauses:
            out.append(
                ParsedProvision(
                    self.article, number, None, self.heading, "\n".join(paragraphs), self.chapter
                )
            )
            for letter, point_paragraphs in points:
                out.append(
                    ParsedProvision(
                        self.article,
                        number,
                        letter,
                        self.heading,
                        "\n".join(point_paragraphs),
                        self.chapter,
                    )
                )
        return out


def _next_letter(points: list[tuple[str, list[str]]]) -> str | None:
    if not points:
        return POINT_LETTERS[0]
    i = POINT_LETTERS.index(points[-1][0]) + 1
    return POINT_LETTERS[i] if i < len(POINT_LETTERS) else None


def parse_document(text: str) -> ParsedLaw:
    """Split the law into provisions.

    Numbers must follow in sequence (article N+1, clause N+1, the next letter), so a line such
    as "d) ..." quoted inside Art. 53 cannot open a fake point; quoted amendments (between
    “ and ”) stay inside the clause that quotes them.
    """
    law = ParsedLaw(provisions=[])
    current: _Builder | None = None
    chapter = ""
    expect_heading_title = False
    quote_depth = 0
    in_closing = False

    def flush() -> None:
        if current is not None:
            law.provisions.extend(current.provisions())

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if quote_depth > 0:
            _append_continuation(current, line)
            quote_depth += line.count("“") - line.count("”")
            continue
        if in_closing:
            law.closing.append(line)
            continue
        if expect_heading_title:
            law.headings.append(line)
            chapter = f"{chapter} {line}"
            expect_heading_title = False
            continue
        if _CHAPTER_RE.match(line) or _SECTION_RE.match(line):
            law.headings.append(line)
            if line.startswith("Chương"):
                chapter = line
            expect_heading_title = True
            continue
        m = _ARTICLE_RE.match(line)
        expected_article = 1 if current is None else current.article + 1
        if m and int(m.group(1)) == expected_article:
            flush()
            current = _Builder(int(m.group(1)), m.group(2).strip(), chapter)
            continue
        if current is None:
            law.preamble.append(line)
            continue
        if _CLOSING_RE.match(line):
            in_closing = True
            law.closing.append(line)
            continue
        m = _CLAUSE_RE.match(line)
        expected_clause = current.clauses[-1][0] + 1 if current.clauses else 1
        if m and int(m.group(1)) == expected_clause:
            current.clauses.append((expected_clause, [m.group(2)], []))
            quote_depth += line.count("“") - line.count("”")
            continue
        m = _POINT_RE.match(line)
        if m and current.clauses and m.group(1) == _next_letter(current.clauses[-1][2]):
            current.clauses[-1][2].append((m.group(1), [m.group(2)]))
            quote_depth += line.count("“") - line.count("”")
            continue
        _append_continuation(current, line)
        quote_depth += line.count("“") - line.count("”")
    flush()
    return law


def _append_continuation(current: _Builder | None, line: str) -> None:
    # An unnumbered paragraph continues the clause (Art. 6.2, 8.8, 20.5 ...), never a point:
    # in this law such paragraphs after points restate the clause, not the last point.
    if current is None:
        raise ValueError(f"text before the first article: {line[:60]!r}")
    if current.clauses:
        current.clauses[-1][1].append(line)
    else:
        current.article_text.append(line)


def parse_law(text: str) -> list[ParsedProvision]:
    return parse_document(text).provisions


@lru_cache(maxsize=1)
def vendored_law() -> ParsedLaw:
    return parse_document(LAW_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _vendored_index() -> dict[tuple[int, int | None, str | None], ParsedProvision]:
    return vendored_law().index()


def get_provision(
    article: int, clause: int | None = None, point: str | None = None
) -> ParsedProvision:
    """The parsed provision of the vendored law; KeyError names the missing citation."""
    key = (int(article), int(clause) if clause is not None else None, point or None)
    try:
        return _vendored_index()[key]
    except KeyError:
        raise KeyError(f"Law {LAW_DOCUMENT} has no {label_vi(*key)}") from None


def provision_text(article: int, clause: int | None = None, point: str | None = None) -> str:
    return get_provision(article, clause, point).text


def article_title(article: int) -> str:
    return get_provision(article).heading
