"""Small view helpers shared by the contacts and worklogs pages."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from wealthdesk.core.dates import parse_date_param


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's field errors on the form (unknown fields become non-field errors)."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def parse_day(value: str | None, default: dt.date | None, *, name: str = "date") -> dt.date | None:
    """A date query parameter through the one core parser: bad or outside 1900–2100 → 400 naming ``name``."""
    return parse_date_param(value, name=name, default=default)
