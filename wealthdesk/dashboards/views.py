"""The roll-up dashboard page (R1): ``/dashboards/`` (the user's own unit) and ``/dashboards/<unit_id>/`` (a unit
of their subtree, else 404), its Excel export. A bad or impossible period answers 400 with the reason."""
from __future__ import annotations

from django.shortcuts import render
from django.views import View

from wealthdesk.core.views import RoleRequiredMixin

from . import exports, selectors
from .charts import chart_options
from .presenters import show, show_change


def _table(board: selectors.Dashboard) -> dict:
    """The page's cells, formatted once: the comparison and one line per child."""
    comparison = [{**item, "value_s": show(item["value"], item["figure"]),
                   "previous_s": show(item["previous"], item["figure"]) if item["figure"].flow else "",
                   "last_year_s": show(item["last_year"], item["figure"]) if item["figure"].flow else "",
                   "mom_s": show_change(item["mom"], item["figure"]) if item["figure"].flow else "",
                   "yoy_s": show_change(item["yoy"], item["figure"]) if item["figure"].flow else ""}
                  for item in board.comparison()]
    columns = board.figures
    if board.rows_are_staff:
        keys = set().union(*(r.figures for r in board.rows)) if board.rows else set()
        columns = [f for f in board.figures if f.key in keys]
    rows = [{"row": r, "cells": [show(r.figures.get(f.key), f) if f.key in r.figures else "—" for f in columns]}
            for r in board.rows]
    return {"comparison": comparison, "columns": columns, "rows": rows}


class DashboardView(RoleRequiredMixin, View):
    allowed_roles = selectors.DASHBOARD_ROLES
    export = False

    def get(self, request, unit_id=None):
        root = selectors.root_for(request.user, unit_id)
        error = ""
        try:
            period = selectors.parse_period(request.GET.get("period"))
        except selectors.PeriodError as exc:
            error = str(exc)
        if error:
            return render(request, "dashboards/dashboard.html",
                          {"root": root, "error": error, "period_value": request.GET.get("period", ""),
                           "breadcrumbs": selectors.breadcrumbs(request.user, root)}, status=400)
        board = selectors.dashboard(request.user, root, period)
        if self.export:
            return exports.dashboard_export(request, board)
        return render(request, "dashboards/dashboard.html",
                      {"root": root, "board": board, "period_value": period.label, "table": _table(board),
                       "charts": chart_options(board), "breadcrumbs": selectors.breadcrumbs(request.user, root)})
