"""Turns a customer-data export above the threshold (``core.exports.ExportNeedsApproval``) into the request
form, prefilled with the export's URL: the user sees "this export needs approval — give a reason", not a file.
The refused attempt is audited (action ``denied``)."""
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.exports import ExportNeedsApproval


class ExportApprovalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ExportNeedsApproval):
            return None
        user = request.user
        audit_record(actor=user, action=AuditAction.DENIED, unit_id=getattr(user, "unit_id", None),
                     detail={"export": exception.title.strip("《》"), "rows": exception.rows,
                             "threshold": exception.threshold, "filters": exception.filters,
                             "reason": "needs_approval", "url": request.get_full_path()[:1000]})
        url = f"{reverse('exportcontrol:new')}?{urlencode({'url': request.get_full_path()})}"
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("该导出超过 %(n)s 行且含客户数据，须经审批：请提交导出申请。")
                                 % {"n": exception.threshold}, "request_url": url}, status=403)
        if getattr(request, "htmx", False):
            from django.http import HttpResponse

            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
