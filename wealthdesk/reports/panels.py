"""Dashboard cards: a client manager's reports due and returned; the reports waiting for the user's unit."""
from django.utils import timezone

from wealthdesk.core.submission import SubmissionStatus

from . import selectors


def mine_panel(request):
    qs = selectors.report_list(request.user, mine="1").filter(status=SubmissionStatus.DRAFT)
    rows = list(qs[:5])
    return {"rows": rows, "today": timezone.localdate()}


def incoming_panel(request):
    rows = list(selectors.incoming(request.user)[:8])
    return {"rows": rows, "count": len(rows)}
