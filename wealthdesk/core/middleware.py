"""Per-request context for the audit log: client IP, a request id and the source (web or api)."""
import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from .audit import acting_as, audit_context
from .memo import SAFE_METHODS, request_memo


def client_ip(request) -> str | None:
    """The client's address. ``X-Forwarded-For`` is believed only from a proxy listed in ``TRUSTED_PROXIES``
    (anyone can forge the header); then the right-most address not belonging to a trusted proxy wins."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = set(getattr(settings, "TRUSTED_PROXIES", ()))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not forwarded or remote not in trusted:
        return remote
    for address in reversed([a.strip() for a in forwarded.split(",") if a.strip()]):
        if address not in trusted:
            return address
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.META.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex
        request.request_id = request_id[:64]
        source = "api" if request.path.startswith("/api/") else "web"
        # a read-only request keeps what its panels compute once (core.memo); never across requests
        with audit_context(ip=client_ip(request), request_id=request.request_id, source=source), \
                acting_as(getattr(request, "user", None)), request_memo(request.method in SAFE_METHODS):
            response = self.get_response(request)
            if response.status_code == 403:
                from .access_audit import audit_denied

                audit_denied(request, response)
        response["X-Request-ID"] = request.request_id
        return response


class NoStoreMiddleware:
    """Pages and API answers for a signed-in user may hold customer data: no browser or proxy keeps a copy
    (``Cache-Control: no-store``). Static files are answered by WhiteNoise before this and keep their caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


class QueryCountHeaderMiddleware:
    """Benchmarks only (``WD_QUERY_COUNT_HEADER=1``, never in production): the number of SQL queries a request ran,
    in the ``X-Query-Count`` header, so ``bench/pages.py`` can print it per page from outside the server."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connections

        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["X-Query-Count"] = str(count[0])
        return response
