"""Panels of the complaints app: open and overdue complaints for the head (page "head"), upper levels and the
quality manager (page "home"), the complaints I own (page "workbench"), a customer's complaints (page "customer").
Overdue complaints are flagged here to their owner and to the head (R32)."""
from django.db.models import Q
from django.utils import timezone

from wealthdesk.core.scoping import scope_for

from .choices import Status
from .models import Complaint
from .selectors import open_counts

LIMIT = 5


def _panel(qs, **extra):
    today = timezone.localdate()
    counts = open_counts(qs, today)
    overdue = list(qs.filter(status=Status.OPEN, due_on__lt=today).select_related("owner")
                   .order_by("due_on", "id")[:LIMIT])
    return {"open": counts["open"], "overdue": counts["overdue"], "rows": overdue, **extra}


def head_panel(request):
    """The center head: open and overdue complaints of the center."""
    scope = scope_for(request.user)
    qs = Complaint.objects.visible_to(request.user).filter(center_id=scope.unit_id)
    return _panel(qs, list_query="status=open")


def subtree_panel(request):
    """Quality manager and upper levels: open and overdue complaints of the subtree, and those escalated to me."""
    qs = Complaint.objects.visible_to(request.user)
    escalated = qs.filter(escalated_to=request.user, status=Status.OPEN).count()
    return _panel(qs, escalated=escalated, list_query="status=open")


def owner_panel(request):
    """Complaints I own (hidden when I own none)."""
    qs = Complaint.objects.visible_to(request.user).filter(Q(owner=request.user) | Q(escalated_to=request.user))
    ctx = _panel(qs, list_query="status=open&mine=1")
    return ctx if ctx["open"] else None


def customer_panel(request):
    customer = getattr(request, "wd_customer", None)
    if customer is None:
        return None
    rows = list(Complaint.objects.visible_to(request.user).filter(customer=customer).order_by("-received_on")[:10])
    return {"rows": rows, "customer": customer}
