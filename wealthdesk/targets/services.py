"""State changes of targets (R33) and performance sheets (R34): plan, split, close, adjust — each locked
(``select_for_update``), checked inside its transaction, audited; bad input is refused with a message naming the
field (and, for a split, the indicator and the difference) and changes nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import check_version, lock
from wealthdesk.core.deadlines import due_date
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.validators import text_errors

from . import scoring
from .choices import IndicatorUnit, PeriodKind, PositionGroup
from .models import Indicator, PerformanceSheet, SheetAdjustment, Target, TargetRevision, period_start_of

PLANNERS = frozenset({Role.HQ_SERVICE, Role.BRANCH_SERVICE, Role.SUBBRANCH_SERVICE, Role.CENTER_HEAD})
INDICATOR_EDITORS = frozenset({Role.HQ_SERVICE})
SHEET_MANAGERS = frozenset({Role.CENTER_HEAD})


def _amount(value, field: str = "amount") -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("目标值必须是数字。")]}) from None
    if not number.is_finite():
        raise ValidationError({field: [_("目标值必须是数字。")]})
    if number < 0:
        raise ValidationError({field: [_("目标值不能为负数。")]})
    if number >= Decimal("1e16"):
        raise ValidationError({field: [_("目标值过大。")]})
    return number.quantize(Decimal("0.01"))


def _within_percent(indicator, amount: Decimal, field: str, name: str = "") -> Decimal:
    """A target on a percentage indicator (contact coverage) is a share: at most 100."""
    if indicator.unit == IndicatorUnit.PERCENT and amount > 100:
        raise ValidationError({field: [_("“%(name)s”是百分比指标，目标值不能超过 100（现为 %(amount)s）。")
                                       % {"name": name or indicator.name, "amount": f"{amount:,.2f}"}]})
    return amount


def _reason(value) -> str:
    """A revision's reason: one line, at most 200 characters (the field's limit), no control characters."""
    reason = (value or "").strip()
    errors = text_errors(reason, label=_("调整原因"), multiline=False, max_length=200)
    if errors:
        raise ValidationError({"reason": errors})
    return reason


def can_plan(user, unit) -> bool:
    """Upper levels plan their own unit; a center head their own center (R33)."""
    scope = scope_for(user)
    return scope.has(*PLANNERS) and scope.unit_id == unit.pk


def can_split(user, target: Target) -> bool:
    scope = scope_for(user)
    return target.staff_id is None and scope.has(*PLANNERS) and scope.unit_id == target.unit_id


def _revision(target, *, actor, old_amount, old_weight, reason):
    TargetRevision.objects.create(target=target, old_amount=old_amount, new_amount=target.amount,
                                  old_weight=old_weight, new_weight=target.weight, reason=reason, actor=actor)


@transaction.atomic
def target_plan_set(*, actor, unit, period_kind: str, period_start: dt.date, rows: list[dict],
                    reason: str = "") -> list[Target]:
    """Set a unit's own targets for a period: ``rows`` = [{"indicator": Indicator, "amount", "weight"}]. The
    weights of each position group present add up to 100; a change of an existing target needs a reason (kept in
    the history)."""
    if not can_plan(actor, unit):
        raise PermissionDenied(_("只能为本机构制定目标。"))
    if period_kind not in PeriodKind.values:
        raise ValidationError({"period_kind": [_("期间类型不正确。")]})
    period_start = period_start_of(period_kind, period_start)
    reason = _reason(reason)
    cleaned, weights = [], {}
    for row in rows:
        ind = row["indicator"]
        amount = _within_percent(ind, _amount(row.get("amount"), f"amount_{ind.code}"), f"amount_{ind.code}")
        try:
            weight = int(row.get("weight"))
        except (TypeError, ValueError):
            raise ValidationError({f"weight_{ind.code}": [_("权重必须是0到100的整数。")]}) from None
        if not 0 <= weight <= 100:
            raise ValidationError({f"weight_{ind.code}": [_("权重必须是0到100的整数。")]})
        cleaned.append((ind, amount, weight))
        weights[ind.position_group] = weights.get(ind.position_group, 0) + weight
    if not cleaned:
        raise ValidationError({"rows": [_("请至少填写一项指标。")]})
    for group, total in weights.items():
        if total != 100:
            label = PositionGroup(group).label
            raise ValidationError({"weight": [_("“%(group)s”各项指标权重合计为 %(total)s，应为 100。")
                                              % {"group": label, "total": total}]})
    existing = {t.indicator_id: t for t in Target.objects.select_for_update().filter(
        unit=unit, staff__isnull=True, period_kind=period_kind, period_start=period_start)}
    parent_of = {t.indicator_id: t for t in Target.objects.filter(
        unit_id=unit.parent_id, staff__isnull=True, period_kind=period_kind, period_start=period_start)} \
        if unit.parent_id else {}
    out = []
    for ind, amount, weight in cleaned:
        target = existing.get(ind.pk)
        if target is None:
            target = Target(indicator=ind, period_kind=period_kind, period_start=period_start, unit=unit,
                            amount=amount, weight=weight, parent=parent_of.get(ind.pk), created_by=actor)
            target.full_clean()
            target.save()
            _revision(target, actor=actor, old_amount=None, old_weight=None, reason=reason or _("制定目标"))
            audit_record(actor=actor, action=AuditAction.CREATE, obj=target, unit_id=unit.pk,
                         detail={"amount": str(amount), "weight": weight})
        elif target.amount != amount or target.weight != weight:
            if not reason:
                raise ValidationError({"reason": [_("调整已有目标必须填写调整原因。")]})
            if target.parent_id and target.amount != amount:
                raise ValidationError({f"amount_{ind.code}": [
                    _("“%(name)s”的目标由上级分解而来，金额只能由上级重新分解。") % {"name": ind.name}]})
            old_amount, old_weight = target.amount, target.weight
            target.amount, target.weight = amount, weight
            target.version += 1
            target.full_clean()
            target.save(update_fields=["amount", "weight", "version", "updated_at"])
            _revision(target, actor=actor, old_amount=old_amount, old_weight=old_weight, reason=reason)
            audit_record(actor=actor, action=AuditAction.CHANGE, obj=target, unit_id=unit.pk,
                         detail={"amount": [str(old_amount), str(amount)], "weight": [old_weight, weight],
                                 "reason": reason})
        out.append(target)
    return out


def split_candidates(target: Target) -> list:
    """Who a target is split among: the scored staff of the indicator's positions when the target is a center's,
    else the active units directly below."""
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit

    if target.unit.kind == UnitKind.CENTER:
        group = target.indicator.position_group
        return [u for u in scoring.scored_staff([target.unit_id]) if u.wd_group == group]
    return list(OrgUnit.objects.filter(parent_id=target.unit_id, is_active=True)
                .exclude(kind=UnitKind.OUTLET).order_by("code"))


@transaction.atomic
def target_split(*, actor, target: Target, parts: dict, reason: str = "", version=None) -> list[Target]:
    """Split ``target`` among the units below or (at a center) among its staff: ``parts`` = {id: amount}. The parts
    add up to the whole exactly (else a message naming the indicator and the difference); none is negative; a
    re-split that changes a part needs a reason (kept in each part's history)."""
    lock(target)
    check_version(target, version)
    if not can_split(actor, target):
        raise PermissionDenied(_("只能分解本机构的目标。"))
    candidates = {c.pk: c for c in split_candidates(target)}
    amounts: dict[int, Decimal] = {}
    for key, value in parts.items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            raise ValidationError({"parts": [_("分解对象不正确：%(key)s。") % {"key": key}]}) from None
        if pk not in candidates:
            raise ValidationError({"parts": [_("分解对象不在本机构之下：%(key)s。") % {"key": key}]})
        name = str(candidates[pk])
        try:
            amounts[pk] = _amount(value, "parts")
        except ValidationError:
            raise ValidationError({"parts": [_("“%(name)s”的目标值必须是不小于0的数字。") % {"name": name}]}) from None
        _within_percent(target.indicator, amounts[pk], "parts", f"{name} {target.indicator.name}")
    if not amounts:
        raise ValidationError({"parts": [_("请填写分解的目标值。")]})
    total = sum(amounts.values(), Decimal("0"))
    # A rate is not divided: each part gets its own rate (the whole is read as sum of met ÷ sum of due).
    if target.indicator.unit != IndicatorUnit.PERCENT and total != target.amount:
        diff = total - target.amount
        raise ValidationError({"parts": [
            _("“%(indicator)s”分解合计 %(total)s，与目标 %(whole)s 相差 %(diff)s，各部分之和必须等于整体。")
            % {"indicator": target.indicator.name, "total": f"{total:,.2f}", "whole": f"{target.amount:,.2f}",
               "diff": f"{diff:+,.2f}"}]})
    at_center = target.unit.kind == "center"
    existing = {(t.staff_id if at_center else t.unit_id): t
                for t in Target.objects.select_for_update().filter(parent=target)}
    reason = _reason(reason)
    changed = [pk for pk, amount in amounts.items() if pk in existing and existing[pk].amount != amount]
    if changed and not reason:
        raise ValidationError({"reason": [_("重新分解会修改已分解的目标，必须填写调整原因。")]})
    out = []
    for pk, amount in amounts.items():
        part = existing.get(pk)
        if part is None:
            part = Target(indicator=target.indicator, period_kind=target.period_kind, period_start=target.period_start,
                          unit_id=candidates[pk].unit_id if at_center else pk, staff_id=pk if at_center else None,
                          parent=target, amount=amount, weight=target.weight, created_by=actor)
            part.full_clean(validate_unique=False)
            try:
                with transaction.atomic():
                    part.save()
            except IntegrityError:
                raise ValidationError({"parts": [_("“%(name)s”已有同期的该项目标。") % {"name": candidates[pk]}]}) \
                    from None
            _revision(part, actor=actor, old_amount=None, old_weight=None, reason=reason or _("目标分解"))
        elif part.amount != amount or part.weight != target.weight:
            old_amount, old_weight = part.amount, part.weight
            part.amount, part.weight = amount, target.weight
            part.version += 1
            part.save(update_fields=["amount", "weight", "version", "updated_at"])
            _revision(part, actor=actor, old_amount=old_amount, old_weight=old_weight, reason=reason or _("目标分解"))
        out.append(part)
    target.version += 1
    target.save(update_fields=["version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=target, unit_id=target.unit_id,
                 detail={"split": {str(k): str(v) for k, v in amounts.items()}, "reason": reason})
    return out


# --- indicators (head office) ------------------------------------------------------------------------------------

@transaction.atomic
def indicator_save(*, actor, indicator: Indicator | None = None, data: dict) -> Indicator:
    if not scope_for(actor).has(*INDICATOR_EDITORS):
        raise PermissionDenied(_("考核指标由总行定义。"))
    from wealthdesk.core.registry import metrics

    metric = metrics().get(data.get("metric_key"))
    if metric is None:
        raise ValidationError({"metric_key": [_("没有这项数据来源。")]})
    if "unit" in data and (metric.unit == IndicatorUnit.PERCENT) != (data["unit"] == IndicatorUnit.PERCENT):
        raise ValidationError({"unit": [_("“%(metric)s”的单位是%(unit)s，指标单位须与数据来源一致。")
                                        % {"metric": metric.label,
                                           "unit": IndicatorUnit.PERCENT.label if metric.unit == IndicatorUnit.PERCENT
                                           else _("个数或金额")}]})
    creating = indicator is None
    indicator = indicator or Indicator(created_by=actor)
    for key, value in data.items():
        setattr(indicator, key, value)
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, action=AuditAction.CREATE if creating else AuditAction.CHANGE, obj=indicator,
                 detail={k: str(v) for k, v in data.items()})
    return indicator


# --- performance sheets (R34) -------------------------------------------------------------------------------------

def can_manage_sheet(user, sheet: PerformanceSheet) -> bool:
    scope = scope_for(user)
    return scope.has(*SHEET_MANAGERS) and scope.unit_id == sheet.unit_id


@transaction.atomic
def sheet_open(*, actor, unit, month: dt.date) -> PerformanceSheet:
    """The center's sheet for a month (created when first asked for; its chain receiver and due dates set)."""
    month = month.replace(day=1)
    sheet = PerformanceSheet.objects.filter(unit=unit, period_start=month).first()
    if sheet is not None:
        return sheet
    scope = scope_for(actor)
    if not (scope.has(*SHEET_MANAGERS) and scope.unit_id == unit.pk):
        raise PermissionDenied(_("只有本中心负责人可以生成绩效汇总表。"))
    sheet = PerformanceSheet(unit=unit, period_start=month, created_by=actor)
    sheet.prepare_chain()
    sheet.close_due_on = due_date("performance.close", sheet.period_end)
    sheet.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            sheet.save()
    except IntegrityError:
        return PerformanceSheet.objects.get(unit=unit, period_start=month)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=sheet, unit_id=unit.pk)
    return sheet


def _editable(actor, sheet, version):
    lock(sheet)
    if not can_manage_sheet(actor, sheet):
        raise PermissionDenied(_("只有本中心负责人可以修改绩效汇总表。"))
    if sheet.is_closed:
        raise ValidationError({"status": [_("%(month)s 已月结，绩效汇总表已冻结，不能再修改。") % {"month": sheet.month_label}]})
    check_version(sheet, version)


@transaction.atomic
def sheet_adjust(*, actor, sheet: PerformanceSheet, staff_id, points, reason: str, version=None) -> SheetAdjustment:
    """The head's bonus or deduction for one staff member of the center, with a reason (R34)."""
    _editable(actor, sheet, version)
    try:
        value = Decimal(str(points).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": [_("调整分数必须是数字。")]}) from None
    if not value.is_finite() or value == 0 or not Decimal("-10") <= value <= Decimal("10"):
        raise ValidationError({"points": [_("调整分数必须在 -10 到 10 之间且不为 0。")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("调整必须填写原因。")]})
    staff_ids = {u.pk for u in scoring.scored_staff([sheet.unit_id])}
    try:
        staff_pk = int(staff_id)
    except (TypeError, ValueError):
        staff_pk = None
    if staff_pk not in staff_ids:
        raise ValidationError({"staff": [_("请选择本中心参加考核的员工。")]})
    adj = SheetAdjustment(sheet=sheet, staff_id=staff_pk, points=value.quantize(Decimal("0.01")), reason=reason,
                          created_by=actor)
    adj.full_clean()
    adj.save()
    sheet.version += 1
    sheet.save(update_fields=["version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=sheet, unit_id=sheet.unit_id,
                 detail={"adjustment": str(adj.points), "staff": staff_pk, "reason": reason})
    return adj


@transaction.atomic
def sheet_comment(*, actor, sheet: PerformanceSheet, comment: str, version=None) -> PerformanceSheet:
    _editable(actor, sheet, version)
    sheet.comment = (comment or "").strip()
    sheet.version += 1
    sheet.full_clean(validate_unique=False)
    sheet.save(update_fields=["comment", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=sheet, unit_id=sheet.unit_id, detail={"comment": True})
    return sheet


@transaction.atomic
def sheet_close(*, actor, sheet: PerformanceSheet, version=None) -> PerformanceSheet:
    """Close the month: the scores are computed once more and frozen (a version); after this nothing on the sheet
    may change (R34). Only after the month has ended."""
    _editable(actor, sheet, version)
    if sheet.period_end >= timezone.localdate():
        raise ValidationError({"status": [_("%(month)s 尚未结束，月末之后才能月结。") % {"month": sheet.month_label}]})
    scores = scoring.sheet_scores(sheet)
    sheet.frozen = {"month": sheet.month_label, "unit": sheet.unit.name, "closed_by": str(actor),
                    "comment": sheet.comment, "staff": [s.as_dict() for s in scores],
                    "center": scoring.center_summary(scores),
                    "adjustments": [{"staff": a.staff_id, "points": str(a.points), "reason": a.reason}
                                    for a in sheet.adjustments.all()]}
    sheet.closed_at, sheet.closed_by = timezone.now(), actor
    sheet.version += 1
    sheet.save(update_fields=["frozen", "closed_at", "closed_by", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=sheet, unit_id=sheet.unit_id,
                 detail={"closed": sheet.month_label, "staff": len(scores)})
    return sheet


def validate_submit(sheet: PerformanceSheet) -> None:
    if not sheet.is_closed:
        raise ValidationError({"status": [_("绩效汇总表须先月结，才能报送。")]})
