"""Search-as-you-type pickers: one widget and one endpoint shape for every "choose a customer / a client
manager / ..." field, instead of a <select> with hundreds of entries.

- ``SearchPickerWidget(url_name, params=...)`` renders a text box that searches ``<url>?<params>&q=...`` as the user types, a list of at
  most ``SearchPickerView.limit`` results and the hidden input that carries the chosen id. It pairs with a
  ``ModelChoiceField`` whose queryset (scoped with ``visible_to``) still validates the submitted id.
- ``SearchPickerView`` is the endpoint's base: a subclass gives ``search(request, q, limit)`` returning objects
  and ``result(obj)`` returning ``{"id", "label", "detail"}`` (masked); the answer is JSON
  ``{"results": [...], "more": bool}``, bounded by ``limit``.
"""
from __future__ import annotations

from django import forms
from django.http import JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View


class SearchPickerWidget(forms.Widget):
    template_name = "core/widgets/search_picker.html"

    def __init__(self, url_name: str, *, params: dict | None = None, placeholder=None, attrs=None):
        super().__init__(attrs)
        self.url_name, self.params = url_name, dict(params or {})
        self.placeholder = placeholder or _("输入姓名或手机号后几位搜索")
        self.choices = []  # set by ModelChoiceField; never iterated (that would load every row)

    def _label(self, value) -> str:
        queryset = getattr(self.choices, "queryset", None)
        field = getattr(self.choices, "field", None)
        if value in (None, "") or queryset is None or not str(value).isdigit():
            return ""
        obj = queryset.filter(pk=int(value)).first()
        return field.label_from_instance(obj) if (obj is not None and field is not None) else ""

    def get_context(self, name, value, attrs):
        ctx = super().get_context(name, value, attrs)
        value = "" if value is None else str(value)
        url = reverse(self.url_name) + (f"?{urlencode(self.params)}" if self.params else "")
        ctx["widget"].update(value=value, url=url, placeholder=self.placeholder, label=self._label(value),
                             search_id=f"{ctx['widget']['attrs'].get('id', 'id_' + name)}_search")
        return ctx

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def id_for_label(self, id_):
        return f"{id_}_search" if id_ else id_


class SearchPickerView(View):
    """Base of picker endpoints; subclasses add their own role gates (mixins) and scoping."""

    limit = 20
    min_length = 1

    def search(self, request, q: str, limit: int):  # pragma: no cover - abstract
        raise NotImplementedError

    def result(self, obj) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        q = request.GET.get("q", "").strip()[:40]
        if len(q) < self.min_length:
            return JsonResponse({"results": [], "more": False})
        rows = list(self.search(request, q, self.limit + 1))
        return JsonResponse({"results": [self.result(o) for o in rows[: self.limit]], "more": len(rows) > self.limit})
