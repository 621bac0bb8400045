"""Registrations of the analyses app: its parameters, its navigation entry."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.params import register_defaults
from wealthdesk.core.registry import register_nav

from .selectors import READER_ROLES

register_defaults({
    "analyses.aum_bands": ("50000,200000,1000000,6000000", "客户群体分析的资产规模分段（元，升序，逗号分隔）"),
    "analyses.age_bands": ("30,40,50,60", "半年度分析的年龄分段（岁，升序，逗号分隔）"),
    "analyses.life_stage_ages": ("30,45,60", "人生阶段的年龄分界（岁）：青年单身期、家庭形成期、家庭成熟期、退休养老期"),
})

register_nav("analyses", _("半年度分析"), "analyses:index", roles=sorted(READER_ROLES), section="reports", order=64,
             icon="graph-up")
