"""Registrations of the dashboards app: the navigation link, its own unit figures (AUM change)."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_nav, register_unit_figures

from . import aum_change
from .selectors import DASHBOARD_ROLES

register_nav("dashboards", _("经营看板"), "dashboards:own", roles=sorted(DASHBOARD_ROLES), order=5, icon="bar-chart")
register_unit_figures("dashboards.aum_change", aum_change.FIGURES, aum_change.aum_change)
