"""Reads for the jobs pages: the user's jobs (and, for heads and upper levels, their subtree's), newest first."""
from django.db.models import QuerySet

from .models import BackgroundJob


def job_list(user) -> QuerySet[BackgroundJob]:
    return (BackgroundJob.objects.visible_to(user).select_related("created_by", "unit").defer("payload")
            .order_by("-created_at", "-id"))
