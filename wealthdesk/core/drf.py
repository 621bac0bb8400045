"""DRF settings hooks (kept apart from core.api to avoid an import cycle through rest_framework.generics)."""
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's errors, always JSON: validation errors keep ``{field: [reason]}``, others ``{"detail": ...}``."""
    from .dates import QueryParamError

    if isinstance(exc, QueryParamError):  # a bad date (or other) query parameter: 400 naming it
        exc = ValidationError({exc.name: [exc.message]})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": response.data}
    return response



class KeysetPagination(BasePagination):
    """Keyset pages for the API's long lists (core.keyset): ``?cursor=`` from ``next``/``previous``, ``page_size``
    up to 500. The answer keeps the usual shape — ``count``, ``next``, ``previous``, ``results`` — plus
    ``count_exact``: ``count`` is exact up to ``settings.WD_EXACT_COUNT_LIMIT`` rows, beyond that PostgreSQL's
    estimate (``count_exact: false``). A cursor that cannot be read answers 400 naming ``cursor``."""

    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if not raw:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: [_("每页条数须为 1 到 %(n)s 的整数。")
                                                                % {"n": self.max_page_size}]})
        return min(int(raw), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        from .keyset import CURSOR_PARAM, keyset_page, list_count

        self.request = request
        self.page = keyset_page(queryset, cursor=request.query_params.get(CURSOR_PARAM), per_page=self._page_size(request))
        self.count = list_count(queryset)
        return self.page.object_list

    def _link(self, cursor: str):
        from .keyset import CURSOR_PARAM

        if not cursor:
            return None
        return replace_query_param(self.request.build_absolute_uri(), CURSOR_PARAM, cursor)

    def get_paginated_response(self, data):
        return Response({"count": self.count.value, "count_exact": self.count.exact,
                         "next": self._link(self.page.next_cursor), "previous": self._link(self.page.previous_cursor),
                         "results": data})

    def get_paginated_response_schema(self, schema):
        return {"type": "object", "required": ["count", "count_exact", "results"], "properties": {
            "count": {"type": "integer", "example": 123,
                      "description": "exact up to a bound; beyond it an estimate (count_exact false)"},
            "count_exact": {"type": "boolean"},
            "next": {"type": "string", "nullable": True, "format": "uri"},
            "previous": {"type": "string", "nullable": True, "format": "uri"},
            "results": schema}}

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "cursor", "required": False, "in": "query", "schema": {"type": "string"},
             "description": "the page: the cursor from a previous answer's next/previous link"},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size}},
        ]
