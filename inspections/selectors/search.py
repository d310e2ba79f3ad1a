"""The accent-insensitive search filter used by the portal lists, the admin and the API.

Queries are folded like the stored ``search_text`` columns (``inspections/textsearch.py``); on
PostgreSQL a mistyped word is corrected against the vocabulary of premises words.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, models
from django.db.models import F, Func, Q, QuerySet
from django.db.models.functions import Lower

from inspections.models import SearchWord
from inspections.textsearch import MAX_QUERY, MAX_WORDS, MIN_FUZZY_LENGTH, fold, is_vocabulary_word


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
