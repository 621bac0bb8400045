"""Head office's settings (SPEC "Defaults and figures"): parameters and the working-day calendar.

Each change is validated (a clear Chinese message naming the field; nothing saved on error) and audited.
Tier thresholds are the customers app's (``customers.services.tier_thresholds_set``).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import AuditAction, audit_record
from .calendar import clear_cache
from .models import CalendarDay
from .params import DEFAULTS, get_param, set_param
from .roles import Role
from .scoping import scope_for

SETTINGS_ROLES = frozenset({Role.HQ_SERVICE, Role.SYSTEM_ADMIN})


def require_head_office(actor) -> None:
    """Only head office (总行个金部客户服务处, the system administrator at head office) changes settings."""
    _require_head_office(actor)


def _require_head_office(actor) -> None:
    scope = scope_for(actor)
    if not scope.has(*SETTINGS_ROLES) or (actor.unit and actor.unit.parent_id is not None):
        raise PermissionDenied(_("只有总行可以修改系统参数和工作日历。"))


def parse_param_value(key: str, raw: str):
    """Parse a submitted value to the type of the parameter's default; refuse what does not fit."""
    default = DEFAULTS[key][0]
    raw = (raw or "").strip()
    if not isinstance(default, bool) and isinstance(default, int | float):
        raw = raw.replace(",", "").replace("，", "")  # money is shown with thousands separators
    try:
        if isinstance(default, bool):
            value = {"true": True, "1": True, "是": True, "false": False, "0": False, "否": False}[raw.lower()]
        elif isinstance(default, int):
            number = Decimal(raw)
            if number != number.to_integral_value():
                raise ValueError(raw)
            value = int(number)
        elif isinstance(default, float):
            value = float(Decimal(raw))
        else:
            value = raw
    except (KeyError, ValueError, InvalidOperation):
        raise ValidationError({key: [_("“%(v)s”不是有效的数值。") % {"v": raw}]}) from None
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        raise ValidationError({key: [_("不能为负数。")]})
    if isinstance(default, float) and 0 <= default <= 1 and not 0 <= value <= 1:
        raise ValidationError({key: [_("比例应在 0 到 1 之间。")]})
    if isinstance(default, int) and not isinstance(default, bool) and default > 0 and value == 0:
        raise ValidationError({key: [_("必须大于 0。")]})
    return value


@transaction.atomic
def parameter_set(*, actor, key: str, raw: str):
    """Head office changes one parameter."""
    _require_head_office(actor)
    if key not in DEFAULTS:
        raise ValidationError({"key": [_("未知参数“%(k)s”。") % {"k": key}]})
    old = get_param(key)
    value = parse_param_value(key, raw)
    row = set_param(key, value, actor=actor)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=row, unit_id=actor.unit_id,
                 detail={"parameter": key, "from": old, "to": value})
    return row


@transaction.atomic
def calendar_day_set(*, actor, day: dt.date, is_working_day: bool, name: str) -> CalendarDay:
    """Record a holiday on a weekday or an adjusted working day (调休) at a weekend."""
    _require_head_office(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("请填写名称，例如“春节”或“春节调休上班”。")]})
    if is_working_day == (day.weekday() < 5) and not CalendarDay.objects.filter(date=day).exists():
        raise ValidationError({"date": [_("%(d)s 本来就是%(kind)s，无需登记。") % {
            "d": day.isoformat(), "kind": _("工作日") if is_working_day else _("休息日")}]})
    row, _created = CalendarDay.objects.update_or_create(date=day, defaults={"is_working_day": is_working_day,
                                                                              "name": name[:60]})
    clear_cache()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=row, unit_id=actor.unit_id,
                 detail={"date": day.isoformat(), "working": is_working_day, "name": row.name})
    return row


@transaction.atomic
def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    _require_head_office(actor)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=day, unit_id=actor.unit_id,
                 detail={"date": day.date.isoformat(), "name": day.name})
    day.delete()
    clear_cache()
