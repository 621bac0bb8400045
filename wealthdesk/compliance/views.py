"""/compliance/ and /compliance/<unit>/: the handbook compliance monitor, with drill-down and an Excel export."""
from __future__ import annotations

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from wealthdesk.core.db_router import ReplicaReadMixin
from wealthdesk.core.exports import export_response
from wealthdesk.core.views import RoleRequiredMixin

from . import selectors
from .roles import MONITOR_ROLES


class _MonitorMixin(ReplicaReadMixin, RoleRequiredMixin):
    allowed_roles = MONITOR_ROLES

    def monitor(self) -> dict:
        unit = selectors.monitor_unit(self.request.user, self.kwargs.get("unit_id"))
        day = selectors.as_of(self.request.GET.get("date"))
        return selectors.monitor(unit, day)


class MonitorView(_MonitorMixin, TemplateView):
    template_name = "compliance/monitor.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        m = self.monitor()
        ctx.update(m=m, crumbs=selectors.ancestors(m["unit"], self.request.user),
                   date_param=self.request.GET.get("date", ""))
        return ctx


def _rate(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class MonitorExportView(_MonitorMixin, View):
    def get(self, request, *args, **kwargs):
        m = self.monitor()
        headers = [_g("要求"), _g("应完成"), _g("按时完成"), _g("逾期未完成"), _g("达标率")]
        rows = [[r.label, r.due if r.measured else "", r.done if r.measured else "",
                 r.overdue if r.measured else "", _rate(r.rate) if r.measured else _g("尚未计量")] for r in m["rows"]]
        rows.append([])
        rows.append([_g("下级机构"), _g("应完成"), _g("按时完成"), _g("逾期未完成"), _g("综合达标率")])
        rows += [[f"{c.unit.name}（{c.unit.get_kind_display()}）", c.due, c.done, c.overdue, _rate(c.rate)]
                 for c in m["children"]]
        return export_response(user=request.user, title=_("《制度执行监测》"), headers=headers, rows=rows,
                               unit=m["unit"].name, period=m["today"].isoformat(),
                               filters={"unit": m["unit"].pk, "date": m["today"].isoformat()},
                               filename=f"制度执行监测-{m['unit'].code}-{m['today']:%Y%m%d}.xlsx")
