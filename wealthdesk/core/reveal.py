"""The audited reveal of one masked personal field (R28, DESIGN rule 4), shared by every page that masks.

A page shows the masked value and, for the people allowed to unmask, a small form (template
``core/_reveal_form.html``) that POSTs a reason; the answer is the clear value as an htmx fragment, and an
audit row (action ``reveal``) records who revealed which field of which record and why.
Subclass ``RevealView`` with ``get_object``, ``fields`` (field key → attribute) and ``can_reveal``.

Every reveal counts against a daily cap per user (``reveal.daily_cap``, default 20): past it the reveal is
refused (the pages answer 429 with a message), an audit row (action ``denied``, ``detail.what =
"reveal_daily_cap"``) is written in its own transaction so that it stays, and the center heads of the user's
unit get a notification (``core.notifications``).
"""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import ratelimit
from .audit import AuditAction, audit_record
from .notifications import notify
from .params import get_param
from .roles import Role


class RevealCapReached(Exception):
    """Raised past the daily cap; ``str(exc)`` is the message for the user."""


def check_reveal_cap(*, actor, customer_id=None) -> None:
    """Count one reveal; past ``reveal.daily_cap`` today refuse it, audit the refusal and tell the center head.

    Call it outside the reveal's own transaction: the refusal's audit row must survive the refusal."""
    cap = int(get_param("reveal.daily_cap"))
    today = timezone.localdate().isoformat()
    if ratelimit.hit("reveal", str(actor.pk), limit=cap, window=86400, bucket=today):
        return
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DENIED, customer_id=customer_id, unit_id=actor.unit_id,
                     detail={"what": "reveal_daily_cap", "cap": cap, "date": today, "alert": "center_head"})
        if actor.unit_id:
            heads = get_user_model().objects.filter(unit_id=actor.unit_id, is_active=True,
                                                    role_assignments__role=Role.CENTER_HEAD).exclude(pk=actor.pk)
            notify(recipients=heads, url="/core/audit/",
                   text=_("%(who)s 今天查看明文已达上限（%(n)s 次），后续查看被拒绝。") % {"who": actor.get_full_name()
                                                                     or actor.username, "n": cap})
    raise RevealCapReached(_("今天查看明文已达上限（每人每天 %(n)s 次），已通知理财中心负责人。") % {"n": cap})


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("原因"), min_length=2, max_length=200)


def reveal_field(*, actor, obj, field: str, attribute: str, reason: str, allowed: bool) -> str:
    """Return ``obj.<attribute>`` in clear after checking ``allowed`` and the daily cap, writing the audit row."""
    if not allowed:
        raise PermissionDenied(_("您无权查看此信息的明文。"))
    check_reveal_cap(actor=actor, customer_id=getattr(obj, "customer_id", None))
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.REVEAL, obj=obj, detail={"field": field, "reason": reason})
    return getattr(obj, attribute) or ""


class RevealView(View):
    """POST ``field`` + ``reason`` → the clear value (htmx fragment); 400 without a reason, 403 if not allowed."""

    fields: dict[str, str] = {}

    def get_object(self, request, pk):  # pragma: no cover - subclasses answer
        raise NotImplementedError

    def can_reveal(self, user, obj) -> bool:  # pragma: no cover - subclasses answer
        raise NotImplementedError

    def post(self, request, pk):
        obj = self.get_object(request, pk)
        field = request.POST.get("field", "")
        form = ReasonForm(request.POST)
        if field not in self.fields or not form.is_valid():
            return HttpResponse('<span class="text-danger small" role="alert">' + escape(_("请填写查看明文的原因。"))
                                + "</span>", status=400)
        try:
            value = reveal_field(actor=request.user, obj=obj, field=field, attribute=self.fields[field],
                                 reason=form.cleaned_data["reason"], allowed=self.can_reveal(request.user, obj))
        except PermissionDenied as exc:
            return HttpResponse(f'<span class="text-danger small">{escape(str(exc))}</span>', status=403)
        except RevealCapReached as exc:
            return HttpResponse(f'<span class="text-danger small" role="alert">{escape(str(exc))}</span>', status=429)
        return render(request, "core/_revealed.html", {"value": value, "field": field})
