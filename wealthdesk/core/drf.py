"""DRF settings hooks (kept apart from core.api to avoid an import cycle through rest_framework.generics)."""
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
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

