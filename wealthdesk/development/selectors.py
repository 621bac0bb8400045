"""Reads of career goals (R37) and training (R38, R40), always starting from ``visible_to(user)``."""
from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Q
from django.utils import timezone

from wealthdesk.core import rollup
from wealthdesk.core.memo import ids_key, memo
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from .choices import Attendance, ReviewStatus, TrainingStatus
from .models import STAFF_POSITIONS, CareerGoal, CareerReview, Enrolment, TrainingPlan
from .services import quarter_of


def goal_list(user, *, year: int | None = None, overdue_on: dt.date | None = None, unit: OrgUnit | None = None):
    qs = CareerGoal.objects.visible_to(user).select_related("staff", "center", "head")
    if year:
        qs = qs.filter(year=year)
    if unit is not None:
        qs = qs.filter(center__path__startswith=unit.path)
    if overdue_on:
        qs = qs.filter(pk__in=CareerReview.objects.overdue(overdue_on).values("goal_id"))
    today = overdue_on or timezone.localdate()
    return qs.annotate(
        held=Count("reviews", filter=Q(reviews__status=ReviewStatus.HELD)),
        late=Count("reviews", filter=Q(reviews__status=ReviewStatus.PENDING, reviews__due_on__lt=today)),
    ).order_by("-year", "center__path", "staff__username")


def goal_reviews(goal: CareerGoal):
    return list(goal.reviews.select_related("reviewed_by").order_by("quarter"))


def overdue_reviews(user, today: dt.date):
    return (CareerReview.objects.visible_to(user).overdue(today)
            .select_related("goal__staff", "goal__center").order_by("due_on"))


def my_goal(user, year: int):
    return CareerGoal.objects.filter(staff=user, year=year).first()


def center_staff(head):
    """The head's center staff who can have career goals (not the head): a handful, rendered as a plain select."""
    return (User.objects.filter(unit_id=head.unit_id, is_active=True, role_assignments__role__in=STAFF_POSITIONS)
            .exclude(pk=head.pk).distinct().order_by("username"))


def staff_without_goal(head, year: int):
    return center_staff(head).exclude(career_goals__year=year)


def review_compliance(center_ids, today: dt.date) -> dict[int, dict[str, int]]:
    """The R37 measure per center for the current quarter: reviews due this quarter, held, and overdue now
    (any earlier quarter still pending past its due date). Two queries whatever the number of centers, once per
    request for the same centers and day (the head's reviews panel and the compliance panel, ``core.memo``)."""
    center_ids = list(center_ids)
    return memo(("review_compliance", ids_key(center_ids), today), lambda: _review_compliance(center_ids, today))


def _review_compliance(center_ids, today: dt.date) -> dict[int, dict[str, int]]:
    year, quarter = today.year, quarter_of(today)
    out = {cid: {"due": 0, "done": 0, "overdue": 0} for cid in center_ids}
    rows = (CareerReview.objects.filter(goal__center_id__in=center_ids, goal__year=year, quarter=quarter)
            .values("goal__center_id").annotate(due=Count("id"), done=Count("id", filter=Q(status=ReviewStatus.HELD))))
    for r in rows:
        out[r["goal__center_id"]].update(due=r["due"], done=r["done"])
    late = (CareerReview.objects.filter(goal__center_id__in=center_ids).overdue(today)
            .values("goal__center_id").annotate(n=Count("id")))
    for r in late:
        out[r["goal__center_id"]]["overdue"] = r["n"]
    return out


# ---------------------------------------------------------------- training

def training_list(user, *, year: int | None = None, organizer_id: int | None = None):
    qs = TrainingPlan.objects.visible_to(user).select_related("organizer")
    if year:
        qs = qs.filter(held_on__year=year)
    if organizer_id:
        qs = qs.filter(organizer_id=organizer_id)
    return qs.annotate(
        enrolled=Count("enrolments"),
        present=Count("enrolments", filter=Q(enrolments__attendance=Attendance.PRESENT)),
        assessed=Count("enrolments", filter=Q(enrolments__assessed_at__isnull=False)),
    ).order_by("-held_on", "-id")


def training_participants(user, training: TrainingPlan):
    """The enrolments of one training the user may see (the organizer all; a center head their center's)."""
    return (Enrolment.objects.visible_to(user).filter(training=training)
            .select_related("person", "unit", "assessed_by").order_by("unit__path", "person__username"))


def training_rollup(user, root: OrgUnit, year: int) -> dict:
    """Training received below ``root`` in ``year``, per child unit (R38, R40: the upper levels see training done
    below them): trainings, participants enrolled, attended, assessed, and the average score. Per-unit figures
    come from one grouped query and are summed up the tree by ``core.rollup``."""
    base = Enrolment.objects.visible_to(user).filter(unit__path__startswith=root.path, training__held_on__year=year)
    per_unit: dict[int, dict[str, float]] = {}
    for r in base.values("unit_id").annotate(
            enrolled=Count("id"), present=Count("id", filter=Q(attendance=Attendance.PRESENT)),
            assessed=Count("id", filter=Q(assessed_at__isnull=False))):
        per_unit[r["unit_id"]] = {"enrolled": r["enrolled"], "present": r["present"], "assessed": r["assessed"]}
    scores = base.filter(score__isnull=False).values("unit_id").annotate(n=Count("id"), avg=Avg("score"))
    for r in scores:
        per_unit.setdefault(r["unit_id"], {})["score_total"] = float(r["avg"]) * r["n"]
    rows = rollup.rollup_children(root, per_unit)
    trainings_by_child = _trainings_per_child(base, rows)
    for row in rows:
        f = row["figures"]
        row["trainings"] = trainings_by_child.get(row["unit"].pk, 0)
        row["avg_score"] = round(f.get("score_total", 0) / f["assessed"], 1) if f.get("assessed") else None
    totals = rollup.total(rows)
    totals["avg_score"] = round(totals.get("score_total", 0) / totals["assessed"], 1) if totals.get("assessed") else None
    totals["trainings"] = base.values("training_id").distinct().count()
    return {"rows": rows, "total": totals}


def _trainings_per_child(base, rows) -> dict[int, int]:
    """Distinct trainings per child unit (not summable: one training may reach several centers)."""
    pairs = set(base.values_list("unit__path", "training_id").distinct())
    out = {}
    for row in rows:
        path = row["unit"].path
        out[row["unit"].pk] = len({t for p, t in pairs if p.startswith(path)})
    return out


def trainings_to_record(user, today: dt.date):
    """Trainings the user's unit organized whose date has come and that still wait for attendance or assessment."""
    if not user.unit_id or not scope_for(user).roles & STAFF_POSITIONS:
        return TrainingPlan.objects.none()
    waiting = Enrolment.objects.filter(attendance=Attendance.PRESENT, assessed_at__isnull=True).values("training_id")
    return (training_list(user).filter(organizer_id=user.unit_id, held_on__lte=today)
            .filter(Q(status=TrainingStatus.PLANNED) | Q(pk__in=waiting)))
