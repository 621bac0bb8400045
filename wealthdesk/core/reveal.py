"""The audited reveal of one masked personal field (R28, DESIGN rule 4), shared by every page that masks.

A page shows the masked value and, for the people allowed to unmask, a small form (template
``core/_reveal_form.html``) that POSTs a reason; the answer is the clear value as an htmx fragment, and an
audit row (action ``reveal``) records who revealed which field of which record and why.
Subclass ``RevealView`` with ``get_object``, ``fields`` (field key → attribute) and ``can_reveal``.
"""
from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .audit import AuditAction, audit_record


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("原因"), min_length=2, max_length=200)


@transaction.atomic
def reveal_field(*, actor, obj, field: str, attribute: str, reason: str, allowed: bool) -> str:
    """Return ``obj.<attribute>`` in clear after checking ``allowed`` and writing the audit row."""
    if not allowed:
        raise PermissionDenied(_("您无权查看此信息的明文。"))
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
        return render(request, "core/_revealed.html", {"value": value, "field": field})
