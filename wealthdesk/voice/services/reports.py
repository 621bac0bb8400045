"""The monthly center reports (R20, R21, R24): 《客户需求汇总表》 and 《调研信息汇总报告》.

The system builds the figures; the center head writes the commentary/analysis and submits upward on core's
submission chain (``core.submission``): the sub-branch receives it or returns it for rework; once submitted it is
frozen (a snapshot) and no longer changes.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.submission import StaleVersion, SubmissionStatus, submission_submit, sync_instance

from .. import selectors
from ..models import NeedsSummary, SurveyReport

REPORT_AUTHORS = frozenset({Role.CENTER_HEAD})
TEXT_FIELDS = {NeedsSummary: ("commentary", "marketing_advice", "product_advice"), SurveyReport: ("analysis",)}
REQUIRED_TEXT = {NeedsSummary: ("commentary", "需求分析"), SurveyReport: ("analysis", "分析意见")}


def figures_for(model, center, month: dt.date) -> dict:
    if model is NeedsSummary:
        return selectors.needs_figures(center.pk, month)
    return selectors.survey_figures(center.pk, month)


def _check_author(actor, center) -> None:
    scope = scope_for(actor)
    if not scope.has(*REPORT_AUTHORS) or scope.unit_id != center.pk:
        raise PermissionDenied(_("只有本理财中心负责人可以编写和上报月度汇总。"))


def _check_month(month: dt.date) -> dt.date:
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": [_("不能汇总尚未开始的月份。")]})
    return month


@transaction.atomic
def report_build(*, actor, model, center, month: dt.date):
    """Build (or rebuild, while still a draft) one center's report for one month from the system's data."""
    _check_author(actor, center)
    month = _check_month(month)
    report, created = model.objects.select_for_update().get_or_create(
        center=center, month=month, defaults={"created_by": actor})
    if report.status != SubmissionStatus.DRAFT:
        raise ValidationError({"month": [_("该月汇总已上报，不能重新生成。")]})
    report.figures = figures_for(model, center, month)
    report.prepare_chain()
    if not created:
        report.version += 1
    report.full_clean()
    report.save()
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.CHANGE, obj=report,
                 unit_id=center.pk, detail={"month": report.month_label, "rebuilt": not created})
    return report


@transaction.atomic
def report_update(*, actor, report, version: int | None = None, **texts):
    """The head's commentary and advice (R24); only while the report is a draft; a stale version is refused."""
    _check_author(actor, report.center)
    original, report = report, type(report).objects.select_for_update().get(pk=report.pk)
    allowed = TEXT_FIELDS[type(report)]
    unknown = sorted(set(texts) - set(allowed))
    if unknown:
        raise ValidationError({name: [_("未知字段。")] for name in unknown})
    if report.status != SubmissionStatus.DRAFT:
        raise ValidationError({allowed[0]: [_("已上报的汇总不能修改。")]})
    if version is not None and int(version) != report.version:
        raise StaleVersion()
    for name, value in texts.items():
        value = (value or "").strip()
        if len(value) > 4000:
            raise ValidationError({name: [_("内容不能超过4000字。")]})
        setattr(report, name, value)
    report.version += 1
    report.full_clean()
    report.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=report, unit_id=report.center_id,
                 detail={"fields": sorted(texts)})
    sync_instance(original, report)
    return report


def validate_submit(report) -> None:
    """The chain's check before the report goes up: the written analysis is required (R24)."""
    field, label = REQUIRED_TEXT[type(report)]
    if not getattr(report, field).strip():
        raise ValidationError({field: [_("请先填写%(f)s再上报。") % {"f": label}]})


@transaction.atomic
def report_submit(*, actor, report, version: int | None = None):
    """Refresh and freeze the figures and submit upward on core's chain (R24); the written analysis is required."""
    _check_author(actor, report.center)
    field, _label = REQUIRED_TEXT[type(report)]
    locked = type(report).objects.select_for_update().get(pk=report.pk)
    if locked.status != SubmissionStatus.DRAFT:
        raise ValidationError({field: [_("该汇总已上报。")]})
    validate_submit(locked)
    type(report).objects.filter(pk=locked.pk).update(figures=figures_for(type(report), locked.center, locked.month))
    return submission_submit(actor=actor, report=report, version=version)
