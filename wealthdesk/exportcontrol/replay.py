"""Running an export URL again on the server, for the requester: to check what a request asks for
(``probe``) and to produce the approved file (``serve``). The URL is one of this system's own pages."""
from __future__ import annotations

import copy
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from wealthdesk.core.exports import ExportProbed, approved_export, probe_export

MAX_URL = 1000


def clean_url(url) -> str:
    """The export URL as stored: a local path with its query string, resolving to a page of this system."""
    url = str(url or "").strip()
    if not url:
        raise ValidationError({"url": [_("导出链接：必填。")]})
    parts = urlsplit(url)
    if (len(url) > MAX_URL or parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//")
            or "\\" in url):
        raise ValidationError({"url": [_("导出链接：必须是本系统的导出页面地址。")]})
    if parts.path.startswith(("/api/", "/exportcontrol/")):
        raise ValidationError({"url": [_("导出链接：必须是本系统的导出页面地址。")]})
    try:
        resolve(parts.path)
    except Resolver404:
        raise ValidationError({"url": [_("导出链接：必须是本系统的导出页面地址。")]}) from None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _request_for(request, url: str, user):
    base = getattr(request, "_request", request)  # a DRF Request wraps the HttpRequest
    parts = urlsplit(url)
    req = copy.copy(base)
    req.method = "GET"
    req.path = req.path_info = parts.path
    req.META = {**base.META, "REQUEST_METHOD": "GET", "PATH_INFO": parts.path, "QUERY_STRING": parts.query}
    req.GET = QueryDict(parts.query)
    req.POST = QueryDict()
    req.user = user
    req.htmx = HtmxDetails(req)
    return req


def _run(request, url: str, user):
    parts = urlsplit(url)
    match = resolve(parts.path)
    return match.func(_request_for(request, url, user), *match.args, **match.kwargs)


def probe(request, url: str, user) -> ExportProbed:
    """What the export at ``url`` holds for ``user`` (title, rows, filters, customer data?), nothing written."""
    url = clean_url(url)
    try:
        with transaction.atomic(), probe_export():
            _run(request, url, user)
    except ExportProbed as found:
        return found
    except (Http404, PermissionDenied):
        raise ValidationError({"url": [_("导出链接：您无权导出该页面的数据。")]}) from None
    raise ValidationError({"url": [_("导出链接：该地址不是导出文件。")]})


def serve(request, url: str, user, grant_id: int) -> FileResponse:
    """The approved file: the export at ``url`` for ``user``, let through by approval ``grant_id``."""
    with approved_export(grant_id):
        response = _run(request, clean_url(url), user)
    if not isinstance(response, FileResponse):
        raise ValidationError({"url": [_("导出链接：该地址不是导出文件。")]})
    return response
