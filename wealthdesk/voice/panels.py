"""Dashboard panels: my open/overdue questions (workbench), the center's overdue questions and new opinions
(head), questions routed to me (home of upper levels and supervisors), a customer's needs cards."""
from django.utils import timezone

from wealthdesk.core.subquery import first_rows_and_count

from . import selectors
from .choices import OpinionStatus
from .models import NeedsCard

LIMIT = 8


def _question_panel(qs, link: str):
    today = timezone.localdate()
    rows, total = first_rows_and_count(qs, LIMIT)
    overdue = sum(1 for q in rows if q.is_overdue(today))
    return {"rows": rows, "total": total, "overdue": overdue, "today": today, "link": link}


def my_questions(request):
    return _question_panel(selectors.my_pending_questions(request.user), "?box=mine")


def center_overdue(request):
    qs = selectors.center_pending_questions(request.user).overdue(timezone.localdate())
    return _question_panel(qs, "?overdue=1")


def inbox(request):
    return _question_panel(selectors.inbox_questions(request.user), "?box=inbox")


def new_opinions(request):
    qs = selectors.opinion_list(request.user, status=OpinionStatus.NEW)
    rows, total = first_rows_and_count(qs, LIMIT)
    return {"rows": rows, "total": total}


def customer_cards(request):
    customer = getattr(request, "wd_customer", None)
    if customer is None:
        return None
    cards = NeedsCard.objects.visible_to(request.user).filter(customer=customer).prefetch_related("items") \
        .order_by("-card_date", "-id")[:5]
    return {"rows": list(cards), "customer": customer}
