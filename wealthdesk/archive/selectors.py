"""Reads of the customer archive: every one starts from ``visible_to`` (DESIGN rule 1)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from wealthdesk.core.params import get_param
from wealthdesk.customers.models import Customer, ManagerAssignment

from .choices import PaperFileStatus
from .models import ArchiveDocument, PaperCheckout, PaperFile


def document_list(user, *, customer_id: int | None = None, doc_type: str = ""):
    qs = ArchiveDocument.objects.visible_to(user).listing()
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    return qs.order_by("-created_at", "-id")


def paper_file_list(user, *, status: str = "", overdue: bool = False, today: dt.date | None = None,
                    customer_id: int | None = None):
    qs = PaperFile.objects.visible_to(user).select_related("customer", "holder", "center")
    if status:
        qs = qs.filter(status=status)
    if overdue and today:
        qs = qs.overdue(today)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if status == PaperFileStatus.OUT or overdue:
        return qs.order_by("due_back_on", "id")
    return qs.order_by("reference", "id")


def checkout_history(user, paper_file: PaperFile):
    return (PaperCheckout.objects.visible_to(user).filter(paper_file=paper_file)
            .select_related("holder", "checked_out_by", "checked_in_by").order_by("-out_at", "-id"))


def custody_counts(user, today: dt.date) -> dict:
    """What is out and what is overdue in the user's scope (the head's and the keeper's panel)."""
    from django.db.models import Count

    return PaperFile.objects.visible_to(user).aggregate(
        out=Count("id", filter=Q(status=PaperFileStatus.OUT)),
        overdue=Count("id", filter=Q(status=PaperFileStatus.OUT, due_back_on__lt=today)),
        total=Count("id"))


def _no_material(customer_ref: str):
    return (~Exists(ArchiveDocument.objects.filter(customer_id=OuterRef(customer_ref)))
            & ~Exists(PaperFile.objects.filter(customer_id=OuterRef(customer_ref))))


def departed_without_material(user, today: dt.date):
    """When a client manager leaves (R29: nothing may be lost), which of their customers have no archived material
    (no document and no paper file):

    * ``inactive``: customers still held by a deactivated client manager;
    * ``handed_over``: customers whose book was reassigned away from a manager within ``archive.departure_days``
      (``customers.services`` writes a ``ManagerAssignment`` for each).
    Both are scoped querysets (the keeper and the head: their center)."""
    since = today - dt.timedelta(days=int(get_param("archive.departure_days")))
    inactive = (Customer.objects.visible_to(user)
                .filter(client_manager__isnull=False, client_manager__is_active=False)
                .filter(_no_material("pk")).select_related("client_manager").order_by("client_manager_id", "id"))
    handed_over = (ManagerAssignment.objects.visible_to(user)
                   .filter(from_manager__isnull=False, changed_at__date__gte=since)
                   .filter(_no_material("customer_id"))
                   .select_related("customer", "from_manager", "to_manager").order_by("-changed_at", "-id"))
    return inactive, handed_over
