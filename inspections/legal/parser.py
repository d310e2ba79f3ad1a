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
    reader = _Reader()
    for raw in text.splitlines():
        if line := raw.strip():
            reader.read(line)
    reader.flush()
    return reader.law


class _Reader:
    """Reads the law line by line; each ``_…`` step takes the line (True) or passes it on."""

    def __init__(self) -> None:
        self.law = ParsedLaw(provisions=[])
        self.current: _Builder | None = None
        self.chapter = ""
        self.expect_heading_title = False
        self.quote_depth = 0
        self.in_closing = False

    def read(self, line: str) -> None:
        taken = (
            self._inside_quote(line)
            or self._in_closing(line)
            or self._heading(line)
            or self._article(line)
            or self._preamble(line)
            or self._closing_starts(line)
            or self._clause(line)
            or self._point(line)
        )
        if not taken:
            self._continuation(line)

    def flush(self) -> None:
        if self.current is not None:
            self.law.provisions.extend(self.current.provisions())

    def _count_quotes(self, line: str) -> None:
        self.quote_depth += line.count("“") - line.count("”")

    def _inside_quote(self, line: str) -> bool:
        if self.quote_depth <= 0:
            return False
        self._continuation(line)
        return True

    def _in_closing(self, line: str) -> bool:
        if not self.in_closing:
            return False
        self.law.closing.append(line)
        return True

    def _heading(self, line: str) -> bool:
        if self.expect_heading_title:
            self.law.headings.append(line)
            self.chapter = f"{self.chapter} {line}"
            self.expect_heading_title = False
            return True
        if not (_CHAPTER_RE.match(line) or _SECTION_RE.match(line)):
            return False
        self.law.headings.append(line)
        if line.startswith("Chương"):
            self.chapter = line
        self.expect_heading_title = True
        return True

    def _article(self, line: str) -> bool:
        m = _ARTICLE_RE.match(line)
        expected = 1 if self.current is None else self.current.article + 1
        if not (m and int(m.group(1)) == expected):
            return False
        self.flush()
        self.current = _Builder(expected, m.group(2).strip(), self.chapter)
        return True

    def _preamble(self, line: str) -> bool:
        if self.current is not None:
            return False
        self.law.preamble.append(line)
        return True

    def _closing_starts(self, line: str) -> bool:
        # The signature block after the last article.
        if not _CLOSING_RE.match(line):
            return False
        self.in_closing = True
        self.law.closing.append(line)
        return True

    def _clause(self, line: str) -> bool:
        m = _CLAUSE_RE.match(line)
        if self.current is None or not m:
            return False
        clauses = self.current.clauses
        expected = clauses[-1][0] + 1 if clauses else 1
        if int(m.group(1)) != expected:
            return False
        clauses.append((expected, [m.group(2)], []))
        self._count_quotes(line)
        return True

    def _point(self, line: str) -> bool:
        m = _POINT_RE.match(line)
        if self.current is None or not m:
            return False
        clauses = self.current.clauses
        if not (clauses and m.group(1) == _next_letter(clauses[-1][2])):
            return False
        clauses[-1][2].append((m.group(1), [m.group(2)]))
        self._count_quotes(line)
        return True

    def _continuation(self, line: str) -> None:
        _append_continuation(self.current, line)
        self._count_quotes(line)


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
