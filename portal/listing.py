"""Lists of the portal: search, whitelisted sorting and pagination from the query string."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


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
) -> Listing:
    """``sorts`` maps the public sort key to a model path; anything else falls back to default."""
    q = request.GET.get("q", "").strip()[:100]
    if q and search_fields:
        qs = qs.filter(reduce(or_, (Q(**{f"{f}__icontains": q}) for f in search_fields)))
    sort = request.GET.get("sort", default_sort)
    key = sort.lstrip("-")
    if key not in sorts:
        sort, key = default_sort, default_sort.lstrip("-")
    path = sorts[key]
    desc = sort.startswith("-")
    order = F(path).desc(nulls_last=True) if desc else F(path).asc(nulls_last=True)
    # The primary key breaks ties so pages never repeat or skip rows.
    qs = qs.order_by(order, "-pk" if desc else "pk")
    paginator = Paginator(qs, page_size)
    page = paginator.get_page(request.GET.get("page"))
    return Listing(page=page, sort=sort, q=q)
