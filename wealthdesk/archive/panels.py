"""Panels: what is out and overdue for the head and the keeper (R29)."""
from django.utils import timezone

from .selectors import custody_counts, paper_file_list


def custody_panel(request):
    today = timezone.localdate()
    counts = custody_counts(request.user, today)
    overdue = list(paper_file_list(request.user, overdue=True, today=today)[:5])
    return {"counts": counts, "overdue": overdue, "today": today}


def customer_panel(request):
    """On the customer page: what the archive holds for this customer (counts only; the list is one click away)."""
    from django.db.models import Count

    from .models import ArchiveDocument, PaperFile
    from .roles import UPLOADERS

    customer = getattr(request, "wd_customer", None)
    if customer is None:
        return None
    docs = ArchiveDocument.objects.visible_to(request.user).filter(customer=customer).aggregate(n=Count("id"))["n"]
    papers = PaperFile.objects.visible_to(request.user).filter(customer=customer).aggregate(n=Count("id"))["n"]
    from wealthdesk.core.scoping import scope_for

    return {"customer": customer, "documents": docs, "paper_files": papers,
            "can_upload": scope_for(request.user).has(*UPLOADERS)}
