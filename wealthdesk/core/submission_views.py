"""Pages of the submission chain shared by every app: the chain panel on a report's page (state, receiver, due date,
comments, trail and the actions the user may take) and the "下级报送" board (what is due from the levels below,
what arrived, what is late — per unit and kind)."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from . import submission
from .roles import Reach
from .scoping import scope_for
from .views import RoleRequiredMixin

# Above this many rows the board adds up the rows below each unit one level down, with a link to drill into it
# (issue 16: head office's board had 13,000 rows, 4.4 MB, 12 s to render).
BOARD_DETAIL_ROWS = 200


BOARD_ROLES = frozenset(role for roles in submission.RECEIVER_ROLES.values() for role in roles)


def chain_context(user, report, *, errors=(), comment: str = "") -> dict:
    """What ``core/_submission.html`` needs: include it with ``sub=<this>``."""
    return {"report": report, "actions": submission.actions_for(user, report), "trail": list(submission.trail(report)),
            "errors": list(errors), "comment": comment, "editable": submission.can_edit(user, report)}


def handle_chain_post(request, report) -> list[str]:
    """Run the chain action a page posted (``action`` = submit/receive/return/share, ``comment``, ``version``).
    Returns the error lines (empty on success); on error nothing changed."""
    action = request.POST.get("action", "")
    version = request.POST.get("version") or None
    try:
        submission.submission_act(actor=request.user, report=report, action=action,
                                  comment=request.POST.get("comment", ""),
                                  version=int(version) if version and version.isdigit() else None)
    except submission.StaleVersion as exc:
        return [str(exc)]
    except PermissionDenied as exc:
        return [str(exc) or _("您无权执行此操作。")]
    except ValidationError as exc:
        labels = {"comment": _("意见"), "status": _("状态"), "receiver_unit": _("接收机构")}
        return [f"{labels[f]}：{e}" if f in labels else e for f, errs in exc.message_dict.items() for e in errs]
    return []


class DueBoardView(RoleRequiredMixin, TemplateView):
    """下级报送: each receiving level sees what is due from below, what arrived, what is late."""

    allowed_roles = BOARD_ROLES | {"auditor"}
    template_name = "core/submission_board.html"

    def get(self, request, *args, **kwargs):
        self.error = ""
        raw = request.GET.get("on", "")
        self.on = timezone.localdate()
        if raw:
            try:
                self.on = dt.date.fromisoformat(raw)
            except ValueError:
                self.error = _("日期：请按 YYYY-MM-DD 填写。")
        response = super().get(request, *args, **kwargs)
        if self.error:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", "")
        if kind and kind not in submission.report_kinds():
            self.error = self.error or _("报告种类：没有这种报告。")
            kind = ""
        scope = scope_for(self.request.user)
        focus, crumbs = self._focus(scope)
        rows, grouped = [], False
        if scope.reach >= Reach.SUBTREE:
            # the plan (ids and paths) says how many rows the detail would have; above the limit the rows below
            # each child are counted in SQL, never built one by one (issue 16: 13,000 rows at head office)
            plan = submission.board_plan(self.request.user, on=self.on, kind_key=kind, within=focus)
            grouped = focus is not None and plan.size > BOARD_DETAIL_ROWS
            if grouped:
                rows = submission.board_grouped(plan, focus, focus.children.all())
            else:
                rows = submission.due_board(self.request.user, on=self.on, kind_key=kind, within=focus)
        totals = {"expected": sum(r.expected for r in rows), "arrived": sum(r.arrived for r in rows),
                  "late": sum(r.late for r in rows)}
        ctx.update(rows=rows, totals=totals, on=self.on, error=self.error, kind=kind, focus=focus, crumbs=crumbs,
                   crumb_keep="&" + urlencode({"kind": kind, "on": self.on.isoformat()}),
                   grouped=grouped,
                   kinds=sorted(submission.report_kinds().values(), key=lambda k: k.key), today=timezone.localdate())
        return ctx

    def _focus(self, scope):
        """The unit the board looks at (``?unit=<id>``, default the user's own, ``core.rollup``) and the way back
        up. A unit outside the user's subtree is refused with the message (400) and the board shows their own."""
        from django.http import Http404

        from .rollup import breadcrumbs, unit_in_scope

        if not scope.unit_path:
            return None, []
        try:
            focus = unit_in_scope(self.request.user, self.request.GET.get("unit", "").strip() or None)
        except Http404 as exc:
            self.error = self.error or _("机构：%(reason)s") % {"reason": exc}
            focus = unit_in_scope(self.request.user)
        return focus, breadcrumbs(self.request.user, focus)
