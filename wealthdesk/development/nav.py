"""Registrations of the development app: navigation, panels, the R37 compliance measure and audit names."""
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_compliance, register_nav, register_panel
from wealthdesk.core.roles import Role

from . import panels, selectors
from .views import PLANNERS, READERS, ROLLUP_READERS

register_nav("development.goals", _("职业目标"), "development:goals", roles=list(READERS), section="planning",
             order=71, icon="bullseye")
register_nav("development.trainings", _("培训计划"), "development:trainings", roles=list(READERS),
             section="planning", order=72, icon="mortarboard")
register_nav("development.rollup", _("下级培训情况"), "development:training_rollup", roles=list(ROLLUP_READERS),
             section="planning", order=73, icon="diagram-3")

register_panel("development.mine", _("我的职业目标与培训"), "development/panels/mine.html",
               panels.my_development_panel, page="workbench", roles=[Role.CLIENT_MANAGER], order=50)
register_panel("development.mine_home", _("我的职业目标与培训"), "development/panels/mine.html",
               panels.my_development_panel, page="home",
               roles=[r for r in READERS if r not in (Role.CLIENT_MANAGER, *PLANNERS)], order=50)
register_panel("development.reviews", _("职业目标季度回顾"), "development/panels/head_reviews.html",
               panels.head_reviews_panel, page="head", roles=[Role.CENTER_HEAD], order=50)
register_panel("development.trainings", _("待登记出席与考核的培训"), "development/panels/trainings.html",
               panels.trainings_to_record_panel, page="home", roles=list(PLANNERS), order=50)


def _overdue_reviews_url(unit) -> str:
    return reverse("development:goals") + "?" + urlencode({"overdue": 1, "unit": unit.pk})


register_compliance("development.career_reviews", "R37", _("职业目标季度回顾"), selectors.review_compliance,
                    period="quarter", overdue_url=_overdue_reviews_url, order=37)
