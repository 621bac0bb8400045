"""Plug the referral pages into the shared navigation, dashboards, parameters and metrics (core.registry)."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.params import register_defaults
from wealthdesk.core.registry import register_home, register_metric, register_nav, register_panel, register_unit_figures

from . import metric_records, panels, selectors, unit_figures
from .roles import FOLLOWERS, HEADS, READERS, REFERRERS, STATS_ROLES

register_defaults({
    "referral.conversion_days": (90, "推介后N天内达到优质客户级别或资产增加达到标准即算转化（天）"),
    "referral.conversion_amount": (50000, "推介转化的资产增加标准（元）"),
    "referral.max_conversion_amount": (100000000, "登记转化带来资产的合理上限（元），超过视为录入错误"),
    "referral.duplicate_days": (30, "同一客户N天内重复推介时提示（天）"),
    "referral.lookup_per_minute": (30, "推介查找客户每人每分钟最多次数（防止遍历客户）"),
})

register_nav("referrals.new", _("推介客户"), "referrals:create", roles=REFERRERS, order=5, icon="megaphone")
register_nav("referrals", _("推介"), "referrals:list", roles=READERS, order=30, icon="person-check")
register_nav("referrals.stats", _("推介统计"), "referrals:stats", roles=STATS_ROLES, order=31, icon="bar-chart")
register_home("referrals:create", roles=REFERRERS, order=50)

register_panel("referrals.inbox", _("我的推介待办"), "referrals/panels/inbox.html", panels.inbox_panel,
               page="workbench", roles=FOLLOWERS, order=20)
register_panel("referrals.head", _("推介跟进与今日推介"), "referrals/panels/head.html", panels.head_panel,
               page="head", roles=HEADS, order=30)
register_panel("referrals.front", _("推介优质客户"), "referrals/panels/front.html", panels.front_panel,
               page="home", roles=REFERRERS, order=5)

register_metric("referrals_made", _("推介客户数"), selectors.metric_made, records=metric_records.made_records,
                windows=selectors.metric_made_windows)
register_metric("referrals_followed", _("跟进推介数"), selectors.metric_followed,
                windows=selectors.metric_followed_windows)
register_metric("referrals_converted", _("推介转化数"), selectors.metric_converted,
                records=metric_records.converted_records, windows=selectors.metric_converted_windows)
register_unit_figures("referrals.made", unit_figures.FIGURES, unit_figures.referral_figures)
