"""The customer-page panel: the customer's contact timeline and the quick-add button (R27)."""
from django.utils import timezone

from wealthdesk.core.scoping import scope_for

from . import policy
from .selectors import customer_timeline
from .services import CONTACT_WRITERS


def customer_timeline_panel(request):
    customer = getattr(request, "wd_customer", None)
    if customer is None:
        return None
    months = policy.intervals().get(customer.tier, 0)
    records = customer_timeline(request.user, customer)
    last = records[0].contacted_at if records else customer.created_at
    due = policy.due_date(timezone.localtime(last).date(), months)
    return {"customer": customer, "records": records, "next_due": due,
            "overdue": bool(due and due < timezone.localdate()),
            "can_add": scope_for(request.user).has(*CONTACT_WRITERS)}

