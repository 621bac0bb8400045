"""Reads of the reports app; every one starts from ``Report.objects.visible_to(user)`` (DESIGN rule 1)."""
from __future__ import annotations

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from wealthdesk.core.masking import mask_text
from wealthdesk.core.memo import ids_key, memo
from wealthdesk.core.submission import SubmissionStatus, parse_period
from wealthdesk.customers.models import Customer

from .kinds import SPECS
from .models import Report, TopicSuggestion


def report_list(user, *, kind: str = "", status: str = "", period: str = "", mine: str = "") -> QuerySet[Report]:
    qs = Report.objects.visible_to(user).select_related("unit", "author", "receiver_unit")
    if kind in SPECS:
        qs = qs.filter(kind=kind)
        if period:
            try:
                qs = qs.filter(period_start=parse_period(SPECS[kind].period, period))
            except ValueError:
                pass
    if status == "returned":
        qs = qs.filter(status=SubmissionStatus.DRAFT, returned_at__isnull=False)
    elif status in SubmissionStatus.values:
        qs = qs.filter(status=status)
    if mine == "1":
        qs = qs.filter(Q(author=user) | Q(author__isnull=True, unit_id=user.unit_id))
    return qs.order_by("-period_start", "kind", "unit__path", "id")


def incoming(user) -> QuerySet[Report]:
    """Reports waiting for this user's unit to receive them."""
    return Report.objects.visible_to(user).filter(receiver_unit_id=user.unit_id, status=SubmissionStatus.SUBMITTED) \
        .select_related("unit", "author").order_by("due_on", "id")


def library(user, *, q: str = "", tier: str = "", product: str = "", period: str = "", kind: str = "") \
        -> QuerySet[Report]:
    """The library of shared reports (R19): readable by every center, searchable by topic, tier, product, period."""
    qs = Report.objects.visible_to(user).filter(status=SubmissionStatus.SHARED).select_related("unit", "author")
    if kind in SPECS:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(product__icontains=q))
    if tier:
        qs = qs.filter(tier=tier)
    product = (product or "").strip()
    if product:
        qs = qs.filter(product__icontains=product)
    if period:
        try:
            start = parse_period("half", period)
            qs = qs.filter(period_start=start)
        except ValueError:
            qs = qs.none()
    return qs.order_by("-shared_at", "-id")


def needs_masking(user, report: Report) -> bool:
    """Anyone outside the author's center reads the report's customer data masked."""
    return user.unit_id != report.unit_id


NAMES_PER_CENTER = 20000  # the names masked in a report read outside its center: its largest customers first


def customer_names(center_ids) -> dict[int, list[str]]:
    """``{center id: names of its customers}`` (the ``NAMES_PER_CENTER`` largest by average AUM), for every center
    at once in one query, once per request (``core.memo``): a list of reports from many centers masks each one's
    text without a query per report (issue 16)."""
    ids = ids_key(center_ids)

    def load() -> dict[int, list[str]]:
        out: dict[int, list[str]] = {cid: [] for cid in ids}
        if not ids:
            return out
        rank = Window(RowNumber(), partition_by=[F("center_id")], order_by=[F("aum_avg").desc(), F("id").asc()])
        rows = (Customer.objects.filter(center_id__in=ids).annotate(rank=rank).filter(rank__lte=NAMES_PER_CENTER)
                .values_list("center_id", "name"))
        for center_id, name in rows:
            out[center_id].append(name)
        return out

    return memo(("report_customer_names", ids), load)


def masked_content(report: Report, *, frozen: bool, names: list[str] | None = None) -> dict:
    """The report's text (the frozen copy for a submitted report) with customer data masked (``names``: the
    center's customer names, from ``customer_names``, when the caller loaded them for a whole page)."""
    content = report.snapshot if frozen and report.snapshot else report.submission_content()
    if names is None:
        names = customer_names([report.unit_id])[report.unit_id]
    body = {k: mask_text(v, names) for k, v in (content.get("body") or {}).items()}
    return {**content, "body": body, "title": mask_text(content.get("title", ""), names),
            "material": mask_text(content.get("material", ""), names)}


def suggestions_for(user, period_start=None) -> QuerySet[TopicSuggestion]:
    qs = TopicSuggestion.objects.visible_to(user).filter(unit_id=user.unit_id)
    if period_start is not None:
        qs = qs.filter(period_start=period_start)
    return qs.order_by("-period_start", "-id")


def report_content(user, report: Report) -> dict:
    """What ``user`` reads of a report: the frozen copy once submitted, masked outside the author's center."""
    frozen = report.status != SubmissionStatus.DRAFT
    if needs_masking(user, report):
        return masked_content(report, frozen=frozen)
    return report.snapshot if frozen and report.snapshot else report.submission_content()
