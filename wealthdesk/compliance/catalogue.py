"""The handbook's rules that have a frequency or a deadline: the rows of the compliance monitor.

A rule is measured when the app that owns its records registers a measure (``core.registry.register_compliance``);
until then its row says "not yet measured" rather than showing a zero that would look like compliance.
"""
from django.utils.translation import gettext_lazy as _

RULES: list[tuple[str, object]] = [
    ("R9", _("工作日志按日提交")),
    ("R10", _("每日下班前汇报")),
    ("R11", _("负责人批阅日志（至少八成）")),
    ("R12", _("上报问题三日内反馈")),
    ("R13", _("晨会、夕会每日召开")),
    ("R14", _("团队例会每周有纪要")),
    ("R15", _("支行与理财中心双周例会")),
    ("R16", _("推介客户两个工作日内跟进")),
    ("R18", _("客户与市场月度报告")),
    ("R19", _("客户与市场半年度分析报告")),
    ("R22", _("客户问题两周内答复")),
    ("R24", _("客户需求季度分析")),
    ("R25", _("定向营销活动（每年小型6次、大型2次）")),
    ("R26", _("贵宾客户每月至少联系一次")),
    ("R31", _("客户投诉月统计")),
    ("R32", _("投诉在时限内办结")),
    ("R34", _("绩效汇总表按月结档")),
    ("R35", _("网点运营状况报告")),
    ("R37", _("职业目标季度回顾")),
]
