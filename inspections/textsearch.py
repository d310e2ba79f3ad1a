"""Accent-insensitive search, the part the models use: Vietnamese text folded to plain
lower-case ASCII and the columns that keep it (the filter is ``selectors/search.py``).

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

from django.contrib.postgres.lookups import TrigramSimilar
from django.db import models

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
