"""Accent-insensitive search: Vietnamese text folded to plain lower-case ASCII, and the filter.

"ho guom", "hồ gươm" and "HỒ GƯƠM" all fold to "ho guom". Premises keep their folded name,
address and external id in ``Premises.search_text`` (kept by ``save`` and the bulk paths), so
the same query works on SQLite and PostgreSQL; on PostgreSQL a trigram GIN index on that
column serves the word match, and a mistyped word ("ho guong") is corrected against the
vocabulary of premises words (``SearchWord``, trigram similarity). Other text columns are
matched through ``unaccent`` on PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, models
from django.db.models import F, Func, Q, QuerySet
from django.db.models.functions import Lower

# The longest query we fold: a search box, not a document.
MAX_QUERY = 100
# Only words long enough to have trigrams worth comparing are corrected (pg_trgm's similarity
# threshold, 0.3 by default, decides what is close); "ho" is matched as it is typed.
MIN_FUZZY_LENGTH = 4
# Words of a query matched one by one; a longer query is a paste, not a search.
MAX_WORDS = 8

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case, no diacritics, đ/Đ as d, single spaces: the form both sides are compared in."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()


def is_vocabulary_word(word: str) -> bool:
    """Words a typo is corrected to: no numbers or ids ("12", "bs-004711"), which are typed
    as they are and would fill the vocabulary with one entry per premises."""
    return len(word) >= 3 and not any(c.isdigit() for c in word)


def premises_search_text(name: str, address_line: str, external_id: str | None) -> str:
    return fold(" ".join(p for p in (name, address_line, external_id or "") if p))


class SearchTextField(models.CharField):
    """The folded copy of a row's searchable text; never edited by hand."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 600)
        kwargs.setdefault("default", "")
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


class SearchWordField(models.CharField):
    """One folded word; ``word__trigram_similar=w`` is ``word % w`` on PostgreSQL."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)


SearchWordField.register_lookup(TrigramSimilar)


class Unaccent(Func):
    function = "unaccent"
    output_field = models.TextField()


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_text_q(term: str, field: str = "search_text") -> Q:
    """Rows whose folded text holds every word of ``term``, in any order ("guom ho" too)."""
    cond = Q()
    for word in term.split()[:MAX_WORDS]:
        cond &= Q(**{f"{field}__contains": word})
    return cond


def corrected(term: str) -> str | None:
    """``term`` with each word no premises holds replaced by the closest word that one does,
    or None when nothing needs (or can be) corrected. PostgreSQL only (pg_trgm similarity)."""
    from inspections.models import SearchWord

    words = term.split()[:MAX_WORDS]
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    out, changed = [], False
    for word in words:
        if word in known or len(word) < MIN_FUZZY_LENGTH or not is_vocabulary_word(word):
            out.append(word)
            continue
        best = (
            SearchWord.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)
            .first()
        )
        if best is None:
            return None
        out.append(best)
        changed = True
    return " ".join(out) if changed else None


def search(qs: QuerySet, query: str, fields: Iterable[str]) -> QuerySet:
    """Filter ``qs`` by ``query`` on ``fields``, any of which may match.

    A field ending in ``search_text`` is a folded column (premises, or ``premises__search_text``
    for rows of a premises); any other field is folded in the database with ``unaccent`` on
    PostgreSQL and matched case-insensitively elsewhere. On PostgreSQL a query that matches
    nothing word for word is asked again with its mistyped words corrected against the
    vocabulary of premises words (``corrected``), so "dinh tien hoag" still finds "Đinh Tiên
    Hoàng". Correcting words, rather than comparing the query with every row by trigram word
    similarity, keeps a typo as fast as a plain search: the row-by-row similarity took 3.5 s on
    100,000 premises when the misspelt word is a common one (bench/bench_search.py).
    """
    term = fold(query[:MAX_QUERY])
    if not term:
        return qs
    exact: list[Q] = []
    folded = [name for name in fields if name.endswith("search_text")]
    for i, name in enumerate(fields):
        if name.endswith("search_text"):
            exact.append(search_text_q(term, name))
        elif is_postgresql():
            alias = f"_folded_{i}"
            qs = qs.alias(**{alias: Lower(Unaccent(F(name)))})
            exact.append(Q(**{f"{alias}__contains": term}))
        else:
            exact.append(Q(**{f"{name}__icontains": query.strip()[:MAX_QUERY]}))
    found = qs.filter(reduce(or_, exact))
    if folded and is_postgresql() and not found.exists():
        fixed = corrected(term)
        if fixed:
            return qs.filter(reduce(or_, (search_text_q(fixed, name) for name in folded)))
    return found
