"""Dashboard panels: the client manager's inbox, the head's overdue list and today's counts, the front desk's
big button (R16, R17). Each returns a small dict with real counts (one or two queries)."""
from django.db.models import Count, Q
from django.utils import timezone

from wealthdesk.core.subquery import first_rows_and_count

from .choices import Position
from .models import Referral
from .selectors import inbox_counts


def inbox_panel(request):
    today = timezone.localdate()
    counts = inbox_counts(request.user, today)
    pending = list(Referral.objects.visible_to(request.user).filter(assigned_to=request.user).open()
                   .order_by("due_on", "id")[:5])
    return {"counts": counts, "pending": pending, "today": today}


def head_panel(request):
    today = timezone.localdate()
    qs = Referral.objects.visible_to(request.user)
    overdue, overdue_total = first_rows_and_count(
        qs.overdue(today).select_related("assigned_to").order_by("due_on", "id"), 10)
    by_pos = dict(qs.filter(referred_on=today).values("referrer_position").annotate(n=Count("id"))
                  .values_list("referrer_position", "n").order_by())
    today_rows = [{"label": label, "n": by_pos.get(value, 0)} for value, label in Position.choices]
    from .selectors import trend, trend_option

    chart = trend_option(trend(request.user, end=today, days=30))
    return {"overdue": overdue, "overdue_total": overdue_total, "today_rows": today_rows, "today": today,
            "chart": chart}


def front_panel(request):
    today = timezone.localdate()
    first = today.replace(day=1)
    counts = Referral.objects.filter(referrer=request.user, referred_on__gte=first).aggregate(
        made=Count("id"), converted=Count("id", filter=Q(status="converted")),
        open=Count("id", filter=Q(status__in=["new", "accepted", "contacted"])))
    return {"counts": counts}
