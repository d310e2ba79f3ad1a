"""Accent-insensitive search: Vietnamese text folded to plain lower-case ASCII, and the filter.

"ho guom", "hồ gươm" and "HỒ GƯƠM" all fold to "ho guom". Premises keep their folded name,
address and external id in ``Premises.search_text`` (kept by ``save`` and the bulk paths), so
the same query works on SQLite and PostgreSQL; on PostgreSQL a trigram GIN index on that
column serves both the substring match and the typo-tolerant word similarity ("ho gươn").
Other text columns are matched through ``unaccent`` on PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connection, models
from django.db.models import F, Func, Q, QuerySet
from django.db.models.functions import Lower

# The longest query we fold: a search box, not a document.
MAX_QUERY = 100
# Word similarity (pg_trgm.word_similarity_threshold, 0.6 by default) is only asked for terms
# long enough to have trigrams worth comparing; "ho" alone is matched as a substring.
MIN_FUZZY_LENGTH = 4

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case, no diacritics, đ/Đ as d, single spaces: the form both sides are compared in."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()


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


# ``search_text__trigram_word_similar=term`` is ``search_text %> term`` (PostgreSQL only).
SearchTextField.register_lookup(TrigramWordSimilar)


class Unaccent(Func):
    function = "unaccent"
    output_field = models.TextField()


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_text_q(term: str, field: str = "search_text") -> Q:
    """Rows whose folded text contains ``term``, or (PostgreSQL) has a word close to it."""
    cond = Q(**{f"{field}__contains": term})
    if is_postgresql() and len(term) >= MIN_FUZZY_LENGTH:
        cond |= Q(**{f"{field}__trigram_word_similar": term})
    return cond


def search(qs: QuerySet, query: str, fields: Iterable[str]) -> QuerySet:
    """Filter ``qs`` by ``query`` on ``fields``, any of which may match.

    A field ending in ``search_text`` is a folded column (premises, or ``premises__search_text``
    for rows of a premises); any other field is folded in the database with ``unaccent`` on
    PostgreSQL and matched case-insensitively elsewhere.
    """
    term = fold(query[:MAX_QUERY])
    if not term:
        return qs
    conds = []
    for i, name in enumerate(fields):
        if name.endswith("search_text"):
            conds.append(search_text_q(term, name))
        elif is_postgresql():
            alias = f"_folded_{i}"
            qs = qs.alias(**{alias: Lower(Unaccent(F(name)))})
            conds.append(Q(**{f"{alias}__contains": term}))
        else:
            conds.append(Q(**{f"{name}__icontains": query.strip()[:MAX_QUERY]}))
    combined = conds[0]
    for c in conds[1:]:
        combined |= c
    return qs.filter(combined)
