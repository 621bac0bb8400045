"""Panels on the shared pages (core.registry): my career goals and trainings (workbench and home), the head's
quarterly reviews (head page, R37), trainings waiting for attendance or assessment (home of the organizers, R38)."""
from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.subquery import first_rows_and_count

from . import selectors
from .models import Enrolment
from .services import quarter_of


def my_development_panel(request):
    user, today = request.user, timezone.localdate()
    goal = selectors.my_goal(user, today.year)
    reviews = selectors.goal_reviews(goal) if goal else []
    upcoming = [r for r in reviews if r.status == "pending"]
    trainings = list(Enrolment.objects.filter(person=user, training__held_on__gte=today)
                     .select_related("training").order_by("training__held_on")[:3])
    return {"goal": goal, "next": upcoming[0] if upcoming else None, "today": today, "trainings": trainings,
            "overdue": sum(1 for r in upcoming if r.due_on < today)}


def head_reviews_panel(request):
    user, today = request.user, timezone.localdate()
    if not scope_for(user).has(Role.CENTER_HEAD):
        return None
    overdue = selectors.overdue_reviews(user, today).filter(goal__center_id=user.unit_id)
    figures = selectors.review_compliance([user.unit_id], today)[user.unit_id]
    rows, count = first_rows_and_count(overdue, 8)
    return {"overdue": rows, "overdue_count": count, "figures": figures,
            "quarter": quarter_of(today), "today": today,
            "without_goal": selectors.staff_without_goal(user, today.year).count()}


def trainings_to_record_panel(request):
    items = list(selectors.trainings_to_record(request.user, timezone.localdate())[:8])
    return {"items": items} if items else None
