"""Panels of the alerts app on the workbench, the head's page, the upper levels' home and the customer page."""
from wealthdesk.core.rollup import rollup_children
from wealthdesk.core.subquery import first_rows_and_count

from . import selectors


def my_alerts_panel(request):
    """Workbench: my open alerts with the overdue count and the next few due."""
    user = request.user
    if not user.has_accepted_agreement():
        return None
    counts = selectors.alert_counts(user, mine=True)
    items = list(selectors.alert_list(user, mine=True, status="open")[:5])
    return {"counts": counts, "items": items, "today": selectors.today()}


def my_maturities_panel(request):
    """Workbench: my customers' holdings maturing in the window."""
    user = request.user
    if not user.has_accepted_agreement():
        return None
    items, count = first_rows_and_count(selectors.maturities(user, mine=True), 5)
    return {"count": count, "items": items, "window": selectors.maturity_window()}


def head_overdue_panel(request):
    """Head: the center's overdue alerts (flagged to the head, R6/R7)."""
    user = request.user
    if not user.has_accepted_agreement():
        return None
    items = list(selectors.alert_list(user, overdue="1")[:8])
    return {"counts": selectors.alert_counts(user), "items": items, "today": selectors.today()}


def head_review_panel(request):
    """Head: closures awaiting the head's review."""
    user = request.user
    if not user.has_accepted_agreement():
        return None
    items, count = first_rows_and_count(selectors.alert_list(user, status="pending_review"), 8)
    return {"count": count, "items": items}


def subtree_alerts_panel(request):
    """Upper levels' home: open and overdue alerts per child unit of their subtree."""
    user = request.user
    if not user.has_accepted_agreement() or not user.unit_id:
        return None
    rows = rollup_children(user.unit, selectors.open_by_center(user))
    return {"rows": rows, "counts": selectors.alert_counts(user)}


def customer_alerts_panel(request):
    """Customer page: this customer's alerts."""
    customer = getattr(request, "wd_customer", None)
    if customer is None:
        return None
    items = list(selectors.alert_list(request.user, customer=str(customer.pk))[:10])
    return {"items": items, "customer": customer, "today": selectors.today()}
