"""Form widgets shared by every app.

``DateInput`` / ``DateTimeInput``: the browser's date pickers accept only ISO values (``YYYY-MM-DD``,
``YYYY-MM-DDTHH:MM``); Django would otherwise render the locale's first input format (``2026/09/25`` in
Chinese), which the input rejects and shows as empty. Every date field of every form uses these.
"""
from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or ISO_DATETIME_LOCAL)
