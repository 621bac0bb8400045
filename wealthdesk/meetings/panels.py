"""Panels this app puts on the shared pages (core.registry): the team page (huddles today, the head's problem
deadlines) and the client manager's workbench (action items to tick off); the upper levels' inbox on home."""
from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for

from . import selectors, services


def team_huddles_panel(request):
    user, today = request.user, timezone.localdate()
    teams = list(selectors.visible_teams(user).filter(unit_id=user.unit_id)) if user.unit_id else []
    if not teams:
        return None
    board = selectors.huddle_board(user, today - timezone.timedelta(days=6), today, teams=teams)
    rows = [{"team": t, "today": selectors.today_huddles(t, today), "can_hold": services.can_hold_huddle(user, t)}
            for t in teams]
    return {"rows": rows, "missed": board["missed"][:8], "missed_count": len(board["missed"]), "today": today}


def head_problems_panel(request):
    user = request.user
    if not scope_for(user).has(Role.CENTER_HEAD):
        return None
    today = timezone.localdate()
    awaiting = list(selectors.awaiting_feedback(user)[:8])
    return {"awaiting": awaiting, "today": today, "to_collect": selectors.help_to_collect(user).count(),
            "overdue": sum(1 for p in awaiting if p.is_feedback_overdue(today))}


def my_actions_panel(request):
    items = list(selectors.my_open_actions(request.user)[:10])
    return {"items": items, "today": timezone.localdate(), "next": request.get_full_path()}


def inbox_panel(request):
    problems = list(selectors.inbox(request.user)[:8])
    return {"problems": problems, "count": len(problems)}
