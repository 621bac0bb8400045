"""Excel 《客户经理日志》 in the handbook layout (one row per log), audited (AuditAction.EXPORT).

Logs hold no personal identifiers of customers; free text is written as entered by the manager."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.exports import export_response, filters_from

TITLE = "《客户经理日志》"


def log_headers() -> list[str]:
    return [_("日期"), _("客户经理"), _("状态"), _("联系客户数"), _("新增客户数"), _("销售产品（品种及金额）"),
            _("销售金额（元）"), _("跟进推介数"), _("营销线索"), _("关系维护"), _("目标进度"), _("困难与问题"),
            _("需要的帮助"), _("批阅人"), _("批阅意见")]


def log_rows(logs):
    return ([log.log_date, str(log.staff), log.get_status_display(), log.customers_contacted, log.new_customers,
             log.products_sold, log.sales_amount, log.referrals_followed, log.marketing_leads,
             log.relationship_maintenance, log.target_progress, log.difficulties, log.help_needed,
             str(log.reviewed_by or ""), log.review_comment] for log in logs)


def log_export_response(request, queryset, start, end):
    """Every log of the filtered list, streamed (core.exports: no row cap, one audit row)."""
    return export_response(user=request.user, title=TITLE, headers=log_headers(),
                           rows=log_rows(queryset.iterator(chunk_size=2000)),
                           period=f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}", filters=filters_from(request.GET),
                           audit_model=queryset.model, filename=f"客户经理日志-{timezone.localdate():%Y%m%d}.xlsx")
