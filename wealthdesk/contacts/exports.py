"""Excel 《会面/电话/邮寄客户维护记录表》 in the handbook layout: masked, audited (AuditAction.EXPORT)."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.exports import export_response, filters_from
from wealthdesk.core.masking import mask_mobile, name_masker
from wealthdesk.customers.choices import Tier

from .choices import ContactKind

TITLE = "《会面/电话/邮寄客户维护记录表》"


def contact_headers() -> list[str]:
    return [_("序号"), _("联系时间"), _("客户姓名"), _("客户号"), _("客户级别"), _("手机号"), _("联系方式"), _("地点"),
            _("目的"), _("内容"), _("客户反馈"), _("下一步"), _("下次联系日期"), _("客户经理")]


def contact_rows(user, records):
    name = name_masker(user)
    tiers, kinds = {k: str(v) for k, v in Tier.choices}, {k: str(v) for k, v in ContactKind.choices}
    return ([i, timezone.localtime(r.contacted_at), name(r.customer.name), r.customer.cif_no,
             tiers.get(r.customer.tier, r.customer.tier), mask_mobile(r.customer.mobile), kinds.get(r.kind, r.kind),
             r.place, r.purpose, r.content, r.response, r.next_step, r.next_contact_on, str(r.staff)] for i, r in enumerate(records, start=1))


def _period(filters) -> str:
    start, end = filters.get("start"), filters.get("end")
    if not start and not end:
        return _("全部")
    return "{} 至 {}".format(start.isoformat() if start else "", end.isoformat() if end else "")


def contact_export_response(request, queryset, filters):
    """Every record of the filtered list, streamed (core.exports: masked, no row cap, one audit row)."""
    return export_response(user=request.user, title=TITLE, headers=contact_headers(),
                           rows=contact_rows(request.user, queryset.iterator(chunk_size=2000)),
                           period=_period(filters), filters=filters_from(request.GET),
                           sheet_title="会面电话邮寄客户维护记录表", audit_model=queryset.model, customer_data=True,
                           filename=f"客户维护记录表-{timezone.localdate():%Y%m%d}.xlsx")
