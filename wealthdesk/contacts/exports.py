"""Excel 《会面/电话/邮寄客户维护记录表》 in the handbook layout: masked, audited (AuditAction.EXPORT)."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_many
from wealthdesk.core.excel import handbook_workbook, xlsx_response
from wealthdesk.core.masking import mask_mobile

TITLE = "《会面/电话/邮寄客户维护记录表》"
MAX_ROWS = 20000


def contact_headers() -> list[str]:
    return [_("序号"), _("联系时间"), _("客户姓名"), _("客户号"), _("客户级别"), _("手机号"), _("联系方式"), _("地点"),
            _("目的"), _("内容"), _("客户反馈"), _("下一步"), _("下次联系日期"), _("客户经理")]


def contact_rows(records) -> list[list]:
    return [[i, timezone.localtime(r.contacted_at), r.customer.name, r.customer.cif_no, r.customer.get_tier_display(),
             mask_mobile(r.customer.mobile), r.get_kind_display(), r.place, r.purpose, r.content, r.response,
             r.next_step, r.next_contact_on, str(r.staff)] for i, r in enumerate(records, start=1)]


def _period(filters) -> str:
    start, end = filters.get("start"), filters.get("end")
    if not start and not end:
        return _("全部")
    return "{} 至 {}".format(start.isoformat() if start else "", end.isoformat() if end else "")


def contact_export_response(user, queryset, filters):
    records = list(queryset[:MAX_ROWS])
    unit = user.unit.name if user.unit_id else ""
    content = handbook_workbook(title=TITLE, unit=unit, period=_period(filters), headers=contact_headers(),
                                rows=contact_rows(records), sheet_title="会面电话邮寄客户维护记录表")
    audit_many(actor=user, action=AuditAction.EXPORT, objects=records, detail={"form": TITLE})
    return xlsx_response(content, f"客户维护记录表-{timezone.localdate():%Y%m%d}.xlsx")
