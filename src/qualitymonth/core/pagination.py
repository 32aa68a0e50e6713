"""One pagination for every list, web page and API alike.

A page number comes from the client and becomes an SQL OFFSET; past 2**63 the database refuses
it (a 500 before this module). So the number is bounded here, once, before any query:

- Web pages (`paginate`): a page that is not a number shows the first page, one past the end
  the last (Django's ``get_page``); a list that may be huge counts only up to ``count_cap``.
- API lists (`Pagination`): ``page`` and ``page_size`` must be positive integers, else ninja's
  validation error (422); a page past the end is an empty page with the true ``count``, as a
  client walking a list whose last items were just removed should see, and never an error.
"""

from typing import Any

from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAST_THE_END = "A page past the last one is empty; count still gives the number of items."


class Paginator(DjangoPaginator):
    """Django's paginator, optionally counting only up to a cap: printing "page 1 of 50,000"
    would cost more than the page itself."""

    def __init__(self, object_list, per_page, *, count_cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_cap = count_cap

    @cached_property
    def count(self) -> int:
        if self.count_cap is None:
            return super().count
        return self.object_list[: self.count_cap + 1].count()

    @property
    def is_capped(self) -> bool:
        """True when there are more items than were counted; the count shown is then the cap."""
        return self.count_cap is not None and self.count > self.count_cap


def paginate(request, queryset, per_page: int = 20, *, count_cap: int | None = None) -> Page:
    """The page ``?page=`` asks for, clamped to the pages that exist."""
    paginator = Paginator(queryset, per_page, count_cap=count_cap)
    return paginator.get_page(request.GET.get("page"))


class Pagination(PageNumberPagination):
    """ninja's page-number pagination, with the page bounded by the count before it becomes an
    OFFSET. Every API list uses it: ``@paginate(Pagination, page_size=20)``."""

    class Input(Schema):
        page: int = Field(1, ge=1, description=f"Page number, from 1. {PAST_THE_END}")
        page_size: int | None = Field(
            None, ge=1, description="Items per page; more than the maximum gives the maximum."
        )

    def _window(self, pagination: Input, count: int) -> slice | None:
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        if offset >= count:
            return None
        return slice(offset, offset + page_size)

    def paginate_queryset(self, queryset, pagination: Input, request, **params: Any) -> Any:
        count = self._items_count(queryset)
        window = self._window(pagination, count)
        return {self.items_attribute: [] if window is None else queryset[window], "count": count}

    async def apaginate_queryset(self, queryset, pagination: Input, request, **params: Any) -> Any:
        count = await self._aitems_count(queryset)
        window = self._window(pagination, count)
        if window is None:
            items = []
        elif hasattr(queryset, "aiterator"):
            items = [obj async for obj in queryset[window]]
        else:
            items = queryset[window]
        return {self.items_attribute: items, "count": count}
