"""Navigation, panels and parameters of the customer-voice app."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.params import register_defaults
from wealthdesk.core.registry import register_metric, register_nav, register_panel, register_unit_figures
from wealthdesk.core.roles import Role
from wealthdesk.core.submission import PeriodKind, register_report_kind

from . import metric_records, panels, unit_figures
from .models import SURVEY_ROLES

register_defaults({
    "opinion.rate_limit": (5, "意见簿每个IP在时间窗口内最多提交条数"),
    "opinion.rate_window_seconds": (600, "意见簿限流时间窗口（秒）"),
    "opinion.max_chars": (1000, "意见簿留言最多字数"),
})

CARD_READERS = [Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD, Role.BUSINESS_SUPERVISOR,
                Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE]
INBOX_ROLES = [Role.TEAM_LEAD, Role.BUSINESS_SUPERVISOR, Role.CENTER_HEAD, Role.BRANCH_SERVICE, Role.HQ_SERVICE]

register_nav("voice", _("客户之声"), "voice:cards", roles=CARD_READERS, order=40, icon="chat-quote")
register_panel("voice.my_questions", _("我的待办客户问题"), "voice/panels/questions.html", panels.my_questions,
               page="workbench", roles=[Role.CLIENT_MANAGER], order=40)
register_panel("voice.center_questions", _("逾期客户问题"), "voice/panels/questions.html", panels.center_overdue,
               page="head", roles=[Role.CENTER_HEAD], order=40)
register_panel("voice.opinions", _("意见簿新留言"), "voice/panels/opinions.html", panels.new_opinions,
               page="head", roles=[Role.CENTER_HEAD], order=41)
register_panel("voice.inbox", _("转给我答复的客户问题"), "voice/panels/questions.html", panels.inbox,
               page="home", roles=INBOX_ROLES, order=40)
register_panel("voice.customer_cards", _("客户需求卡"), "voice/panels/customer_cards.html", panels.customer_cards,
               page="customer", roles=CARD_READERS, order=40)


def _report_url(name):
    def url(report):
        from django.urls import reverse

        return reverse(name, args=[report.pk])
    return url


def _validate(report):
    from .services.reports import validate_submit

    validate_submit(report)


# The monthly center reports travel on core's submission chain (R20, R21, R24): the head submits, the unit above
# receives or returns them for rework.
register_report_kind("needs_summary", _("客户需求汇总表"), "voice.NeedsSummary", period=PeriodKind.MONTH, due_days=5,
                     rule="R20 R24", unit_field="center", period_field="month",
                     detail_url=_report_url("voice:needs-report"), validate_submit=_validate)
register_report_kind("survey_report", _("调研信息汇总报告"), "voice.SurveyReport", period=PeriodKind.MONTH, due_days=5,
                     rule="R21 R24", unit_field="center", period_field="month",
                     detail_url=_report_url("voice:surveys-report"), validate_submit=_validate)

__all__ = ["SURVEY_ROLES"]
register_metric("questions_overdue", _("超过两周未答复的客户问题数"), metric_records.overdue_metric,
                records=metric_records.overdue_records, direction="negative", windows=metric_records.overdue_windows)
register_unit_figures("voice.needs", unit_figures.FIGURES, unit_figures.needs_figures)
