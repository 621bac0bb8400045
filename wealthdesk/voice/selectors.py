"""Reads of the customer-voice app; every one starts from ``visible_to(user)`` (DESIGN rule 1)."""
from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import (
    AnswerRoute,
    NeedCategory,
    OpinionKind,
    OpinionStatus,
    QuestionStatus,
    ServicePosition,
    SurveyQuestionKind,
)
from .models import NeedItem, NeedsCard, NeedsQuestion, Opinion, Survey, SurveyQuestion, SurveyResponse


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(value: str | None, default: dt.date | None = None) -> dt.date:
    """``"2026-11"`` → 2026-11-01; anything else → the default (this month)."""
    try:
        year, mon = (int(x) for x in (value or "").split("-")[:2])
        return dt.date(year, mon, 1)
    except (TypeError, ValueError):
        return (default or timezone.localdate()).replace(day=1)


# --- needs cards and questions -------------------------------------------------------------------------------

def _card_filters(qs: QuerySet[NeedsCard], *, q: str = "", category: str = "", customer: str = "") -> QuerySet[NeedsCard]:
    """The list's filters, ordered by ``(-card_date, -id)`` (keyset pages walk the card_date index). A category is
    an ``EXISTS`` (no join that repeats a card, no ``GROUP BY``)."""
    if category in NeedCategory.values:
        qs = qs.filter(Exists(NeedItem.objects.filter(card=OuterRef("pk"), category=category)))
    if customer.isdigit():
        qs = qs.filter(customer_id=int(customer))
    q = q.strip()
    if q:
        qs = qs.filter(customer__name__contains=q)
    return qs.order_by("-card_date", "-id")


def _question_count(*, pending: bool = False):
    """A correlated count of a card's questions (``pending``: not yet told to the customer): evaluated for the
    page's rows only, not a COUNT DISTINCT over a LEFT JOIN of every card in scope with its questions (which cost
    head office seconds)."""
    rows = NeedsQuestion.objects.filter(card=OuterRef("pk"))
    if pending:
        rows = rows.exclude(status=QuestionStatus.TOLD)
    rows = rows.order_by().values("card").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def card_list(user, *, q: str = "", category: str = "", customer: str = "") -> QuerySet[NeedsCard]:
    qs = (NeedsCard.objects.visible_to(user).select_related("customer", "client_manager", "center")
          .prefetch_related("items")
          .annotate(n_questions=_question_count(), n_pending=_question_count(pending=True)))
    return _card_filters(qs, q=q, category=category, customer=customer)


API_CARD_COLUMNS = ("id", "customer_id", "center_id", "client_manager_id", "card_date", "notes", "remarks",
                    "customer__name", "center__name", "client_manager__full_name")


def card_api_list(user, *, q: str = "", category: str = "", customer: str = "") -> QuerySet[NeedsCard]:
    """The API list's cards: the columns the row shows, the items prefetched, the questions counted for the page's
    rows (``n_questions``, ``n_pending``) — the questions themselves are on the detail (issue 16)."""
    qs = (NeedsCard.objects.visible_to(user).select_related("customer", "client_manager", "center")
          .only(*API_CARD_COLUMNS).prefetch_related(Prefetch("items", queryset=NeedItem.objects.order_by("card_id", "id")))
          .annotate(n_questions=_question_count(), n_pending=_question_count(pending=True)))
    return _card_filters(qs, q=q, category=category, customer=customer)


def card_api_detail(user, *, q: str = "", category: str = "", customer: str = "") -> QuerySet[NeedsCard]:
    """The API's cards with their items and questions (the detail, and the answer to a create)."""
    return _card_filters(card_detail_queryset(user), q=q, category=category, customer=customer)


def card_detail_queryset(user) -> QuerySet[NeedsCard]:
    questions = NeedsQuestion.objects.select_related("assignee", "answered_by", "told_by", "target_unit")
    return NeedsCard.objects.visible_to(user).select_related("customer", "client_manager", "center") \
        .prefetch_related("items", Prefetch("questions", queryset=questions.order_by("asked_on", "id")))


def _question_base(user) -> QuerySet[NeedsQuestion]:
    return NeedsQuestion.objects.visible_to(user).select_related(
        "card__customer", "card__client_manager", "assignee", "target_unit", "center")


def my_pending_questions(user) -> QuerySet[NeedsQuestion]:
    """A client manager's questions still waiting for an answer or for the customer to be told (R22)."""
    return _question_base(user).filter(card__client_manager=user).pending().order_by("due_on", "id")


def center_pending_questions(user) -> QuerySet[NeedsQuestion]:
    """Every pending question the user can see (the head: the center's)."""
    return _question_base(user).pending().order_by("due_on", "id")


def inbox_questions(user, *, include_answered: bool = False) -> QuerySet[NeedsQuestion]:
    """Questions routed to the user's level and unit (R22 inbox)."""
    qs = NeedsQuestion.objects.inbox_for(user).select_related(
        "card__customer", "card__client_manager", "assignee", "target_unit", "center")
    if not include_answered:
        qs = qs.filter(status=QuestionStatus.OPEN)
    return qs.order_by("due_on", "id")


def question_list(user, *, box: str = "", status: str = "", overdue: bool = False) -> QuerySet[NeedsQuestion]:
    if box == "inbox":
        qs = inbox_questions(user, include_answered=True)
    elif box == "mine":
        qs = _question_base(user).filter(card__client_manager=user)
    else:
        qs = _question_base(user)
    if status in QuestionStatus.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.overdue(timezone.localdate())
    return qs.order_by("due_on", "id")


def needs_figures(center_id: int, month: dt.date) -> dict:
    """The figures of the 《客户需求汇总表》 (R20): cards and needs by category, questions asked, answered on the
    spot, answered in time (customer told by the due date), late, still open and overdue. Four queries."""
    start, end = month_bounds(month)
    today = timezone.localdate()
    cards = NeedsCard.objects.filter(center_id=center_id, card_date__range=(start, end))
    by_cat = dict(NeedItem.objects.filter(card__in=cards).values_list("category").annotate(n=Count("id")))
    card_counts = cards.aggregate(cards=Count("id"), customers=Count("customer", distinct=True))
    qs = NeedsQuestion.objects.filter(center_id=center_id, asked_on__range=(start, end))
    told = Q(status=QuestionStatus.TOLD)
    agg = qs.aggregate(
        asked=Count("id"),
        on_spot=Count("id", filter=Q(route=AnswerRoute.ON_SPOT)),
        in_time=Count("id", filter=told & Q(told_on__lte=F("due_on"))),
        late=Count("id", filter=told & Q(told_on__gt=F("due_on"))),
        open=Count("id", filter=~told),
        overdue=Count("id", filter=~told & Q(due_on__lt=today)),
    )
    routes = dict(qs.exclude(route=AnswerRoute.ON_SPOT).values_list("route").annotate(n=Count("id")))
    asked = agg["asked"]
    opinions = opinion_analysis(center_id, start, end)
    return {
        "cards": card_counts["cards"], "customers": card_counts["customers"],
        "by_category": {c: by_cat.get(c, 0) for c in NeedCategory.values},
        "questions": {**agg, "routed": asked - agg["on_spot"],
                      "in_time_rate": round(agg["in_time"] / asked, 4) if asked else None},
        "by_route": {r: routes.get(r, 0) for r in AnswerRoute.values if r != AnswerRoute.ON_SPOT},
        "opinions": opinions,
        "as_of": f"{today:%Y-%m-%d}",
    }


def opinion_analysis(center_id: int, start: dt.date, end: dt.date) -> dict:
    """The opinion book of one center's outlets in the period (R23), analysed by product line and by position's
    service quality (which counter, which role): entries, complaints, praise, average rating. One grouped query."""
    rows = (Opinion.objects.filter(center_id=center_id, created_at__date__gte=start, created_at__date__lte=end)
            .values("product_line", "position", "kind")
            .annotate(n=Count("id"), rated=Count("rating"), rating_sum=Sum("rating")).order_by())
    by_product = {c: 0 for c in [*NeedCategory.values, ""]}
    by_position = {p: {"n": 0, "complaints": 0, "praise": 0, "rated": 0, "rating_sum": 0}
                   for p in [*ServicePosition.values, ""]}
    by_kind = {k: 0 for k in OpinionKind.values}
    total = 0
    for r in rows:
        total += r["n"]
        by_kind[r["kind"]] = by_kind.get(r["kind"], 0) + r["n"]
        by_product[r["product_line"]] = by_product.get(r["product_line"], 0) + r["n"]
        pos = by_position.setdefault(r["position"], {"n": 0, "complaints": 0, "praise": 0, "rated": 0,
                                                     "rating_sum": 0})
        pos["n"] += r["n"]
        pos["rated"] += r["rated"]
        pos["rating_sum"] += r["rating_sum"] or 0
        if r["kind"] == OpinionKind.COMPLAINT:
            pos["complaints"] += r["n"]
        elif r["kind"] == OpinionKind.PRAISE:
            pos["praise"] += r["n"]
    for pos in by_position.values():
        pos["avg_rating"] = round(pos.pop("rating_sum") / pos["rated"], 2) if pos["rated"] else None
    return {"total": total, "by_kind": by_kind, "by_product": by_product, "by_position": by_position}


# --- surveys ---------------------------------------------------------------------------------------------------

def survey_list(user) -> QuerySet[Survey]:
    return Survey.objects.visible_to(user).select_related("owner_unit").annotate(
        n_questions=Count("questions", distinct=True)).order_by("-created_at", "-id")


def survey_figures(center_id: int, month: dt.date) -> dict:
    """Counts per question of every survey answered in one center and month (《调研信息汇总报告》, R21)."""
    start, end = month_bounds(month)
    responses = list(SurveyResponse.objects.filter(center_id=center_id, responded_on__range=(start, end))
                     .values("survey_id", "answers"))
    by_survey: dict[int, list[dict]] = defaultdict(list)
    for r in responses:
        by_survey[r["survey_id"]].append(r["answers"])
    surveys = Survey.objects.filter(pk__in=by_survey).prefetch_related(
        Prefetch("questions", queryset=SurveyQuestion.objects.order_by("position", "id"))).order_by("id")
    out = []
    for survey in surveys:
        answers = by_survey[survey.pk]
        out.append({"id": survey.pk, "title": survey.title, "responses": len(answers),
                    "questions": [question_figures(q, answers) for q in survey.questions.all()]})
    return {"responses": len(responses), "surveys": out, "as_of": f"{timezone.localdate():%Y-%m-%d}"}


def question_figures(question: SurveyQuestion, answers: list[dict]) -> dict:
    values = [a[str(question.pk)] for a in answers if str(question.pk) in a]
    row = {"id": question.pk, "position": question.position, "text": question.text, "kind": question.kind,
           "answered": len(values)}
    if question.kind == SurveyQuestionKind.TEXT:
        row["texts"] = values[-20:]
        return row
    counter: Counter = Counter()
    for v in values:
        counter.update(v if isinstance(v, list) else [v])
    if question.kind == SurveyQuestionKind.SCALE:
        row["counts"] = {str(s): counter.get(s, 0) for s in range(1, 6)}
        row["average"] = round(sum(values) / len(values), 2) if values else None
    else:
        row["counts"] = {o: counter.get(o, 0) for o in question.options}
    return row


def chart_option(question_row: dict) -> dict | None:
    """An ECharts bar chart of one question's counts (none for text questions)."""
    counts = question_row.get("counts")
    if not counts:
        return None
    labels = list(counts)
    if question_row["kind"] == SurveyQuestionKind.SCALE:
        labels = [_("%(n)s分") % {"n": k} for k in counts]
    return {
        "tooltip": {}, "grid": {"left": 40, "right": 10, "top": 10, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "data": list(counts.values()), "itemStyle": {"color": "#c7000b"}}],
    }


# --- opinions --------------------------------------------------------------------------------------------------

def opinion_list(user, *, status: str = "") -> QuerySet[Opinion]:
    qs = Opinion.objects.visible_to(user).select_related("unit", "center", "assignee")
    if status in OpinionStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")
