"""Reads of export requests, all through ``visible_to`` (the one scoping mechanism)."""
from __future__ import annotations

from django.shortcuts import get_object_or_404

from . import rules
from .choices import RequestStatus
from .models import ExportRequest

_RELATED = ("requester", "unit", "decided_by")


def request_get(user, pk) -> ExportRequest:
    """One request the user may see (404 otherwise)."""
    return get_object_or_404(ExportRequest.objects.visible_to(user).select_related(*_RELATED), pk=pk)


def my_requests(user, *, status: str = ""):
    qs = ExportRequest.objects.visible_to(user).filter(requester_id=user.pk).select_related(*_RELATED)
    return qs.filter(status=status) if status else qs


def inbox(user, *, status: str = RequestStatus.PENDING):
    """The requests the user decides on (pending by default; ``"all"`` for every one)."""
    q = rules.decidable_q(user)
    if q is None:
        return ExportRequest.objects.none()
    qs = ExportRequest.objects.visible_to(user).filter(q).select_related(*_RELATED)
    return qs if status == "all" else qs.filter(status=status)


def is_approver(user) -> bool:
    return bool(user.role_codes & rules.APPROVER_ROLES)
