"""Small view helpers shared by the contacts and worklogs pages."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's field errors on the form (unknown fields become non-field errors)."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def parse_day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default
