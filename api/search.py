"""DRF search filter that folds accents: ``?search=ho guom`` finds "Hồ Gươm"."""

from __future__ import annotations

from rest_framework import filters

from inspections.selectors.search import search


class FoldedSearchFilter(filters.SearchFilter):
    """``?search=`` over the view's ``search_fields`` through inspections/textsearch.py."""

    def filter_queryset(self, request, queryset, view):
        fields = self.get_search_fields(view, request)
        term = request.query_params.get(self.search_param, "")
        if not fields or not term.strip():
            return queryset
        return search(queryset, term, fields)
