"""How a figure reads on the page: money with separators, counts as integers, shares as percentages."""
from __future__ import annotations

from django.utils.translation import gettext as _

from wealthdesk.core.registry import UnitFigure


def show(value, f: UnitFigure) -> str:
    if value is None:
        return "—"
    if f.unit == "percent":
        return f"{value * 100:.1f}%"
    if f.unit == "yuan":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def show_change(value, f: UnitFigure) -> str:
    if value is None:
        return "—"
    if f.unit == "percent":
        return _("%(n)s个百分点") % {"n": f"{value * 100:+.1f}"}
    return f"{value * 100:+.1f}%"
