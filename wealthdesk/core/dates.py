"""One date mechanism for input (query parameters, forms, the API, files): ISO dates in a sane range.

A bank's data has no date before 1900 or after 2100; outside that range date arithmetic (a week after
9999-12-31, thirteen days before 0001-01-02) overflows and used to answer 500. Every date entering the system
goes through here:

* ``parse_date_param(request.GET.get("date"), name="date", default=today)`` for query parameters — a bad or
  out-of-range value raises ``QueryParamError`` (Django's ``BadRequest``): pages answer 400 with the message
  (``core.views.bad_request``), the API answers 400 ``{"date": ["…"]}`` (``core.drf.exception_handler``).
* ``SaneDateField`` / ``SaneDateTimeField`` for forms, ``SaneDateSerializerField`` /
  ``SaneDateTimeSerializerField`` for the API (every ``ModelSerializer`` maps model date fields to them, see
  ``core.apps``), ``validate_sane_date`` for models and loaders.
"""
from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
RANGE_MESSAGE = _("日期必须在 1900-01-01 至 2100-12-31 之间。")
FORMAT_MESSAGE = _("日期格式应为 YYYY-MM-DD。")
MONTH_FORMAT_MESSAGE = _("日期格式应为 YYYY-MM-DD（月份 YYYY-MM）。")


class QueryParamError(BadRequest):
    """A query parameter that cannot be used; answers 400 naming the parameter."""

    def __init__(self, name: str, message):
        self.name = name
        self.message = str(message)
        super().__init__(f"{name}: {self.message}")


def in_range(value: dt.date | dt.datetime) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return MIN_DATE <= day <= MAX_DATE


def validate_sane_date(value) -> None:
    """Model / form validator: the date (or datetime) lies between 1900-01-01 and 2100-12-31."""
    if value is not None and not in_range(value):
        raise ValidationError(RANGE_MESSAGE, code="date_range")


def parse_iso_date(value: str, *, allow_month: bool = False) -> dt.date:
    """``YYYY-MM-DD`` (or ``YYYY-MM`` → the 1st) within the range; ValueError with the reason otherwise."""
    value = (value or "").strip()
    try:
        if allow_month and len(value) == 7:
            day = dt.date.fromisoformat(value + "-01")
        elif len(value) == 10:
            day = dt.date.fromisoformat(value)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(str(MONTH_FORMAT_MESSAGE if allow_month else FORMAT_MESSAGE)) from None
    if not in_range(day):
        raise ValueError(str(RANGE_MESSAGE))
    return day


def parse_date_param(value: str | None, *, name: str, default: dt.date | None = None,
                     allow_month: bool = False) -> dt.date | None:
    """A date query parameter: empty → ``default``; bad or out of range → ``QueryParamError`` (400)."""
    if value in (None, ""):
        return default
    try:
        return parse_iso_date(value, allow_month=allow_month)
    except ValueError as exc:
        raise QueryParamError(name, exc) from None


class SaneDateField(forms.DateField):
    """Form date field with the house range."""

    default_validators = [validate_sane_date]


class SaneDateTimeField(forms.DateTimeField):
    default_validators = [validate_sane_date]


class SaneDateSerializerField(serializers.DateField):
    """API date field: ISO ``YYYY-MM-DD`` in, the range checked (out: ISO 8601, ``DATE_FORMAT``)."""

    default_error_messages = {"date_range": RANGE_MESSAGE}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not in_range(day):
            self.fail("date_range")
        return day


class SaneDateTimeSerializerField(serializers.DateTimeField):
    default_error_messages = {"date_range": RANGE_MESSAGE}

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not in_range(moment):
            self.fail("date_range")
        return moment
