"""Lists of the portal: search, whitelisted sorting and pagination from the query string."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from inspections.selectors.search import search

PAGE_SIZE = 25
# A list counts its rows up to this many; past it, it says "more than" and pages to the cap.
# An exact count of a filtered list walks the whole jurisdiction, a probe per premises (61 s
# for "device connected" over 1,000,000 premises); a capped one stops at the cap. The
# dashboard's counters keep the exact figures. 2,000 rows are 80 pages: a list that long is
# narrowed by ward, kind or search, not paged through.
COUNT_CAP = 2_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` (``capped`` tells the page there are more).

    ``count_from`` counts the rows of ``object_list`` more cheaply (same filters, no sorting
    annotations); by default the list itself is counted.
    """

    def __init__(self, object_list, per_page, *, cap: int | None = None, count_from=None):
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap
        self._count_from = object_list if count_from is None else count_from

    @cached_property
    def _counted(self) -> int:
        # COUNT(*) over a LIMIT, in no order: the database stops at the first cap + 1 rows.
        return self._count_from.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count reads "more than", the last page ends at it."""
        return self._counted > self.cap


@dataclass
class Listing:
    page: Page
    sort: str
    q: str

    @property
    def rows(self) -> list:
        return list(self.page.object_list)


def build_listing(
    request: HttpRequest,
    qs: QuerySet,
    *,
    sorts: dict[str, str],
    default_sort: str,
    search_fields: tuple[str, ...] = (),
    page_size: int = PAGE_SIZE,
    nulls_first: frozenset[str] = frozenset(),
    decorate: Callable[[QuerySet], QuerySet] | None = None,
    count_from: QuerySet | None = None,
) -> Listing:
    """``sorts`` maps the public sort key to a model path; anything else falls back to default.

    ``decorate`` adds costly annotations (correlated counts) to the rows of the page only:
    the page is chosen on the plain query first, because the database would otherwise compute
    the annotations for every row skipped by OFFSET (page 2,000 of 100,000 premises).
    ``count_from`` counts the rows without the sorting annotations (same filters, cheaper).
    """
    q = request.GET.get("q", "").strip()[:100]
    if q and search_fields:
        # Accent- and case-insensitive: "ho guom" finds "Hồ Gươm" (inspections/textsearch.py).
        qs = search(qs, q, search_fields)
    sort = request.GET.get("sort", default_sort)
    key = sort.lstrip("-")
    if key not in sorts:
        sort, key = default_sort, default_sort.lstrip("-")
    path = sorts[key]
    desc = sort.startswith("-")
    # Empty values go last unless the key says otherwise ("never inspected" comes first).
    if key in nulls_first:
        order = F(path).desc(nulls_last=True) if desc else F(path).asc(nulls_first=True)
    else:
        order = F(path).desc(nulls_last=True) if desc else F(path).asc(nulls_last=True)
    # The primary key breaks ties so pages never repeat or skip rows.
    qs = qs.order_by(order, "-pk" if desc else "pk")
    if decorate is None:
        page = CappedPaginator(qs, page_size).get_page(request.GET.get("page"))
        return Listing(page=page, sort=sort, q=q)
    if count_from is not None and q and search_fields:
        count_from = search(count_from, q, search_fields)
    paginator = CappedPaginator(qs.values_list("pk", flat=True), page_size, count_from=count_from)
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    by_id = {row.pk: row for row in decorate(qs.model._default_manager.filter(pk__in=ids))}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return Listing(page=page, sort=sort, q=q)
