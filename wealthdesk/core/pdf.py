"""PDF in the handbook's layout, rendered on the server (WeasyPrint), with the export mechanism's guarantees.

WeasyPrint was chosen over driving a headless browser: it is a pure-Python library (with the system's Pango), needs
no running browser on the app server, and lays out Chinese text with the vendored WenQuanYi Micro Hei
(``static/vendor/fonts/wqy-microhei.ttc``, Apache-2.0, loaded by ``@font-face`` through the local fetcher), so no
system font package is needed (issue 12). Like every export (``core.exports``, DESIGN rule 11) a PDF carries a visible watermark (who
exported it, when, for which unit) in each page's footer and a hidden one (the export's id in the document's
metadata), and writes one audit row with the SHA-256 of the exact bytes served.

No network at render time: the URL fetcher serves ``/static/`` files from the app's own static finders and refuses
every other address.
"""
from __future__ import annotations

import hashlib
import uuid
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import AuditAction, audit_record

PDF_MIME = "application/pdf"
PDF_FONT = "vendor/fonts/wqy-microhei.ttc"  # under STATIC_URL; its licence files sit next to it
PDF_FONT_FAMILY = "WealthDesk CJK"
BASE_URL = "http://wealthdesk.local/"


def _local_only_fetcher():
    """A WeasyPrint fetcher that serves the app's own static files and refuses anything else (no internet)."""
    from weasyprint.urls import URLFetcher, path2url

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = urlparse(url).path
            static_url = settings.STATIC_URL or "/static/"
            found = finders.find(path[len(static_url):]) if path.startswith(static_url) else None
            if not found:
                raise ValueError(f"refused to fetch {url!r} while rendering a PDF")
            return super().fetch(path2url(found), headers)

    return LocalStaticFetcher(allowed_protocols=["file", "http"])


def pdf_bytes(*, html: str, title: str, watermark: str, export_id: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    static_url = settings.STATIC_URL or "/static/"
    page_css = (
        f"@font-face {{ font-family: '{PDF_FONT_FAMILY}'; src: url('{static_url}{PDF_FONT}'); }}"
        " @page { size: A4; margin: 16mm 14mm 18mm;"
        " @bottom-left { content: WATERMARK; font-size: 7pt; color: #777; }"
        " @bottom-right { content: counter(page) ' / ' counter(pages); font-size: 7pt; color: #777; } }"
        f" body {{ font-family: '{PDF_FONT_FAMILY}', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif; }}"
    )
    fetcher, font_config = _local_only_fetcher(), FontConfiguration()
    footer = CSS(string=page_css.replace("WATERMARK", _css_string(watermark)), base_url=BASE_URL,
                 url_fetcher=fetcher, font_config=font_config)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        stylesheets=[footer], font_config=font_config)
    document.metadata.title = title
    document.metadata.authors = ["WealthDesk"]
    document.metadata.keywords = [f"wd-export:{export_id}"]
    return document.write_pdf()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def pdf_response(*, request, template: str, context: dict, title: str, filename: str, unit: str = "",
                 audit_obj=None) -> HttpResponse:
    """Render ``template`` to PDF, audit it (one row: rows=pages, sha256, export id) and serve it as a download."""
    user = request.user
    at = timezone.localtime()
    export_id = uuid.uuid4().hex
    unit = unit or (user.unit.name if getattr(user, "unit_id", None) else "")
    watermark = _("%(who)s 于 %(when)s 导出 · %(unit)s · 编号 %(id)s · 内部资料，严禁外传") % {
        "who": user.get_full_name() or user.username, "when": f"{at:%Y-%m-%d %H:%M}", "unit": unit,
        "id": export_id[:12]}
    html = render_to_string(template, {**context, "pdf": True}, request=request)
    content = pdf_bytes(html=html, title=str(title), watermark=watermark, export_id=export_id)
    detail = {"export": str(title).strip("《》"), "format": "pdf", "sha256": hashlib.sha256(content).hexdigest(),
              "bytes": len(content), "filename": filename, "export_id": export_id}
    audit_record(actor=user, action=AuditAction.EXPORT, obj=audit_obj, unit_id=getattr(user, "unit_id", None),
                 detail=detail)
    from urllib.parse import quote

    response = HttpResponse(content, content_type=PDF_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
