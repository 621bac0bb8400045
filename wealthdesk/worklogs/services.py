"""Writes of daily logs, help requests, debriefs and reviews (R9–R11; DESIGN rule 2).

Optimistic locking: ``daily_log_save`` takes the ``version`` the author read; if someone saved in between the
save is refused with a message (nothing is silently lost) and the version moves on with every save.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import Conflict, parse_version
from wealthdesk.core.dates import RANGE_MESSAGE, in_range
from wealthdesk.core.registry import metrics, note_lines
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for

from .choices import EDITABLE_STATUSES, DebriefMode, HelpStatus, LogStatus
from .models import DailyLog, Debrief, HelpRequest
from .supervision import is_supervisor

LOG_FIELDS = ("customers_contacted", "new_customers", "products_sold", "sales_amount", "referrals_followed",
              "marketing_leads", "relationship_maintenance", "target_progress", "difficulties", "help_needed")
# The log's figure fields and the registered metric that knows each (core.registry), in the form's order. Only
# these figures are shown and kept: a metric without a field would be a figure nobody can confirm. The older key
# "contacts" (contact records) is read as the number of customers contacted in logs saved before.
FIELD_METRICS: dict[str, str] = {"customers_contacted": "customers_contacted", "new_customers": "new_customers",
                                 "sales_amount": "sales_amount", "referrals_followed": "referrals_followed"}
LEGACY_KEYS = {"contacts": "customers_contacted"}
PREFILL = FIELD_METRICS


def known_figures(staff, day: dt.date) -> dict[str, dict]:
    """The figures the system already knows for one manager and day, one per log field that a registered
    metric computes (R9): ``{metric key: {"field", "value", "unit"}}``."""
    registered = metrics()
    out = {}
    for field, key in FIELD_METRICS.items():
        metric = registered.get(key)
        if metric is None:
            continue
        value = metric.compute([staff.pk], day, day).get(staff.pk, 0) or 0
        out[key] = {"field": field, "value": float(value) if isinstance(value, Decimal) else value,
                    "unit": metric.unit}
    return out


def figure_rows(figures: dict) -> list[dict]:
    """Known figures for display: the form's labels (in the user's language) and the form's order."""
    field_of = {key: field for field, key in FIELD_METRICS.items()} | LEGACY_KEYS
    by_field = {}
    for key, f in (figures or {}).items():
        field = f.get("field") or field_of.get(key)
        if field in FIELD_METRICS and (field not in by_field or key == FIELD_METRICS[field]):
            by_field[field] = {"key": key, "value": f.get("value", 0), "unit": f.get("unit", "")}
    return [{"field": field, "label": DailyLog._meta.get_field(field).verbose_name, **by_field[field]}
            for field in FIELD_METRICS if field in by_field]


def suggestions(staff, day: dt.date) -> dict[str, list[str]]:
    """Lines the system can offer for the log's text fields: the products the customers bought, the day's
    contacts for relationship maintenance (core.registry notes)."""
    return {"products_sold": note_lines("products_sold", staff.pk, day),
            "relationship_maintenance": note_lines("contacts", staff.pk, day)}


def _prefill(log: DailyLog, figures: dict) -> None:
    for field, key in PREFILL.items():
        if key in figures:
            value = figures[key]["value"]
            setattr(log, field, Decimal(str(value)) if field == "sales_amount" else int(value))
    if not log.products_sold:
        log.products_sold = "\n".join(note_lines("products_sold", log.staff_id, log.log_date))


@transaction.atomic
def daily_log_create(*, actor, log_date: dt.date, **fields) -> DailyLog:
    """Start a client manager's log for a day, pre-filled with the known figures. A second log for the same
    day is refused."""
    if not scope_for(actor).has(Role.CLIENT_MANAGER):
        raise PermissionDenied(_("只有客户经理填写客户经理日志。"))
    if not in_range(log_date):
        raise ValidationError({"log_date": [RANGE_MESSAGE]})
    if log_date > timezone.localdate():
        raise ValidationError({"log_date": [_("不能填写未来日期的日志。")]})
    if DailyLog.objects.filter(staff=actor, log_date=log_date).exists():
        raise ValidationError({"log_date": [_("%(day)s 的日志已存在，每天只能填写一份。") % {"day": log_date.isoformat()}]})
    log = DailyLog(staff=actor, center_id=actor.unit_id, log_date=log_date, created_by=actor)
    figures = known_figures(actor, log_date)
    log.figures = figures
    _prefill(log, figures)
    for key, value in fields.items():
        if key not in LOG_FIELDS:
            raise ValidationError({key: [_("未知字段。")]})
        setattr(log, key, value)
    log.full_clean()
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        raise ValidationError({"log_date": [_("该日的日志已存在，每天只能填写一份。")]}) from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=log)
    return log


def daily_log_for_today(*, actor) -> DailyLog:
    """Today's log of the actor: the existing one, else a new pre-filled draft."""
    today = timezone.localdate()
    existing = DailyLog.objects.filter(staff=actor, log_date=today).first()
    return existing or daily_log_create(actor=actor, log_date=today)


def _sync_help_requests(log: DailyLog) -> int:
    """One HelpRequest row per line of "help needed"; lines already recorded are not duplicated."""
    lines = [line.strip()[:300] for line in (log.help_needed or "").splitlines() if line.strip()]
    have = set(log.help_requests.values_list("text", flat=True))
    new = [HelpRequest(log=log, staff=log.staff, center=log.center, text=t, created_by=log.staff)
           for t in dict.fromkeys(lines) if t not in have]
    HelpRequest.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def daily_log_save(*, actor, log: DailyLog, version: int, submit: bool = False, **fields) -> DailyLog:
    """Save (and optionally submit) a log. Only the author, only while draft or reopened, only from the current
    version. Submitting freezes the known figures as confirmed and records each help-needed item."""
    locked = DailyLog.objects.select_for_update().get(pk=log.pk)
    if locked.staff_id != actor.pk:
        raise PermissionDenied(_("只能修改自己的日志。"))
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError({"status": [_("日志已提交，只读；如需修改请负责人退回。")]})
    if parse_version(version) != locked.version:  # the core optimistic lock (core.concurrency)
        raise Conflict(_("该日志已在别处被修改（当前版本 %(v)s），您的修改未保存，请刷新后重新填写。") % {"v": locked.version},
                       current=locked.version)
    unknown = set(fields) - set(LOG_FIELDS)
    if unknown:
        raise ValidationError({name: [_("未知字段。")] for name in sorted(unknown)})
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.version += 1
    if submit:
        locked.figures = known_figures(actor, locked.log_date)
        locked.status = LogStatus.SUBMITTED
        locked.submitted_at = timezone.now()
    locked.full_clean()
    locked.save()
    if submit:
        _sync_help_requests(locked)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked,
                 detail={"submit": submit, "version": locked.version})
    return locked


def _check_supervisor(actor, staff) -> None:
    if not is_supervisor(actor, staff):
        raise PermissionDenied(_("只有该客户经理的组长或理财中心负责人可以操作。"))


@transaction.atomic
def daily_log_review(*, actor, log: DailyLog, comment: str = "") -> DailyLog:
    """R11: the supervisor reads the submitted log, comments, marks it reviewed."""
    _check_supervisor(actor, log.staff)
    locked = DailyLog.objects.select_for_update().get(pk=log.pk)
    if locked.status not in (LogStatus.SUBMITTED, LogStatus.REVIEWED):
        raise ValidationError({"status": [_("只能批阅已提交的日志。")]})
    locked.status = LogStatus.REVIEWED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.review_comment = (comment or "").strip()
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"review": True})
    return locked


@transaction.atomic
def daily_log_reopen(*, actor, log: DailyLog, reason: str = "") -> DailyLog:
    """The reviewer hands a submitted log back for changes; the version moves on."""
    _check_supervisor(actor, log.staff)
    locked = DailyLog.objects.select_for_update().get(pk=log.pk)
    if locked.status not in (LogStatus.SUBMITTED, LogStatus.REVIEWED):
        raise ValidationError({"status": [_("只能退回已提交的日志。")]})
    locked.status = LogStatus.REOPENED
    locked.version += 1
    if reason:
        locked.review_comment = reason.strip()
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"reopen": reason})
    return locked


@transaction.atomic
def debrief_record(*, actor, staff, debrief_date: dt.date, mode: str = DebriefMode.FACE, note: str = "") -> Debrief:
    """R10: the supervisor records that a manager reported before leaving (face to face or by phone)."""
    if staff is None or not is_supervisor(actor, staff):
        raise ValidationError({"staff": [_("只能为您直接管理的客户经理登记汇报。")]})
    if debrief_date > timezone.localdate():
        raise ValidationError({"debrief_date": [_("不能登记未来日期的汇报。")]})
    if mode not in DebriefMode.values:
        raise ValidationError({"mode": [_("请选择当面汇报或电话汇报。")]})
    if Debrief.objects.filter(staff=staff, debrief_date=debrief_date).exists():
        raise ValidationError({"debrief_date": [_("%(name)s %(day)s 的汇报已登记。")
                                                % {"name": staff, "day": debrief_date.isoformat()}]})
    row = Debrief(staff=staff, supervisor=actor, center_id=staff.unit_id, debrief_date=debrief_date, mode=mode,
                  note=note or "", created_by=actor)
    row.full_clean()
    row.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


@transaction.atomic
def help_request_update(*, actor, help_request: HelpRequest, status: str, resolution: str = "") -> HelpRequest:
    """The supervisor moves a help-needed item on (in progress, escalated, resolved) and says what became of it."""
    _check_supervisor(actor, help_request.staff)
    if status not in HelpStatus.values:
        raise ValidationError({"status": [_("无效的状态。")]})
    if status == HelpStatus.RESOLVED and not (resolution or help_request.resolution).strip():
        raise ValidationError({"resolution": [_("标记为已解决时请填写处理结果。")]})
    help_request.status = status
    if resolution:
        help_request.resolution = resolution.strip()
    help_request.resolved_at = timezone.now() if status == HelpStatus.RESOLVED else None
    help_request.full_clean()
    help_request.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=help_request, detail={"status": status})
    return help_request
