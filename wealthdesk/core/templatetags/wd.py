"""Template filters used everywhere: masking, money in yuan, dates as YYYY-MM-DD."""
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone

from .. import masking

register = template.Library()


@register.filter
def mask(value, kind: str = "id_number"):
    """``{{ customer.mobile|mask:"mobile" }}``"""
    return masking.MASKERS[kind](value)


@register.filter
def yuan(value, places: int = 2):
    """Money with thousands separators and two decimals: 1,234,567.80"""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    return f"{number:,.{int(places)}f}"


@register.filter
def wan(value):
    """Money in 万元 with two decimals, as bank managers read large sums."""
    if value in (None, ""):
        return ""
    return f"{Decimal(value) / Decimal(10000):,.2f}"


@register.filter
def ymd(value):
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


@register.filter
def percent(value, places: int = 1):
    if value in (None, ""):
        return "—"
    return f"{float(value) * 100:.{int(places)}f}%"


@register.simple_tag(takes_context=True)
def querystring_replace(context, **kwargs):
    """The current query string with some keys replaced (pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def thousands(value):
    """An integer with thousands separators (1,234,567) whatever the language."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
